#!/bin/sh
# Makes sure the build tools are there: a C compiler, Maven, and nm (binutils) for the bindings
# tests. Missing ones are installed from Debian/Ubuntu packages when we can (root + apt-get);
# otherwise the message says what to install.
set -e
missing=
command -v cc >/dev/null 2>&1 || missing="$missing gcc libc6-dev"
command -v mvn >/dev/null 2>&1 || missing="$missing maven"
command -v nm >/dev/null 2>&1 || missing="$missing binutils"
[ -z "$missing" ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing:$missing"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
    exit 0
fi
echo "Missing build tools; install these packages (or their equivalents):$missing" >&2
exit 1
