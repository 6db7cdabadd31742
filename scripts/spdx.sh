#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# The license line of every source file of the project's own (not the bindings jextract
# generates, which `make bindings` would overwrite, nor the license texts themselves).
#   scripts/spdx.sh check   lists the files without it and fails if there is one (make test)
#   scripts/spdx.sh add     adds it where it is missing, in the comment syntax of the file
set -e
LINE="SPDX-License-Identifier: Apache-2.0"
mode=${1:-check}

files() {
    git ls-files -- '*.java' '*.c' '*.h' '*.sh' '*.mk' '*.py' 'Makefile' '*/Makefile' 'pom.xml' '*/pom.xml' \
        '*.litmus' \
        | grep -v '^bindings/src/main/java/io/srcu4j/bindings/' || true
}

missing=0
for f in $(files); do
    [ -f "$f" ] || continue
    head -5 "$f" | grep -q "$LINE" && continue
    if [ "$mode" = check ]; then
        echo "no license line: $f"
        missing=1
        continue
    fi
    case "$f" in
        *.java|*.c|*.h) printf '// %s\n' "$LINE" | cat - "$f" > "$f.spdx" ;;
        *.litmus)
            # herd7 wants the architecture and name on the first line.
            { head -1 "$f"; printf '(* %s *)\n' "$LINE"; tail -n +2 "$f"; } > "$f.spdx" ;;
        *.xml|*/pom.xml|pom.xml)
            { head -1 "$f"; printf '<!-- %s -->\n' "$LINE"; tail -n +2 "$f"; } > "$f.spdx" ;;
        *)
            if head -1 "$f" | grep -q '^#!'; then
                { head -1 "$f"; printf '# %s\n' "$LINE"; tail -n +2 "$f"; } > "$f.spdx"
            else
                printf '# %s\n' "$LINE" | cat - "$f" > "$f.spdx"
            fi ;;
    esac
    chmod --reference="$f" "$f.spdx"
    mv "$f.spdx" "$f"
done
[ "$mode" = check ] && [ $missing = 1 ] && { echo "add it with scripts/spdx.sh add" >&2; exit 1; }
exit 0
