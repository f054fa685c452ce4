#!/usr/bin/env bash
# bench/boot-compare.sh — time from QEMU start to each Debian Linux guest's
# "GUEST-READY" marker, interleaved in one run: keel dom0less (two domUs, 2 vCPUs
# and 256 MiB each), real Xen 4.17 dom0less (Debian's xen-hypervisor-4.17-arm64,
# the very same DTB, modules and QEMU flags) and the same kernel on bare QEMU.
# Wall clock: only ratios from the same run mean anything.
# Also collects each guest's `sleep 1` figure (GUEST-SLEEP, seconds of guest uptime).
# Usage: bench/boot-compare.sh [rounds=5]     Output: build/bench/boot-compare.txt
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
rounds=${1:-5}
OUT=$ROOT/build/bench; mkdir -p "$OUT"
[[ -f build/keel.bin ]] || make image >/dev/null

read -r _ kernel < <(tools/fetch-guest.sh | grep '^kernel ')
read -r _ initrd < <(tools/fetch-guest.sh | grep '^initrd ')

# Real Xen 4.17 from Debian, extracted into the cache (never into the tree).
# shellcheck source=lib.sh
source "$ROOT/bench/lib.sh"
fetch_xen
xen=$XEN

machine="-machine virt,virtualization=on,gic-version=3 -cpu cortex-a57 -smp 2 -m 1G -nic none"
args="console=ttyAMA0 earlycon=pl011,0x22000000 rdinit=/init"
mapfile -t loaders < <(tools/make-dom0less-dtb.sh -o "$OUT/two-domu.dtb" -q "$machine" \
    -b "console=dtuart dtuart=/pl011@9000000 bootscrub=0" \
    --domain domU1 --memory 262144 --cpus 2 --kernel "$kernel" --ramdisk "$initrd" --bootargs "$args keel.role=domu1" \
    --domain domU2 --memory 262144 --cpus 2 --kernel "$kernel" --ramdisk "$initrd" --bootargs "$args keel.role=domu2")

# run <tag> <markers...> -- <qemu args...>: prints "<marker>\t<ms>" per marker.
run() {
    local tag=$1; shift
    local markers=(); while [[ $1 != -- ]]; do markers+=("$1"); shift; done; shift
    local log=$OUT/$tag.log; : > "$log"
    local t0=${EPOCHREALTIME/./}
    # shellcheck disable=SC2086
    timeout -k 5 300 qemu-system-aarch64 $machine -nographic -monitor none -serial stdio "$@" \
        < /dev/null > "$log" 2>&1 &
    local pid=$! m seen=() all
    declare -A at=()
    while kill -0 "$pid" 2>/dev/null; do
        all=1
        for m in "${markers[@]}"; do
            if [[ -z ${at[$m]:-} ]]; then
                if grep -aqF -- "$m" "$log"; then at[$m]=$(( (${EPOCHREALTIME/./} - t0) / 1000 )); else all=0; fi
            fi
        done
        ((all)) && break
        sleep 0.05
    done
    kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
    for m in "${markers[@]}"; do
        [[ $m == *GUEST-SLEEP* ]] && continue
        printf '%s\t%s\t%s\n' "$tag" "$m" "${at[$m]:-MISSING}"
    done
    # `sleep 1` as each guest measured it against its own uptime (seconds).
    grep -aoE 'GUEST-SLEEP role=[a-z0-9]+ sleep1=[0-9.]+' "$log" | tr -d '\r' |
        sed -E 's/GUEST-SLEEP role=([a-z0-9]+) sleep1=/sleep1 \1\t/' | sed "s/^/$tag\t/"
}

res=$OUT/boot-compare.tsv; : > "$res"
for r in $(seq 1 "$rounds"); do
    run keel "GUEST-READY role=domu1" "GUEST-READY role=domu2" "GUEST-SLEEP role=domu1" "GUEST-SLEEP role=domu2" -- \
        -kernel build/keel.bin -dtb "$OUT/two-domu.dtb" "${loaders[@]}" | tee -a "$res"
    run xen "GUEST-READY role=domu1" "GUEST-READY role=domu2" "GUEST-SLEEP role=domu1" "GUEST-SLEEP role=domu2" -- \
        -kernel "$xen" -dtb "$OUT/two-domu.dtb" "${loaders[@]}" | tee -a "$res"
    run native "GUEST-READY role=native" "GUEST-SLEEP role=native" -- \
        -kernel "$kernel" -initrd "$initrd" -append "console=ttyAMA0 rdinit=/init keel.role=native" | tee -a "$res"
done

{
    echo "boot to GUEST-READY (ms, wall clock, $rounds interleaved rounds; $(date -u +%F))"
    echo "QEMU: $machine; kernel $(basename "$kernel"); Xen $(basename "$xen")"
    awk -F'\t' '$3 != "MISSING" { k = $1 " " $2; v[k] = v[k] " " $3 }
        END { for (k in v) { n = split(substr(v[k], 2), a, " ");
                for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
                med = (n % 2) ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
                fmt = (k ~ /sleep1/) ? "%-36s min %6.3f  median %6.3f  max %6.3f  (n=%d)\n" : "%-36s min %6d  median %6d  max %6d  (n=%d)\n"
                printf fmt, k, a[1], med, a[n], n } }' "$res" | sort
} | tee "$OUT/boot-compare.txt"
