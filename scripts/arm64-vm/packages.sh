#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Fetches the aarch64 system the VM runs, as Debian packages, and unpacks it into a root
# directory; both are kept, so a later run reuses them and starts in seconds.
#
# usage: packages.sh DIR      (DIR: build/arm64-vm; writes DIR/apt, DIR/debs, DIR/sysroot)
#
# apt-get runs with a configuration of its own under DIR/apt: its own sources list (Debian
# $SUITE, arm64 only), package lists, cache and an empty dpkg status, so the host's sources and
# package state are never read or changed. The packages: the arm64 kernel (linux-image-arm64's
# current image), busybox-static, OpenJDK 25 (openjdk-25-jdk-headless and the runtime it needs,
# openjdk-25-jre-headless), and the libraries the JDK and the C tests load: libc6, libgcc-s1,
# libstdc++6, zlib1g, and libasan8/libubsan1 for the sanitizer builds. Only these are unpacked:
# the JDK's other dependencies serve parts the tests do not load (fonts, images, smart cards,
# certificates). ARM64_VM_REFRESH=1 reads the package lists anew (a newer kernel or JDK).
set -euo pipefail
mkdir -p "$1"
dir=$(readlink -f "$1")
SUITE=${ARM64_VM_SUITE:-trixie}
MIRROR=${ARM64_VM_MIRROR:-http://deb.debian.org/debian}
KEYRING=${ARM64_VM_KEYRING:-/usr/share/keyrings/debian-archive-keyring.gpg}
apt=$dir/apt
PACKAGES="busybox-static openjdk-25-jdk-headless openjdk-25-jre-headless libc6 libgcc-s1
          libstdc++6 zlib1g libasan8 libubsan1"

[ -r "$KEYRING" ] || { echo "packages.sh: no Debian archive keyring at $KEYRING" \
    "(package debian-archive-keyring; or set ARM64_VM_KEYRING)" >&2; exit 1; }
mkdir -p "$apt"/{etc/sources.list.d,etc/preferences.d,lists/partial,cache/archives/partial,state} \
    "$dir/debs"
[ -e "$apt/state/status" ] || : > "$apt/state/status"
echo "deb [signed-by=$KEYRING] $MIRROR $SUITE main" > "$apt/etc/sources.list"
cat > "$apt/apt.conf" <<CONF
APT::Architecture "arm64";
APT::Architectures { "arm64"; };
Dir::Etc::SourceList "$apt/etc/sources.list";
Dir::Etc::SourceParts "$apt/etc/sources.list.d";
Dir::Etc::Preferences "$apt/etc/preferences";
Dir::Etc::PreferencesParts "$apt/etc/preferences.d";
Dir::State "$apt/state";
Dir::State::Lists "$apt/lists";
Dir::State::status "$apt/state/status";
Dir::Cache "$apt/cache";
Acquire::Languages "none";
CONF
export APT_CONFIG=$apt/apt.conf

if [ -n "${ARM64_VM_REFRESH:-}" ] || ! ls "$apt"/lists/*_Packages* >/dev/null 2>&1; then
    echo "## packages: reading Debian $SUITE's arm64 package list"
    apt-get update -qq
fi
kernel=$(apt-cache depends linux-image-arm64 | sed -n 's/^ *Depends: \(linux-image-[0-9][^ ]*\)$/\1/p' | head -n 1)
[ -n "$kernel" ] || { echo "packages.sh: linux-image-arm64 names no kernel image" >&2; exit 1; }

# The file names apt would download: a package already in debs/ is not fetched again. One
# apt-cache call for all: each call reads the whole package list.
wanted=()
fetch=()
while read -r p v; do
    [ -n "$v" ] && [ "$v" != "(none)" ] || { echo "packages.sh: $p is not in $SUITE for arm64" >&2; exit 1; }
    f="${p}_${v//:/%3a}_arm64.deb"
    wanted+=("$f")
    [ -e "$dir/debs/$f" ] || fetch+=("$p=$v")
done < <(apt-cache policy $kernel $PACKAGES | awk '/^[^ ].*:$/ { sub(/:(arm64)?:?$/, ""); p = $1 }
                                                   /^ *Candidate:/ { print p, $2 }')
[ ${#wanted[@]} -eq $(($(wc -w <<< "$PACKAGES") + 1)) ] \
    || { echo "packages.sh: apt-cache policy did not name every package: ${wanted[*]}" >&2; exit 1; }
if [ ${#fetch[@]} -gt 0 ]; then
    echo "## packages: downloading ${#fetch[@]} package(s): ${fetch[*]%%=*}"
    # apt-get download writes to the current directory; as root it warns that it cannot drop to
    # the _apt user there, which is harmless.
    (cd "$dir/debs" && apt-get download -q "${fetch[@]}" 2>&1 | grep -v -e '^Get:' -e 'unsandboxed' || true)
    for f in "${wanted[@]}"; do
        [ -e "$dir/debs/$f" ] || { echo "packages.sh: download of $f failed" >&2; exit 1; }
    done
fi

# Unpacks only when the set of packages changed since the root was made.
sysroot=$dir/sysroot
stamp=$sysroot/.packages
if [ -e "$stamp" ] && [ "$(cat "$stamp")" = "${wanted[*]}" ]; then
    echo "## packages: $SUITE arm64 root up to date (${#wanted[@]} packages, cached in $dir/debs)"
else
    echo "## packages: unpacking ${#wanted[@]} packages into $sysroot"
    rm -rf "$sysroot"
    mkdir -p "$sysroot"
    for f in "${wanted[@]}"; do
        dpkg-deb -x "$dir/debs/$f" "$sysroot"
    done
    echo "${wanted[*]}" > "$stamp"
fi
# What dpkg, base-files and dash would have made: the merged-/usr links, mount points, a root
# user, /bin/sh (busybox's).
for d in bin sbin lib; do [ -e "$sysroot/$d" ] || [ -L "$sysroot/$d" ] || ln -s "usr/$d" "$sysroot/$d"; done
[ -e "$sysroot/usr/bin/sh" ] || ln -s busybox "$sysroot/usr/bin/sh"
mkdir -p "$sysroot"/{proc,sys,dev,tmp,run,project,root}
echo "root:x:0:0:root:/root:/bin/sh" > "$sysroot/etc/passwd"
echo "root:x:0:" > "$sysroot/etc/group"
