#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Checks what the published jars hold, after a build (`mvn package`): srcu4j's jar is module
# io.srcu4j, exporting io.srcu4j and io.srcu4j.cpu and nothing else, with the bindings inside;
# it, its -sources jar and its -javadoc jar carry the checkout's LICENSE and NOTICE as
# META-INF/LICENSE and META-INF/NOTICE. Usage: scripts/check-jars.sh (from the top of the
# checkout, JAVA_HOME a JDK 25); make test and scripts/check-reproducible.sh run it.
set -eu
jdk=${JAVA_HOME:?JAVA_HOME must name a JDK 25}
status=0
fail() { echo "check-jars: $*" >&2; status=1; }

main=$(ls java/target/srcu4j-[0-9]*.jar 2>/dev/null | grep -v -e '-sources\.jar$' -e '-javadoc\.jar$' | head -n 1)
[ -n "$main" ] || { echo "check-jars: no java/target/srcu4j-*.jar (mvn package makes it)" >&2; exit 1; }
base=${main%.jar}

module=$("$jdk/bin/jar" --describe-module --file "$main")
name=$(echo "$module" | head -n 1 | cut -d@ -f1)
[ "$name" = io.srcu4j ] || fail "$main is module '$name', not io.srcu4j"
exports=$(echo "$module" | sed -n 's/^exports //p' | sort | tr '\n' ' ' | sed 's/ $//')
[ "$exports" = "io.srcu4j io.srcu4j.cpu" ] || fail "$main exports '$exports'; only io.srcu4j and io.srcu4j.cpu may be"
echo "$module" | grep -q '^opens ' && fail "$main opens packages: $(echo "$module" | grep '^opens ')"
echo "$module" | grep -qx 'contains io.srcu4j.bindings' || fail "$main does not hold io.srcu4j.bindings"

for jar in "$main" "$base-sources.jar" "$base-javadoc.jar"; do
    [ -f "$jar" ] || { fail "$jar is missing"; continue; }
    for f in LICENSE NOTICE; do
        unzip -p "$jar" "META-INF/$f" 2>/dev/null | cmp -s - "$f" || fail "$jar has no META-INF/$f equal to ./$f"
    done
done
[ $status = 0 ] && echo "jars: $(basename "$main") is module io.srcu4j exporting $exports; LICENSE and NOTICE in it, -sources and -javadoc"
exit $status
