#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Makes sure the build tools are there: a C compiler, Maven, nm (binutils) for the bindings
# tests, and the aarch64 cross compiler with its C library, which builds the jar's linux-aarch64
# library. Missing ones are installed from Debian/Ubuntu packages when we can (root + apt-get);
# otherwise the message says what to install.
# Also a font for the report's charts: a JDK renders text through fontconfig and fails without
# any font, as on a minimal Debian. Without one only the charts are left out, so a missing font
# is installed when we can and otherwise only warned about.
#
# Extra sets, named as arguments:
#   arm64-user  qemu-user (make -C native test-arm64-user)
#   arm64-vm    qemu-system-aarch64, cpio and xz, and apt-get itself (make test-arm64: the VM)
set -e
missing=
extra=    # installed without the packages they only recommend (qemu's would bring a desktop)
command -v cc >/dev/null 2>&1 || missing="$missing gcc libc6-dev"
command -v mvn >/dev/null 2>&1 || missing="$missing maven"
command -v nm >/dev/null 2>&1 || missing="$missing binutils"
command -v aarch64-linux-gnu-gcc >/dev/null 2>&1 || missing="$missing gcc-aarch64-linux-gnu"
[ -e /usr/aarch64-linux-gnu/include/stdio.h ] || missing="$missing libc6-dev-arm64-cross"
for set in "$@"; do
    case "$set" in
    arm64-user)
        command -v qemu-aarch64 >/dev/null 2>&1 || command -v qemu-aarch64-static >/dev/null 2>&1 \
            || extra="$extra qemu-user";;
    arm64-vm)
        command -v qemu-system-aarch64 >/dev/null 2>&1 || extra="$extra qemu-system-arm"
        command -v cpio >/dev/null 2>&1 || extra="$extra cpio"
        command -v xz >/dev/null 2>&1 || extra="$extra xz-utils"
        command -v apt-get >/dev/null 2>&1 || { echo "make test-arm64 fetches the aarch64 kernel," \
            "C library and JDK as Debian packages, and needs apt-get for that." >&2; exit 1; };;
    *)
        echo "ensure-tools.sh: unknown tool set '$set' (known: arm64-user, arm64-vm)" >&2; exit 2;;
    esac
done
fonts=
[ -n "$(fc-list 2>/dev/null)" ] || fonts=" fontconfig fonts-dejavu-core"
[ -z "$missing$extra$fonts" ] && exit 0

if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "Installing:$missing$extra$fonts"
    apt-get update -qq
    [ -z "$missing$fonts" ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing $fonts >/dev/null
    [ -z "$extra" ] || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $extra >/dev/null
    exit 0
fi
[ -n "$fonts" ] && echo "No font found (fc-list); the report will have no charts until these are installed:$fonts" >&2
[ -z "$missing$extra" ] && exit 0
echo "Missing build tools; install these packages (or their equivalents):$missing$extra" >&2
exit 1
