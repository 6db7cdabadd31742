#!/usr/bin/busybox sh
# SPDX-License-Identifier: Apache-2.0
# Runs inside the aarch64 VM (started by init, in the Debian arm64 root; the checkout at
# /project): the stages the kernel command line names (srcu4j.run=a,b,...), each timed, its
# output on the console and in DIR/out/<stage>.log, its outcome in DIR/out/summary as
# "stage <name> ok|FAILED <seconds>". Then powers the VM off.
#
# Stages:
#   platform      kernel, CPU features; test_platform's rseq mode and membarrier
#   c-unit        every C unit test against the cross-built library
#   c-asan        the unit tests built with ASan+UBSan, and the delay-injection tests
#   c-torture     tests/torture.c, every reader flavor, under migration, signals and
#                 oversubscription, TORTURE_SECONDS each
#   rseq-count    tests/rseq_count.c with glibc's rseq registration, srcu4j's own, and none
#   java-describe what a default domain says of itself: native-direct, from the jar's
#                 linux-aarch64 library
#   java-contract the contract suite on each path: native-direct, java, native-downcall, jna
#                 (and the path choice), with JUnit's console launcher (scripts/java-tests.sh)
#   java-torture  the Java torture, every path and flavor, JAVA_TORTURE_SECONDS in all
#   jcstress      the jcstress tests of pair [B]/[F] (PairB_AF) on the native-direct path
#   jmh           the benchmark report (RunReport) in its smoke-test length, in one JVM: a
#                 functional check; the report says its timings mean nothing
/usr/bin/busybox mkdir -p /tmp/bin
/usr/bin/busybox --install -s /tmp/bin
export PATH=/tmp/bin:/usr/bin HOME=/root LANG=C.UTF-8
mkdir -p /dev/shm /dev/pts && mount -t tmpfs -o mode=1777 tmpfs /dev/shm && mount -t devpts devpts /dev/pts
# The VM has no network, but jcstress and JMH talk to their forked JVMs over loopback.
ip link set lo up

arg() { tr ' ' '\n' < /proc/cmdline | sed -n "s/^$1=//p"; }
cd /project
DIR=$(arg srcu4j.dir)
OUT=/project/$DIR/out
A64=/project/native/target/arm64
JAVA=/usr/lib/jvm/java-25-openjdk-arm64/bin/java
JAVA_LIB=/project/$DIR/java-lib
TORTURE_SECONDS=${TORTURE_SECONDS:-4}
JAVA_TORTURE_SECONDS=${JAVA_TORTURE_SECONDS:-20}
TEST_TIMEOUT=${TEST_TIMEOUT:-600}    # seconds one C test may take here (the slowest: about 120)
SANENV="ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=print_stacktrace=1"
summary=$OUT/summary

# bounded SECONDS CMD...: runs the command; when it is still running after SECONDS, prints where
# each of its threads waits (the kernel's view: state, wait channel, stack), kills it and fails,
# so that a hang is reported and the stages after it still run.
bounded() {
    limit=$1
    shift
    "$@" &
    pid=$!
    waited=0
    while kill -0 $pid 2>/dev/null && [ $waited -lt "$limit" ]; do
        sleep 1
        waited=$((waited + 1))
    done
    if kill -0 $pid 2>/dev/null; then
        echo "FAILED: $* still running after ${limit}s (TEST_TIMEOUT); its threads:"
        for t in /proc/$pid/task/*; do
            echo "  thread ${t##*/} $(cat $t/comm): state $(cut -d' ' -f3 $t/stat), waits in $(cat $t/wchan)"
            sed 's/^/    /' $t/stack 2>/dev/null | head -n 8
        done
        kill -9 $pid
        wait $pid
        return 124
    fi
    wait $pid
}

# run_all ENV FILE...: runs each file (with the variable settings ENV), prints its name first;
# fails when any failed.
run_all() {
    prefix=$1
    shift
    failed=
    for t in "$@"; do
        echo "# ${t#/project/} $prefix"
        bounded "$TEST_TIMEOUT" env $prefix "$t" || failed="$failed ${t##*/}"
    done
    [ -z "$failed" ] || { echo "FAILED:$failed"; return 1; }
}

