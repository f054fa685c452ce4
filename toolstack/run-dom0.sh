#!/usr/bin/env bash
# toolstack/run-dom0.sh — `make run-dom0`: keel on QEMU virt with Debian's arm64 Linux as
# dom0 (toolstack/make-dom0-initramfs.sh: Debian's xen-utils-4.17; /init is
# toolstack/dom0-init with keel.action=shell) and two dom0less domUs beside it (the busybox
# initramfs of tools/fetch-guest.sh, a shell on each vPL011), from one device tree
# (tools/make-dom0less-dtb.sh --dom0-kernel). dom0 also gets a virtio-blk disk (4 MiB of a
# fixed pattern, read-only) and a virtio-net NIC on QEMU's user network (restrict=on: DHCP,
# no way out). dom0 comes up, runs xenstored, xen-init-dom0, xenconsoled, `xl info`,
# `xl list`, and leaves a shell on its console: type `xl list`, `xl info`, `xenstore-ls`.
# --xen boots Debian's Xen 4.17 (bench/lib.sh fetch_xen) with the very same DTB instead.
# QEMU's escape key is CTRL-] (CTRL-] x quits), so CTRL-a reaches the hypervisor's console
# switch (three times: dom0 -> domU1 -> domU2 -> hypervisor).
# Usage: toolstack/run-dom0.sh [--xen] [--dry-run]
#   env BUILD (build), QEMU_SMP (2), QEMU_CPU (cortex-a57), QEMU_MEM (2G),
#   RUN_APPEND (keel/Xen command line; dom0_mem=768M dom0_max_vcpus=2 ...),
#   RUN_DOMUS (2: how many domUs), RUN_DOMU_MEM_KB (262144), RUN_DOMU_CPUS (1)
set -euo pipefail
trap 'echo "run-dom0: failed (exit $?): $BASH_COMMAND" >&2' ERR
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
BUILD=${BUILD:-build}
hv=keel dry=0
for a in "$@"; do
    case $a in
        --xen) hv=xen ;;
        --dry-run) dry=1 ;;
        *) echo "run-dom0: unknown argument '$a'" >&2; exit 2 ;;
    esac
done
smp=${QEMU_SMP:-2} cpu=${QEMU_CPU:-cortex-a57} mem=${QEMU_MEM:-2G}
append=${RUN_APPEND:-console=dtuart dtuart=/pl011@9000000 dom0_mem=768M dom0_max_vcpus=2 bootscrub=0 keel.exit_when_idle}
ndomus=${RUN_DOMUS:-2} domu_kb=${RUN_DOMU_MEM_KB:-262144} domu_cpus=${RUN_DOMU_CPUS:-1}
machine="-machine virt,virtualization=on,gic-version=3 -cpu $cpu -smp $smp -m $mem"

image=$BUILD/keel.bin
if [[ $hv == xen ]]; then
    # shellcheck source=../bench/lib.sh
    source "$ROOT/bench/lib.sh"; fetch_xen; image=$XEN
fi
[[ -f $image ]] || { echo "run-dom0: $image missing (make image)" >&2; exit 2; }
guest=$(tools/fetch-guest.sh --quiet)
dom0=$(KEEL_FETCH_GUEST=$guest toolstack/make-dom0-initramfs.sh --quiet)
kernel=$(sed -n 's/^kernel //p' <<< "$dom0") dom0_initrd=$(sed -n 's/^initrd //p' <<< "$dom0")
domu_initrd=$(sed -n 's/^initrd //p' <<< "$guest")

disk=$BUILD/run-files/dom0-disk.img
if [[ ! -f $disk ]]; then
    mkdir -p "${disk%/*}"
    head -c 4194304 < <(yes 'keel dom0 virtio-blk test disk') > "$disk.$$" && mv "$disk.$$" "$disk"
fi
sha=$(sha256sum "$disk" | cut -c1-64)

doms=()
for i in $(seq 1 "$ndomus"); do
    doms+=(--domain "domU$i" --memory "$domu_kb" --cpus "$domu_cpus" --kernel "$kernel" --ramdisk "$domu_initrd"
           --bootargs "console=ttyAMA0 earlycon=pl011,0x22000000 rdinit=/init keel.action=shell keel.role=domu$i")
done
mkdir -p "$BUILD/dtbs"
dtb=$BUILD/dtbs/run-dom0.dtb
mapfile -t loaders < <(tools/make-dom0less-dtb.sh -o "$dtb" -q "$machine" -b "$append" \
    --dom0-kernel "$kernel" --dom0-ramdisk "$dom0_initrd" \
    --dom0-bootargs "console=hvc0 earlycon=xenboot rdinit=/init keel.action=shell keel.disk_sha256=$sha" \
    "${doms[@]}")
# shellcheck disable=SC2206,SC2054  # machine flags are words on purpose
qemu=(qemu-system-aarch64 $machine -nic none -nographic -echr 0x1d -kernel "$image" -dtb "$dtb" "${loaders[@]}"
      -drive "if=none,id=d0,format=raw,readonly=on,file=$disk" -device virtio-blk-device,drive=d0
      -netdev user,id=n0,restrict=on -device virtio-net-device,netdev=n0)
if ((dry)); then printf '%q ' "${qemu[@]}"; echo; exit 0; fi
echo "make run-dom0 ($hv): dom0 ends at a shell on its console (xl list, xl info, xenstore-ls);"
echo "  CTRL-a three times switches console input; CTRL-] x quits QEMU"
exec "${qemu[@]}"
