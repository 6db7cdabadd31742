#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Runs the jcstress suite (stress/target/jcstress.jar) once per srcu4j path, prints jcstress's
# summary of each run, and exits non-zero when any run saw a FORBIDDEN outcome or an error, or
# when the sanity test never caught its deliberately broken grace period (a run that cannot
# catch a broken grace period proves nothing by passing), or when on x86-64 a bare getAndAdd
# let a later load pass it (the direct read side relies on a locked add being a full fence there).
#
# usage: run-stress.sh JAVA JAR MODE OUTDIR PATH... ; extra jcstress options in $STRESS_ARGS
set -u
java=$1
jar=$(readlink -f "$2")
mode=$3
out=$4
shift 4

status=0
report=()
arch=$(uname -m)

# The samples of test $1's outcome "0, 0" in the run's results ($dir/output.txt), as a plain
# number; nothing when the test did not run (a -t in STRESS_ARGS may have left it out).
samples_00() {
    sed -n '/^RUN RESULTS:/,$p' "$dir/output.txt" | sed -n "/$1/,/^\.\.\.\.\./p" \
        | awk '$1 == "0," && $2 == "0" { gsub(",", "", $3); print $3; exit }'
}

for path in "$@"; do
    dir=$out/$path
    rm -rf "$dir"
    mkdir -p "$dir"
    echo "== jcstress, srcu4j.path=$path, mode $mode (full output: $dir/output.txt)"
    start=$SECONDS
    # jcstress writes its result blob to the working directory; -v lists every test's outcomes.
    # The forked JVMs, where the tests run, get the native-access flag and the path.
    (cd "$dir" && "$java" -jar "$jar" -v -m "$mode" -r results ${STRESS_ARGS:-} \
        -jvmArgsPrepend "--enable-native-access=ALL-UNNAMED -Dsrcu4j.path=$path") >"$dir/output.txt" 2>&1
    rc=$?
    elapsed=$((SECONDS - start))
    # The summary, without the stack trace jcstress prints after it on failure.
    sed -n '/^RUN RESULTS:/,/HTML report generated/p' "$dir/output.txt"
    sed -n '/TEST FAILURES/,/^$/p' "$dir/output.txt"

    verdict=OK
    if [ $rc -ne 0 ]; then
        verdict="FAILED (jcstress exit $rc: a FORBIDDEN outcome or an error, see above)"
        status=1
    fi
    # The sanity test's "0, 0" row; when the test did not run there is nothing to require.
    caught=$(samples_00 SanityGracePeriodOfAnotherDomainIsCaught)
    if [ -z "$caught" ]; then
        verdict="$verdict; sanity test not run"
    elif [ "$caught" = 0 ]; then
        verdict="$verdict; the sanity test never caught its broken grace period (run too short to trust: try STRESS_MODE=default)"
        status=1
    else
        verdict="$verdict; broken grace period caught $caught times"
    fi
    # A bare getAndAdd's missed reader: allowed by the JMM, expected on aarch64, impossible on
    # x86-64, where DirectReadSide.LOCKED_ADD_IS_FULL_FENCE leaves out the fence because of it.
    passed=$(samples_00 PairB_AF_GetAndAddWithoutFenceIsNoFullFence)
    if [ -n "$passed" ] && [ "$passed" != 0 ] && [ "$arch" = x86_64 ]; then
        verdict="$verdict; a bare getAndAdd let a later load pass it $passed times on x86-64 (a locked add is no full fence here)"
        status=1
    elif [ -n "$passed" ]; then
        verdict="$verdict; a bare getAndAdd let a later load pass it $passed times on $arch"
    fi
    report+=("srcu4j.path=$path: $verdict; ${elapsed}s")
done

echo
echo "== jcstress summary"
printf '%s\n' "${report[@]}"
exit $status
