#!/bin/bash
# SPDX-License-Identifier: Apache-2.0
# Boots the aarch64 VM and follows its console: qemu-system-aarch64, machine virt, -cpu max,
# ARM64_VM_CPUS vCPUs (default 2) on multi-threaded TCG, the Debian arm64 kernel, the initramfs
# of initramfs.sh, the root and the checkout shared over virtio-9p. guest.sh runs the stages
# inside and writes DIR/out/summary (one "stage STATUS seconds" line each) before the VM powers
# off.
#
# usage: run.sh DIR STAGES...  (DIR: build/arm64-vm, relative to the checkout)
#
# The console goes whole to DIR/out/console.log; the terminal gets the stage lines ("## "), the
# counts and failures, and a line every ARM64_VM_HEARTBEAT seconds (default 60) of silence with
# the console's last line; ARM64_VM_VERBOSE=1 streams the whole console. The VM is killed after
# ARM64_VM_TIMEOUT seconds (default 2700). Exits 0 when every stage passed.
set -uo pipefail
checkout=$(cd "$(dirname "$0")/../.." && pwd)
dir=$(readlink -f "$1")
shift
stages="$*"
rel=${dir#"$checkout"/}
[ "$rel" != "$dir" ] || { echo "run.sh: $dir is not inside the checkout $checkout" >&2; exit 2; }
out=$dir/out
mkdir -p "$out"
rm -f "$out/summary"
kernel=$(ls "$dir"/sysroot/boot/vmlinuz-* | head -n 1)
cpus=${ARM64_VM_CPUS:-2}
timeout=${ARM64_VM_TIMEOUT:-2700}
beat=${ARM64_VM_HEARTBEAT:-60}
log=$out/console.log

# pauth-impdef: -cpu max keeps pointer authentication, with a cheaper hash than QARMA to emulate.
cmd=(qemu-system-aarch64 -machine virt -cpu max,pauth-impdef=on -smp "$cpus" -m "${ARM64_VM_MEMORY:-4096}"
     -accel tcg,thread=multi -display none -monitor none -serial stdio -no-reboot -nic none
     -kernel "$kernel" -initrd "$dir/initramfs.cpio.gz"
     -append "console=ttyAMA0 panic=-1 loglevel=4 srcu4j.dir=$rel srcu4j.run=${stages// /,}"
     -fsdev "local,id=sysroot,path=$dir/sysroot,security_model=none,readonly=on"
     -device virtio-9p-pci,fsdev=sysroot,mount_tag=sysroot
     -fsdev "local,id=project,path=$checkout,security_model=none"
     -device virtio-9p-pci,fsdev=project,mount_tag=project)
echo "## vm: ${cmd[*]:0:14}"
start=$SECONDS
last="(nothing yet)"
# The console is read line by line as it comes (a filter such as tr would hold it back in
# blocks); the serial line ends lines with \r\n.
timeout --kill-after=30 "$timeout" "${cmd[@]}" < /dev/null 2>&1 | {
    : > "$log"
    quiet=0
    while true; do
        if IFS= read -r -t "$beat" line; then
            line=${line%$'\r'}
            printf '%s\n' "$line" >> "$log"
            last=$line
            quiet=0
            if [ -n "${ARM64_VM_VERBOSE:-}" ]; then
                printf '%s\n' "$line"
            else
                case "$line" in
                "## "*|"# rseq-count:"*|"not ok"*|*FAILED*|*"Kernel panic"*|"# possible="*) printf '%s\n' "$line";;
                esac
            fi
        else
            [ $? -gt 128 ] || break          # end of the console; > 128: the timeout
            quiet=$((quiet + beat))
            printf '.. %d min in, console quiet for %ds; last: %.100s\n' $(((SECONDS - start) / 60)) "$quiet" "$last"
        fi
    done
}
rc=${PIPESTATUS[0]}
elapsed=$((SECONDS - start))
if [ "$rc" = 124 ] || [ "$rc" = 137 ]; then
    echo "## vm: killed after ${timeout}s (ARM64_VM_TIMEOUT); console: $log" >&2
fi
if [ ! -s "$out/summary" ]; then
    echo "## vm: FAILED: the VM wrote no summary (qemu exit $rc, ${elapsed}s); console: $log" >&2
    tail -n 20 "$log" >&2
    exit 1
fi
echo "## vm: ${elapsed}s in all; stages:"
sed 's/^/##   /' "$out/summary"
ran=$(wc -l < "$out/summary")
if [ "$ran" != "$(wc -w <<< "$stages")" ]; then
    echo "## vm: FAILED: $ran of the $(wc -w <<< "$stages") stages ended (qemu exit $rc); console: $log" >&2
    exit 1
fi
! grep -qv ' ok ' "$out/summary"
