#!/usr/bin/env bash
# tools/record-xen-conformance.sh — records the Xen ABI conformance guest
# (guests/conformance) on real Xen 4.17 (Debian's xen-hypervisor-4.17-arm64,
# extracted into ~/.cache/keel by bench/lib.sh's fetch_xen) as a plain dom0less
# domU (no xen,enhanced: Xen 4.17 refuses enhanced domUs without dom0), with the
# same QEMU machine and DTB tool the keel scenario uses, and writes the transcript
# to tests/xen/conformance.xen-4.17.txt (header lines start with "#").
# The keel side: tests/scenarios/xen-conformance diffs its run against that file.
# Usage: tools/record-xen-conformance.sh [BUILD=build]      (QEMU bounded: 300 s)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
BUILD=${BUILD:-build}
OUT=$ROOT/$BUILD/xen-conformance; mkdir -p "$OUT"
guest=$ROOT/$BUILD/arm64/guests/conformance.bin
[[ -f $guest ]] || { echo "record-xen-conformance: $guest missing (make BUILD=$BUILD image)" >&2; exit 2; }
# shellcheck source=../tests/xen/conformance-lib.sh
source "$ROOT/tests/xen/conformance-lib.sh"

# Real Xen 4.17 from Debian, extracted into the cache (bench/lib.sh's fetch_xen).
# shellcheck source=../bench/lib.sh
source "$ROOT/bench/lib.sh"
fetch_xen
xen=$XEN debver=$XEN_DEB_VERSION

# Must match tests/scenarios/xen-conformance (machine, memory, vCPUs).
machine="-machine virt,virtualization=on,gic-version=3 -cpu cortex-a57 -smp 2 -m 1G -nic none"
mapfile -t loaders < <(tools/make-dom0less-dtb.sh -o "$OUT/conformance.dtb" -q "$machine" \
    -b "console=dtuart dtuart=/pl011@9000000 bootscrub=0" \
    --domain domU1 --memory 65536 --cpus 1 --kernel "$guest")
log=$OUT/xen.log; : > "$log"
# shellcheck disable=SC2086  # machine flags are words on purpose
timeout -k 5 300 qemu-system-aarch64 $machine -nographic -monitor none -serial stdio \
    -kernel "$xen" -dtb "$OUT/conformance.dtb" "${loaders[@]}" < /dev/null > "$log" 2>&1 &
pid=$!
while kill -0 "$pid" 2>/dev/null; do
    grep -aq 'CONFORMANCE-DONE' "$log" && { sleep 1; break; }
    sleep 0.5
done
kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true
grep -aq 'CONFORMANCE-DONE' "$log" || { echo "record-xen-conformance: no CONFORMANCE-DONE (log: $log)" >&2; exit 1; }

dst=$ROOT/tests/xen/conformance.xen-4.17.txt
{
    echo "# Xen ABI conformance transcript (guests/conformance) on real Xen 4.17"
    echo "# (Debian xen-hypervisor-4.17-arm64 ${debver:-?}), plain dom0less domU1: 64 MiB, 1 vCPU,"
    echo "# QEMU $machine. Regenerate: make image && tools/record-xen-conformance.sh"
    echo "# Compared by tests/scenarios/xen-conformance; accepted differences: tests/xen/conformance.accepted."
    conformance_extract "$log"
} > "$dst.tmp"
mv "$dst.tmp" "$dst"
echo "record-xen-conformance: $(grep -vc '^#' "$dst") lines -> $dst"
