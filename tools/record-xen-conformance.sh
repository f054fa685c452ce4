#!/usr/bin/env bash
# tools/record-xen-conformance.sh — records the Xen ABI conformance guest
# (guests/conformance) on real Xen 4.17 (Debian's xen-hypervisor-4.17-arm64,
# extracted into ~/.cache/keel as bench/boot-compare.sh does) as a plain dom0less
# domU (no xen,enhanced: Xen 4.17 refuses enhanced domUs without dom0), with the
# same QEMU machine and DTB tool the keel scenario uses, and writes the transcript
# to tests/xen/conformance.xen-4.17.txt (header lines start with "#").
# The keel side: tests/scenarios/xen-conformance diffs its run against that file.
# Usage: tools/record-xen-conformance.sh [BUILD=build]      (QEMU bounded: 300 s)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
BUILD=${BUILD:-build}
CACHE=${KEEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/keel}
OUT=$ROOT/$BUILD/xen-conformance; mkdir -p "$OUT"
guest=$ROOT/$BUILD/arm64/guests/conformance.bin
[[ -f $guest ]] || { echo "record-xen-conformance: $guest missing (make BUILD=$BUILD image)" >&2; exit 2; }
# shellcheck source=../tests/xen/conformance-lib.sh
source "$ROOT/tests/xen/conformance-lib.sh"

xen=$CACHE/x/xen-hypervisor-4.17-arm64/boot/xen-4.17-arm64
if [[ ! -f $xen ]]; then
    mkdir -p "$CACHE/debs" "$CACHE/x"
    (cd "$CACHE/debs" && ls xen-hypervisor-4.17-arm64_*_arm64.deb >/dev/null 2>&1 ||
        apt-get download xen-hypervisor-4.17-arm64:arm64 >/dev/null)
    rm -rf "$CACHE/x/xen-hypervisor-4.17-arm64"
    dpkg-deb -x "$(ls "$CACHE"/debs/xen-hypervisor-4.17-arm64_*_arm64.deb | head -1)" \
        "$CACHE/x/xen-hypervisor-4.17-arm64"
fi
debver=$(ls "$CACHE"/debs/xen-hypervisor-4.17-arm64_*_arm64.deb 2>/dev/null | head -1 | sed -E 's/.*_(.*)_arm64.deb/\1/')

# Must match tests/scenarios/xen-conformance (machine, memory, vCPUs).
machine="-machine virt,virtualization=on,gic-version=3 -cpu cortex-a57 -smp 2 -m 1G"
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
