#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Builds the jars twice from a clean tree and compares them byte for byte: the build must be
# reproducible (project.build.outputTimestamp in the top pom). The second build's published jars
# are then checked for what they must hold (scripts/check-jars.sh). Usage:
# scripts/check-reproducible.sh (from the top of the checkout, with JAVA_HOME a JDK 25; `make
# reproducible` runs it).
set -e
jars="native/target/*.so bindings/target/srcu4j-bindings-*.jar java/target/srcu4j-*.jar"
out=build/reproducible
rm -rf "$out" && mkdir -p "$out/1" "$out/2"
for round in 1 2; do
    mvn -B -q clean package -DskipTests >"$out/build-$round.log" 2>&1 || { cat "$out/build-$round.log"; exit 1; }
    for f in $jars; do cp "$f" "$out/$round/"; done
done
status=0
for f in "$out"/1/*; do
    name=$(basename "$f")
    if cmp -s "$f" "$out/2/$name"; then
        echo "same:      $name $(sha256sum < "$f" | cut -c1-16)"
    else
        echo "DIFFERENT: $name"
        status=1
    fi
done
scripts/check-jars.sh || status=1
exit $status
