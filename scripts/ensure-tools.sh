#!/bin/sh
# Makes sure the build tools are there: a C compiler, Maven, and nm (binutils) for the bindings
# tests. Missing ones are installed from Debian/Ubuntu packages when we can (root + apt-get);
# otherwise the message says what to install.
# Also a font for the report's charts: a JDK renders text through fontconfig and fails without
# any font, as on a minimal Debian. Without one only the charts are left out, so a missing font
# is installed when we can and otherwise only warned about.
set -e
missing=
command -v cc >/dev/null 2>&1 || missing="$missing gcc libc6-dev"
command -v mvn >/dev/null 2>&1 || missing="$missing maven"
command -v nm >/dev/null 2>&1 || missing="$missing binutils"
fonts=
[ -n "$(fc-list 2>/dev/null)" ] || fonts=" fontconfig fonts-dejavu-core"
[ -z "$missing$fonts" ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing:$missing$fonts"
    apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing $fonts >/dev/null
    exit 0
fi
[ -n "$fonts" ] && echo "No font found (fc-list); the report will have no charts until these are installed:$fonts" >&2
[ -z "$missing" ] && exit 0
echo "Missing build tools; install these packages (or their equivalents):$missing" >&2
exit 1
