#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Runs the Java tests without Maven, on any machine with a JDK 25: the test classes and the
# packaged jars of a build (`mvn package`, tests compiled, not run) on one class path with JUnit's
# console launcher, the same JUnit as the build's. make test-arm64 runs the tests this way in the
# aarch64 VM, where there is a JDK but no Maven.
#
#   java-tests.sh prepare LIBDIR        (needs Maven) copies junit-platform-console-standalone
#                                       and JNA, at the versions of the top pom, into LIBDIR
#   java-tests.sh classpath LIBDIR      prints the class path: srcu4j's jar (with its native
#                                       libraries and the bindings), the test classes, JNA and
#                                       the console launcher
#   java-tests.sh run JAVA LIBDIR [JVM options --] CLASS...
#                                       runs the test classes (simple names under io.srcu4j, e.g.
#                                       JavaPathTest or torture.JavaTortureTest) with the JVM
#                                       flags surefire gives them; exit 0 when all passed
#
# As under surefire: --enable-native-access=ALL-UNNAMED, and srcu4j.test.signalHandoffLib names
# the test-only library for the machine's architecture (the native module's, or on aarch64 the
# one mk/arm64.mk cross-builds). POSIX sh: the VM has busybox, no bash.
set -eu
checkout=$(cd "$(dirname "$0")/.." && pwd)
pom_property() { sed -n "s:.*<$1>\(.*\)</$1>.*:\1:p" "$checkout/pom.xml" | head -n 1; }

classpath() {
    lib=$1
    jar=$(ls "$checkout"/java/target/srcu4j-[0-9]*.jar 2>/dev/null | grep -v -e sources -e javadoc | head -n 1)
    [ -n "$jar" ] && [ -d "$checkout/java/target/test-classes" ] || {
        echo "java-tests.sh: no packaged build in $checkout (mvn -DskipTests package makes one)" >&2
        exit 1
    }
    extra=$(ls "$lib"/*.jar 2>/dev/null | tr '\n' ':')
    [ -n "$extra" ] || { echo "java-tests.sh: $lib has no jars (java-tests.sh prepare $lib)" >&2; exit 1; }
    echo "$jar:$checkout/java/target/test-classes:${extra%:}"
}

case "${1:-}" in
prepare)
    lib=$2
    mkdir -p "$lib"
    junit=$(pom_property junit.version)
    platform="1.${junit#5.}"    # JUnit 5.x.y ships its platform as 1.x.y
    for a in "org.junit.platform:junit-platform-console-standalone:$platform" \
             "net.java.dev.jna:jna:$(pom_property jna.version)"; do
        name=$(echo "$a" | cut -d: -f2)-$(echo "$a" | cut -d: -f3).jar
        [ -e "$lib/$name" ] || (cd "$checkout" && mvn -B -q -N dependency:copy -Dartifact="$a" \
            -DoutputDirectory="$(readlink -f "$lib")")
    done
    ;;
classpath)
    classpath "$2"
    ;;
run)
    java=$2
    cp=$(classpath "$3")
    shift 3
    # JVM options up to a "--", when there is one; then the classes, each as --select-class.
    jvm=
    case " $* " in
    *" -- "*)
        while [ "$1" != -- ]; do jvm="$jvm $1"; shift; done
        shift;;
    esac
    case "$(uname -m)" in
    x86_64) handoff=$checkout/native/target/libs4jtest_signal_handoff.so ;;
    *) handoff=$checkout/native/target/arm64/libs4jtest_signal_handoff.so ;;
    esac
    for c in "$@"; do
        shift
        set -- "$@" --select-class "io.srcu4j.$c"
    done
    # $jvm is split on spaces: options with spaces in them are not supported.
    exec "$java" --enable-native-access=ALL-UNNAMED -Dsrcu4j.test.signalHandoffLib="$handoff" \
        $jvm -cp "$cp" org.junit.platform.console.ConsoleLauncher execute \
        --disable-banner --details=summary --details-theme=ascii "$@"
    ;;
*)
    sed -n '2,/^set -eu/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2
    exit 2
    ;;
esac
