# shellcheck shell=bash
# tests/scenarios/dom0-lib.sh — what the dom0 scenarios share (sourced by their
# scenario files): Debian's kernel as dom0 with toolstack/make-dom0-initramfs.sh's
# initramfs (Debian's xen-utils-4.17), dom0_mem=768M dom0_max_vcpus=2, a virtio-blk
# disk of known content and a virtio-net NIC on QEMU's user network (restrict=on:
# DHCP, nothing outside), and the lines dom0's /init (toolstack/dom0-init) must print.
# The same DTB boots real Xen 4.17: `HV=xen tests/scenarios/run.sh dom0-smp2`.
BOOT=dom0 MEM=2G LIMIT=900 EXIT=marker  # Xen: 92 s (smp4) and 490 s (smp2) on a host at load 15-20
APPEND="console=dtuart dtuart=/pl011@9000000 dom0_mem=768M dom0_max_vcpus=2 bootscrub=0 keel.exit_when_idle"
dom0_disk
DOM0_ACTION=${DOM0_ACTION:-poweroff}
DOM0="@linux:@dom0:console=hvc0 earlycon=xenboot rdinit=/init keel.action=$DOM0_ACTION keel.disk_sha256=$DOM0_DISK_SHA256"
QEMU_EXTRA=(-drive "if=none,id=d0,format=raw,readonly=on,file=$DOM0_DISK" -device virtio-blk-device,drive=d0
            -netdev user,id=n0,restrict=on -device virtio-net-device,netdev=n0)
dom0_expect() {  # dom0_expect NR_CPUS: the acceptance lines of issue 14
    EXPECT+=(
        "DOM0-READY role=dom0 nproc=2 "
        "DOM0-HYPERVISOR type=xen version=4\.17"
        "DOM0-MODPROBE xen-evtchn ok" "DOM0-MODPROBE xen-gntdev ok" "DOM0-MODPROBE xen-gntalloc ok"
        "DOM0-MODPROBE xen-privcmd ok" "DOM0-MODPROBE xenfs ok"
        "DOM0-MODULES ok=9 failed=0"
        "DOM0-XENFS mounted: .*xsd_port"
        "DOM0-CAPABILITIES control_d"
        "DOM0-DISK vda bytes=4194304 sha256=$DOM0_DISK_SHA256"
        "DOM0-DISK-OK"
        "DOM0-NET eth0 driver=virtio_net addr=10\.0\.2\.15/24"
        "DOM0-NET-OK"
        "DOM0-XENSTORED-UP"
        "DOM0-XEN-INIT-DOM0 ok"
        "DOM0-XENCONSOLED-UP"
        "DOM0-END xl-info rc=0"
        # the host's CPUs and RAM (2 GiB; Xen counts every RAM page) and the version
        "DOM0-XL-INFO xen_major=4 xen_minor=17 nr_cpus=$1 total_memory=2048 "
        "DOM0-END xl-list rc=0"
        # Xen: 768; keel: 767, the RAM page under dom0's shared_info is given back
        # (docs/xen-compat.md, "RAM page under shared_info")
        "DOM0-XL-LIST Domain-0\(id=0,mem=76[78],vcpus=2\)"
        "DOM0-END xenstore-ls rc=0"
        "DOM0-DONE role=dom0"
    )
}
FORBID+=("Kernel panic" "Oops" "kernel BUG" "Unable to handle kernel" "crashed" "DOM0-[A-Z-]* .*FAILED" "DOM0-[A-Z]* FAILED"
         "DOM0-DISK-MISMATCH" "DOM0-DISK none" "DOM0-NET none" "no address")
