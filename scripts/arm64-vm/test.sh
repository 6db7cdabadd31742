#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# make test-arm64: srcu4j on a real aarch64 kernel, emulated. Builds what the VM runs, fetches
# the aarch64 system as Debian packages, boots it and runs the stages in it (guest.sh says what
# each checks); every step timed, a summary at the end. See README.md beside this file.
#
# usage: test.sh [STAGE...]     (default: every stage; the VM's stages are guest.sh's)
# Environment: MVN (the Maven command, as the Makefile's $(MVN)), JAVA_HOME (a JDK 25 for it),
# ARM64_VM_* (run.sh, packages.sh).
set -uo pipefail
cd "$(dirname "$0")/../.."
dir=build/arm64-vm
stages=${*:-platform c-unit c-asan c-torture rseq-count java-describe java-contract java-torture jcstress jmh}
MVN=${MVN:-mvn -B -q}
mkdir -p "$dir/out"
times=()
total=$SECONDS

# step NAME COMMAND...: runs the command, its output in $dir/out/NAME.log, and records its time.
step() {
    local name=$1 start=$SECONDS rc
    shift
    echo "## $name: $*"
    "$@" > "$dir/out/host-$name.log" 2>&1
    rc=$?
    grep '^## ' "$dir/out/host-$name.log"
    times+=("$(printf '%-14s %4ds' "$name" $((SECONDS - start)))")
    if [ $rc != 0 ]; then
        tail -n 30 "$dir/out/host-$name.log"
        echo "test-arm64: FAILED at $name (log: $dir/out/host-$name.log)" >&2
        exit 1
    fi
}

step tools scripts/ensure-tools.sh arm64-vm
# The jars (srcu4j's with both libraries and the bindings, benchmarks, jcstress) and the test classes.
step build bash -c "$MVN -DskipTests package"
step cross-tests make --no-print-directory -C native -j2 arm64-tests
step java-lib scripts/java-tests.sh prepare "$dir/java-lib"
step packages scripts/arm64-vm/packages.sh "$dir"
step initramfs scripts/arm64-vm/initramfs.sh "$dir"

echo "## vm: stages $stages (console: $dir/out/console.log)"
start=$SECONDS
scripts/arm64-vm/run.sh "$dir" $stages
rc=$?
times+=("$(printf '%-14s %4ds' vm $((SECONDS - start)))")

echo "## test-arm64: times"
for t in "${times[@]}"; do echo "##   $t"; done
[ -s "$dir/out/summary" ] && while read -r _ name status secs; do
    printf '##     %-14s %4ds %s\n' "$name" "$secs" "$status"
done < "$dir/out/summary"
echo "##   total          $((SECONDS - total))s"
grep -h '^# rseq-count: .*flavor=' "$dir/out/rseq-count.log" 2>/dev/null | sed 's/^/## /'
if [ $rc != 0 ]; then
    echo "test-arm64: FAILED (logs: $dir/out)" >&2
    exit 1
fi
echo "## test-arm64: all stages passed (logs: $dir/out)"
