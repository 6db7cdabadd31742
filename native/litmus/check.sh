#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Runs every litmus test of this directory with herd7 and compares each outcome with the
# "expected" column of the table in README.md. Exit status: 0 when every test ran and matched
# (or herd7 is absent: then nothing runs and a message says so), 1 on a mismatch or a test
# missing from the table, 2 when tests could not be run (the kernel model's files not found, herd7
# failing on a file).
#
#   HERD7=/path/to/herd7   the simulator (default: herd7 on PATH)
#   LKMM=/path/to/dir      the directory holding linux-kernel.cfg, .cat, .bell, .def and lock.cat
#                          (the kernel's tools/memory-model); default: herd7's own library dir
#   check.sh [file...]     only these files (default: every *.litmus here)
set -u

dir=$(cd "$(dirname "$0")" && pwd)
herd=${HERD7:-herd7}
if ! command -v "$herd" >/dev/null 2>&1; then
    echo "check.sh: skipped: herd7 not found (install herdtools7, or set HERD7=/path/to/herd7)"
    exit 0
fi

lkmm=${LKMM:-$("$herd" -libdir 2>/dev/null)}
table="$dir/README.md"

# The expected outcome of a file: the fourth cell of its row in README.md's table.
expected_of() {
    awk -F'|' -v f="\`$1\`" '{ gsub(/^ +| +$/, "", $2); gsub(/ /, "", $5) }
                              $2 == f { print $5; exit }' "$table"
}

# How herd7 runs a file: by suffix, AArch64 and x86 under herd's own models, the rest (C) under
# the Linux-kernel memory model.
run() {
    case $1 in
    *.aarch64.litmus) "$herd" -model aarch64.cat "$1" ;;
    *.x86.litmus)     "$herd" -model x86tso.cat "$1" ;;
    *)                "$herd" -I "$lkmm" -conf linux-kernel.cfg "$1" ;;
    esac
}

model_of() {
    case $1 in
    *.aarch64.litmus) echo aarch64.cat ;;
    *.x86.litmus)     echo x86tso.cat ;;
    *)                echo LKMM ;;
    esac
}

if [ $# -eq 0 ]; then
    set -- "$dir"/*.litmus
fi

mismatches=0
unrun=0
have_lkmm=1
[ -f "$lkmm/linux-kernel.cat" ] && [ -f "$lkmm/linux-kernel.cfg" ] || have_lkmm=0
if [ "$have_lkmm" = 0 ]; then
    echo "check.sh: the C tests need the Linux-kernel memory model: no linux-kernel.cfg/.cat in" \
         "'$lkmm'; set LKMM= to a copy of the kernel's tools/memory-model"
fi

printf '%-44s %-12s %-9s %-9s %s\n' file model expected result states
for path in "$@"; do
    case $path in /*) ;; *) path=$PWD/$path ;; esac
    file=$(basename "$path")
    model=$(model_of "$file")
    want=$(expected_of "$file")
    if [ "$model" = LKMM ] && [ "$have_lkmm" = 0 ]; then
        printf '%-44s %-12s %-9s %-9s %s\n' "$file" "$model" "${want:--}" "not run" "-"
        unrun=$((unrun + 1))
        continue
    fi
    out=$(cd "$dir" && run "$path" 2>&1)
    got=$(printf '%s\n' "$out" | awk '$1 == "Observation" { print $3 }')
    states=$(printf '%s\n' "$out" | awk '$1 == "States" { print $2 }')
    if [ -z "$got" ]; then
        printf '%-44s %-12s %-9s %-9s %s\n' "$file" "$model" "${want:--}" "error" "-"
        printf '%s\n' "$out" | sed 's/^/    /'
        unrun=$((unrun + 1))
        continue
    fi
    verdict=
    if [ -z "$want" ]; then
        verdict="  <- not in README.md's table"
        mismatches=$((mismatches + 1))
    elif [ "$want" != "$got" ]; then
        verdict="  <- MISMATCH"
        mismatches=$((mismatches + 1))
    fi
    printf '%-44s %-12s %-9s %-9s %s%s\n' "$file" "$model" "${want:--}" "$got" "$states" "$verdict"
done

# Every row of the table names a file that exists.
for row in $(awk -F'|' '{ gsub(/^ +| +$/, "", $2) } $2 ~ /^`.*\.litmus`$/ { gsub(/`/, "", $2); print $2 }' "$table"); do
    if [ ! -f "$dir/$row" ]; then
        echo "$row: in README.md's table, but no such file"
        mismatches=$((mismatches + 1))
    fi
done

if [ "$mismatches" -gt 0 ]; then
    echo "check.sh: $mismatches test(s) disagree with README.md"
    exit 1
fi
if [ "$unrun" -gt 0 ]; then
    echo "check.sh: $unrun test(s) not run"
    exit 2
fi
echo "check.sh: all $# tests as expected"
