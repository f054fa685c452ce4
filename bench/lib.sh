# shellcheck shell=bash
# bench/lib.sh — what the benchmark scripts share: paths, Debian's Xen 4.17 (fetched
# into the cache, never into the tree), the boot benchmark's initramfs, the dom0less
# DTB writer wrapper, and run_qemu (one bounded QEMU run, its log kept, marker times).
# Sourced by bench/run.sh; needs ROOT, BUILD, OUT set.

CACHE=${KEEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/keel}
QEMU_BASE="-machine virt,virtualization=on,gic-version=3 -cpu cortex-a57 -m 1G -nic none"
ICOUNT="-icount shift=0,sleep=off"   # deterministic: 1 ns of virtual time per instruction
XEN_ARGS="console=dtuart dtuart=/pl011@9000000 console_timestamps=boot"

# Debian's xen-hypervisor-4.17-arm64, extracted into the cache; sets XEN and XEN_DEB_VERSION.
fetch_xen() {
    XEN=$CACHE/x/xen-hypervisor-4.17-arm64/boot/xen-4.17-arm64
    if [[ ! -f $XEN ]]; then
        mkdir -p "$CACHE/debs" "$CACHE/x"
        (cd "$CACHE/debs" && ls xen-hypervisor-4.17-arm64_*_arm64.deb >/dev/null 2>&1 ||
            apt-get download xen-hypervisor-4.17-arm64:arm64 >/dev/null)
        rm -rf "$CACHE/x/xen-hypervisor-4.17-arm64"
        dpkg-deb -x "$(ls "$CACHE"/debs/xen-hypervisor-4.17-arm64_*_arm64.deb | head -1)" \
            "$CACHE/x/xen-hypervisor-4.17-arm64"
    fi
    XEN_DEB_VERSION=$(ls "$CACHE"/debs/xen-hypervisor-4.17-arm64_*_arm64.deb | head -1 |
        sed -E 's/.*_(.*)_arm64\.deb/\1/')
}

# The boot benchmark's initramfs: Debian's busybox-static (tools/fetch-guest.sh put it in
# the cache), bench/init and bench/cntvct (the marker with the guest's CNTVCT_EL0).
# Sets BENCH_INITRD.
build_bench_initrd() {
    local st bb=$CACHE/x/busybox-static/bin/busybox
    [[ -x $bb ]] || { echo "bench: $bb missing (tools/fetch-guest.sh)" >&2; return 1; }
    aarch64-linux-gnu-gcc -static -nostdlib -ffreestanding -fno-stack-protector -O2 -Wall \
        -o "$OUT/cntvct" "$ROOT/bench/cntvct.c"
    st=$(mktemp -d "$OUT/initrd.XXXX")
    mkdir -p "$st"/{bin,proc,dev}
    cp "$bb" "$st/bin/busybox"
    for a in sh mount cat poweroff; do ln -sf busybox "$st/bin/$a"; done
    install -m 0755 "$OUT/cntvct" "$st/bin/cntvct"
    install -m 0755 "$ROOT/bench/init" "$st/init"
    BENCH_INITRD=$OUT/bench-initrd.cpio.gz
    (cd "$st" && find . | LC_ALL=C sort | cpio -o -H newc --quiet -R 0:0 | gzip -9) > "$BENCH_INITRD"
    rm -rf "$st"
}

# make_dtb NAME SMP XEN-BOOTARGS DOMAIN-ARGS... : writes $OUT/dtbs/NAME.dtb and
# $OUT/dtbs/NAME.loaders (the -device loader arguments, one per line).
make_dtb() {
    local name=$1 smp=$2 xargs=$3; shift 3
    mkdir -p "$OUT/dtbs"
    "$ROOT/tools/make-dom0less-dtb.sh" -o "$OUT/dtbs/$name.dtb" -q "$QEMU_BASE -smp $smp" \
        -b "$xargs" "$@" > "$OUT/dtbs/$name.loaders"
}

# run_qemu LOG CLOCK LIMIT SMP MARKER... -- QEMU-ARGS...
# One QEMU run under `timeout` (LIMIT seconds), output in LOG. Polls the log until every
# marker (a fixed string) has appeared, QEMU has ended, or the limit. Prints one word
# per marker, "<ms>" of wall clock from QEMU start or "MISSING".
run_qemu() {
    local log=$1 clock=$2 limit=$3 smp=$4; shift 4
    local markers=() m; while [[ $1 != -- ]]; do markers+=("$1"); shift; done; shift
    local extra=""; [[ $clock == icount ]] && extra=$ICOUNT
    : > "$log"
    local t0=${EPOCHREALTIME/./}
    # shellcheck disable=SC2086  # flag strings are words on purpose
    timeout -k 5 "$limit" qemu-system-aarch64 $QEMU_BASE -smp "$smp" $extra -nographic \
        -monitor none -serial stdio "$@" < /dev/null >> "$log" 2>&1 &
    local pid=$! all
    declare -A at=()
    while :; do
        all=1
        for m in "${markers[@]}"; do
            if [[ -z ${at[$m]:-} ]]; then
                if grep -aqF -- "$m" "$log"; then at[$m]=$(( (${EPOCHREALTIME/./} - t0) / 1000 )); else all=0; fi
            fi
        done
        ((all)) && break
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.02
    done
    kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
    local out=()
    for m in "${markers[@]}"; do out+=("${at[$m]:-MISSING}"); done
    echo "${out[*]}"
}
