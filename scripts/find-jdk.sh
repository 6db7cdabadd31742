#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Prints the home of a JDK whose major version is at least $1 (default 25): JAVA_HOME when it is
# one, else the javac on PATH, else the first found in the usual install locations. Exits 1 with
# a message naming every place it looked when there is none.
min=${1:-25}

major() {
    # The release file of any JDK 9+ has JAVA_VERSION="25.0.3" (or "25").
    sed -n 's/^JAVA_VERSION="\([0-9][0-9]*\).*/\1/p' "$1/release" 2>/dev/null
}

suitable() {
    [ -n "$1" ] && [ -x "$1/bin/javac" ] && [ -x "$1/bin/java" ] || return 1
    m=$(major "$1")
    [ -n "$m" ] && [ "$m" -ge "$min" ]
}

on_path=
if command -v javac >/dev/null 2>&1; then
    on_path=$(dirname "$(dirname "$(readlink -f "$(command -v javac)")")")
fi

for home in "$JAVA_HOME" "$on_path" /usr/lib/jvm/* /usr/local/lib/jvm/* /usr/java/* /opt/java/* \
            /opt/jdk* /opt/openjdk* "$HOME"/.sdkman/candidates/java/* "$HOME"/.jdks/*; do
    if suitable "$home"; then
        echo "$home"
        exit 0
    fi
done

{
    echo "No JDK $min or newer found. srcu4j needs JDK $min+ (Java FFM API, Java $min language level)."
    echo "Looked at: JAVA_HOME=${JAVA_HOME:-<unset>}, the javac on PATH (${on_path:-none}),"
    echo "  /usr/lib/jvm/*, /usr/local/lib/jvm/*, /usr/java/*, /opt/java/*, /opt/jdk*, /opt/openjdk*,"
    echo "  ~/.sdkman/candidates/java/*, ~/.jdks/*"
    echo "Install one (e.g. Temurin $min) or point JAVA_HOME at it."
} >&2
exit 1
