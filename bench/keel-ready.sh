#!/usr/bin/env bash
# bench/keel-ready.sh — time from QEMU start to keel's "keel: ready" line, N runs,
# min/median/max in milliseconds (wall clock; compare only within one run).
# Usage: bench/keel-ready.sh [runs=5] [smp=2]     (needs build/keel.bin: make image)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5} smp=${2:-2}
times=()
for i in $(seq 1 "$runs"); do
    log=$(mktemp)
    t0=${EPOCHREALTIME/./}
    timeout 30 qemu-system-aarch64 -machine virt,virtualization=on,gic-version=3 -cpu cortex-a57 \
        -smp "$smp" -m 1G -nic none -nographic -monitor none -serial stdio -kernel build/keel.bin \
        < /dev/null > "$log" 2>&1 &
    pid=$!
    while ! grep -q "keel: ready" "$log"; do
        kill -0 "$pid" 2>/dev/null || { echo "run $i: QEMU ended without the ready line" >&2; exit 1; }
        sleep 0.005
    done
    t1=${EPOCHREALTIME/./}
    kill "$pid" 2>/dev/null; wait "$pid" 2>/dev/null || true; rm -f "$log"
    times+=($(( (t1 - t0) / 1000 )))
done
printf '%s\n' "${times[@]}" | sort -n | awk -v smp="$smp" '{a[NR]=$1} END {
    m = (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2
    printf "keel-ready -smp %s: min %d ms, median %d ms, max %d ms (n=%d)\n", smp, a[1], m, a[NR], NR }'