stage_platform() {
    uname -a
    echo "# cpus online: $(nproc); $(grep -m1 '^Features' /proc/cpuinfo)"
    out=$("$A64/tests/test_platform")
    rc=$?
    echo "$out"
    line=$(echo "$out" | grep '^# possible=')
    echo "## platform: aarch64 kernel $(uname -r), ${line#\# }"
    return $rc
}

stage_c_unit() {
    run_all "" "$A64"/tests/test_*
}

stage_c_asan() {
    run_all "$SANENV" "$A64"/asan/test_* && run_all "$SANENV" "$A64"/inject-tests/*
}

stage_c_torture() {
    pass=0
    fail=0
    # Every reader flavor; the scenarios of mk/torture.mk, spread over the flavors.
    for run in "classic --migrate --gp=expedited" "fast --signals --gp=mix" \
               "signal-safe --signals --gp=mix" "down-up --domain=classic --threads-per-cpu=4 --gp=mix" \
               "down-up --domain=fast --migrate --signals --threads-per-cpu=2 --gp=mix" \
               "fast --threads-per-cpu=4 --gp=mix"; do
        echo "# torture --flavor=$run --duration=$TORTURE_SECONDS"
        if "$A64/torture" --flavor=$run --duration="$TORTURE_SECONDS"; then
            pass=$((pass + 1))
        else
            fail=$((fail + 1))
            echo "torture: failed: $run"
        fi
    done
    echo "## c-torture: $pass passed, $fail failed"
    [ "$fail" = 0 ]
}

stage_rseq_count() {
    status=0
    echo "# rseq_count (glibc's registration)"
    "$A64/rseq_count" 50000 || status=1
    echo "# rseq_count (srcu4j's own registration: GLIBC_TUNABLES=glibc.pthread.rseq=0)"
    GLIBC_TUNABLES=glibc.pthread.rseq=0 "$A64/rseq_count" 50000 || status=1
    echo "# rseq_count (no rseq: SRCU4J_RSEQ=off)"
    SRCU4J_RSEQ=off "$A64/rseq_count" 50000 || status=1
    return $status
}

java_tests() {
    /project/scripts/java-tests.sh run "$JAVA" "$JAVA_LIB" "$@"
}

stage_java_describe() {
    "$JAVA" -version 2>&1
    cp=$(/project/scripts/java-tests.sh classpath "$JAVA_LIB") || return 1
    # The probe prints the default domain's describe(), then what a forced native-direct says.
    out=$("$JAVA" --enable-native-access=ALL-UNNAMED -cp "$cp" io.srcu4j.NativeDisabledProbe native-direct 2>&1)
    rc=$?
    echo "$out"
    first=$(echo "$out" | head -n 1)
    echo "## java-describe: os.arch aarch64, default domain: $first"
    [ $rc = 0 ] && case "$first" in native-direct*) true;; *) false;; esac
}

# Tests whose pass depends on wall-clock thresholds of tens of milliseconds (a reader sleeping
# 150 ms past a 50 ms stall threshold in a child JVM; the order of a section begun "after" a
# wait): under emulation, 20 to 50 times slower, those margins do not hold. They run, and their
# failures are listed, but only a failure of another test fails the stage; make test runs them
# on the host.
TIMING_BOUND="JfrEvent:withoutFlightRecorderNoEventIsEverMade StallWarning:inDebugModeTheWarningNamesTheStalledReaderAndWhereItsSectionBegan"

# The JUnit run of java_tests "$@", passing when every failed test (the summary's "JUnit
# Jupiter:Class:Nested:method()" lines) is one of TIMING_BOUND and no container failed.
java_tests_tolerating_timing() {
    log=/tmp/junit.log
    java_tests "$@" > "$log" 2>&1
    rc=$?
    cat "$log"
    [ $rc = 0 ] && return 0
    grep -q '^\[ *0 containers failed' "$log" || return 1
    failed=$(sed -n '/^Failures (/,$s/^  JUnit Jupiter:\(.*\)()$/\1/p' "$log")
    [ -n "$failed" ] || return 1
    other=
    for f in $failed; do
        known=
        for t in $TIMING_BOUND; do
            case "$f" in *:"$t") known=1;; esac
        done
        [ -n "$known" ] && echo "## java: timing-bound under emulation, failed: $f" || other="$other $f"
    done
    [ -z "$other" ] || { echo "## java: FAILED:$other"; return 1; }
}

stage_java_contract() {
    java_tests_tolerating_timing NativeDirectPathTest JavaPathTest NativeDowncallPathTest JnaPathTest \
        PathAndFlavorTest
    rc=$?
    echo "## java-contract: $(grep -E 'tests (successful|failed)' /tmp/junit.log | tr -s ' []' ' ' | tr '\n' ';')"
    return $rc
}

stage_java_torture() {
    java_tests -Dsrcu4j.torture.seconds="$JAVA_TORTURE_SECONDS" -- torture.JavaTortureTest
    rc=$?
    echo "## java-torture: exit $rc"
    return $rc
}

stage_jcstress() {
    # x86-64 keeps its own (TSO) ordering when it emulates aarch64, so a forbidden or an
    # "interesting" outcome that needs aarch64's weaker ordering cannot show here: this run
    # checks that the tests work on aarch64, not the ordering.
    dir=$OUT/jcstress
    rm -rf "$dir"
    mkdir -p "$dir"
    # One JVM mode (-jvmArgs turns off jcstress's matrix of compiler modes, each a JVM start of
    # tens of seconds here), no split compilation, one fork and iteration of 2 s per test.
    (cd "$dir" && "$JAVA" -jar /project/stress/target/jcstress.jar -v -m sanity -t PairB_AF -r results \
        -jvmArgs "--enable-native-access=ALL-UNNAMED -Dsrcu4j.path=native-direct" -sc false \
        -f 1 -iters 1 -time 2000) > "$dir/output.txt" 2>&1
    rc=$?
    sed -n '/^RUN RESULTS:/,/HTML report generated/p' "$dir/output.txt"
    grep -E '^ *\[(OK|FAILED|ERROR)' "$dir/output.txt" | head -n 20
    echo "## jcstress: PairB_AF on aarch64 (emulated: x86-64's ordering, so no weak outcome can show), exit $rc"
    return $rc
}

stage_jmh() {
    dir=$OUT/report
    rm -rf "$dir"
    mkdir -p "$dir"
    # Every benchmark in this JVM (srcu4j.bench.forks=0): a fork per benchmark, 35 of them,
    # each a JVM start of about 30 s here, would take 17 minutes.
    "$JAVA" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
        -Dsrcu4j.bench.quick=true -Dsrcu4j.bench.threads=1 -Dsrcu4j.bench.noLifecycle=true \
        -Dsrcu4j.bench.forks=0 \
        -cp /project/bench/target/benchmarks.jar io.srcu4j.bench.RunReport "$dir"
    rc=$?
    [ -s "$dir/report.md" ] || { echo "## jmh: no report.md written (exit $rc)"; return 1; }
    note="> **Timings here mean nothing.** This report was made on aarch64 emulated by qemu (TCG) on
> an x86-64 host, as a functional check of the benchmark suite on aarch64 (make test-arm64), every
> benchmark in one JVM. An emulated instruction costs what its translation costs, fences and
> atomics included; only real arm64 hardware measures srcu4j on arm64."
    { echo "$note"; echo; cat "$dir/report.md"; } > "$dir/report.md.new" && mv "$dir/report.md.new" "$dir/report.md"
    echo "## jmh: report written to ${dir#/project/}/report.md (exit $rc)"
    return $rc
}

for stage in $(arg srcu4j.run | tr ',' ' '); do
    fn=stage_$(echo "$stage" | tr '-' '_')
    if ! type "$fn" >/dev/null 2>&1; then
        echo "stage $stage FAILED 0 (no such stage)" >> "$summary"
        continue
    fi
    echo "## $stage: start"
    start=$(date +%s)
    # The stage's status through the pipe: busybox sh has no PIPESTATUS.
    { "$fn" 2>&1; echo $? > /tmp/rc; } | tee "$OUT/$stage.log"
    rc=$(cat /tmp/rc)
    secs=$(($(date +%s) - start))
    if [ "$rc" = 0 ]; then status=ok; else status=FAILED; fi
    echo "stage $stage $status $secs" >> "$summary"
    echo "## $stage: $status (${secs}s)"
    sync
done
sync
poweroff -f
