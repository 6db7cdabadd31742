#!/usr/bin/env bash
# SPDX-License-Identifier: Apache-2.0
# Fails when an ELF file needs a glibc symbol version newer than the floor, naming the symbols
# that need it. The floor is 2.17 (manylinux2014's, on x86-64 and aarch64) unless --floor says
# otherwise.
#
#   tests/glibc_floor.sh [--floor X.Y] FILE...
#
# It reads the file's version needs (readelf -V: the .gnu.version_r entries, which the dynamic
# loader checks before it binds any symbol, so one above the floor stops the load on an older
# glibc) and its undefined dynamic symbols (readelf --dyn-syms: name@GLIBC_x.y). readelf reads
# the ELF files of every machine, so the check is the same for an x86-64 and an aarch64 library.
# A file that needs no GLIBC version at all fails too: it is not what the check is for.
set -euo pipefail

floor=2.17
if [[ ${1:-} == --floor ]]; then
    floor=${2:?--floor needs a version such as 2.17}
    shift 2
fi
if [[ $# -eq 0 ]]; then
    echo "usage: $0 [--floor X.Y] FILE..." >&2
    exit 2
fi

# 0 when version $1 is above version $2 (numeric, component by component: 2.2.5 < 2.17).
above() {
    [[ $1 != "$2" && $(printf '%s\n%s\n' "$1" "$2" | sort -V | tail -n 1) == "$1" ]]
}

status=0
for file in "$@"; do
    if ! needs=$(readelf -V -W "$file" 2>&1); then
        echo "not ok - $file: readelf -V failed: $needs"
        status=1
        continue
    fi
    # Only the version needs section: a definitions section names versions too.
    versions=$(awk '/^Version needs section/ { on = 1; next }
                    /^Version (definition|symbols) section/ { on = 0 }
                    on && match($0, /Name: GLIBC_[^ ]+/) { print substr($0, RSTART + 12, RLENGTH - 12) }' \
               <<<"$needs" | sort -u -V)
    if [[ -z $versions ]]; then
        echo "not ok - $file needs no GLIBC symbol version: not a library linked against glibc"
        status=1
        continue
    fi
    symbols=$(readelf --dyn-syms -W "$file" |
              awk '$7 == "UND" && match($8, /@GLIBC_/) { print substr($8, RSTART + 7) " " substr($8, 1, RSTART - 1) }')
    bad=0
    for v in $versions; do
        if [[ $v =~ ^[0-9]+(\.[0-9]+)*$ ]] && ! above "$v" "$floor"; then
            continue
        fi
        names=$(awk -v v="$v" '$1 == v { printf " %s", $2 }' <<<"$symbols")
        echo "not ok - $file needs GLIBC_$v, above the $floor floor:${names:- (no symbol names it)}"
        bad=1
    done
    if (( bad )); then
        status=1
    else
        echo "ok - $file needs at most GLIBC_$(tail -n 1 <<<"$versions") (floor $floor)"
    fi
done
exit $status
