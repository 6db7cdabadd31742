#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Packs the VM's initramfs: busybox, the init script beside this file, and the kernel modules
# that mount the host's directories over virtio-9p (9p and what it depends on, as the modules'
# own depends= fields say), uncompressed so busybox's insmod can load them. A few MB; made anew
# only when one of its inputs changed.
#
# usage: initramfs.sh DIR     (DIR/sysroot from packages.sh; writes DIR/initramfs.cpio.gz)
set -euo pipefail
dir=$(readlink -f "$1")
here=$(dirname "$(readlink -f "$0")")
sysroot=$dir/sysroot
out=$dir/initramfs.cpio.gz
kver=$(ls "$sysroot/usr/lib/modules" | head -n 1)
mods=$sysroot/usr/lib/modules/$kver
[ -n "$kver" ] && [ -d "$mods" ] || { echo "initramfs.sh: no kernel modules in $sysroot" >&2; exit 1; }
if [ -e "$out" ] && [ "$out" -nt "$sysroot/.packages" ] && [ "$out" -nt "$here/init" ] && [ "$out" -nt "$0" ]; then
    exit 0
fi

stage=$dir/initramfs
rm -rf "$stage"
mkdir -p "$stage"/{bin,lib/modules,proc,sys,dev,newroot}
cp "$sysroot/usr/bin/busybox" "$stage/bin/busybox"
cp "$here/init" "$stage/init"
chmod 755 "$stage/init"

# depends= of a module file (.ko or .ko.xz), as a list of names.
depends() {
    case "$1" in
    *.xz) xz -dc "$1" ;;
    *) cat "$1" ;;
    esac | tr '\0' '\n' | sed -n 's/^depends=//p' | tr ',' ' '
}
# Adds module $1 after the modules it depends on, once.
declare -A added=()
order=()
add() {
    local name=$1 file
    [ -z "${added[$name]:-}" ] || return 0
    file=$(find "$mods/kernel" -name "$name.ko" -o -name "$name.ko.xz" | head -n 1)
    [ -n "$file" ] || { echo "initramfs.sh: module $name not found under $mods" >&2; exit 1; }
    added[$name]=1
    for d in $(depends "$file"); do add "$d"; done
    case "$file" in
    *.xz) xz -dc "$file" > "$stage/lib/modules/$name.ko" ;;
    *) cp "$file" "$stage/lib/modules/$name.ko" ;;
    esac
    order+=("$name")
}
for m in 9pnet_virtio 9p; do add "$m"; done
printf '%s\n' "${order[@]}" > "$stage/lib/modules/order"

(cd "$stage" && find . | LC_ALL=C sort | cpio -o -H newc --quiet | gzip -1) > "$out.tmp"
mv "$out.tmp" "$out"
echo "## initramfs: busybox and modules ${order[*]} ($kver), $(du -k "$out" | cut -f1) KiB"
