#!/usr/bin/env bash
# tests/scenarios/prepare.sh — builds what scenarios load besides keel itself:
# the boot stub (a minimal bootloader of ours that hands keel an arbitrary DTB,
# built by CMake into build/arm64), the malformed device trees and the Debian guest
# (tools/fetch-guest.sh). Outputs go to $BUILD and the cache. A failing step says
# which one, its command and the first lines of its error (tools/step.sh); whole
# outputs in $BUILD/logs/prepare-*.log.
set -euo pipefail
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-$ROOT/build}
step() { "$ROOT/tools/step.sh" "$@"; }
# (HV=xen runs the scenarios on Debian's Xen 4.17: keel's image is not needed.)
for f in "$BUILD/keel.bin" "$BUILD/arm64/boot-stub.bin"; do
    [[ -f $f || ${HV:-keel} == xen ]] || { echo "FAILED: prepare: $f missing (make image)" >&2; exit 1; }
done
[[ ! -f $BUILD/arm64/boot-stub.bin ]] || cp "$BUILD/arm64/boot-stub.bin" "$BUILD/boot-stub.bin"
if [[ ! -f $BUILD/bad-dtbs/.done || $ROOT/tools/make-bad-dtbs.sh -nt $BUILD/bad-dtbs/.done ]]; then
    step "prepare: the malformed device trees" "$BUILD/logs/prepare-bad-dtbs.log" -- \
        "$ROOT/tools/make-bad-dtbs.sh" "$BUILD/bad-dtbs"
    touch "$BUILD/bad-dtbs/.done"
fi
# The Debian kernel and initramfs, once, before scenarios run two at a time
# (cached outside the tree; a no-op when already there).
if grep -qs "@linux" "$ROOT"/tests/scenarios/*/scenario; then
    step "prepare: the Debian guest kernel and initramfs" "$BUILD/logs/prepare-fetch-guest.log" -- \
        "$ROOT/tools/fetch-guest.sh" --quiet
fi
# dom0's initramfs (Debian's Xen tools, toolstack/make-dom0-initramfs.sh), once, when a
# scenario a full run includes (no PENDING= line) boots a dom0; a pending one named on the
# command line builds it itself.
needs_dom0=0
for f in "$ROOT"/tests/scenarios/*/scenario; do
    grep -q '^PENDING=' "$f" && continue
    grep -qE '@dom0|dom0-lib\.sh' "$f" && needs_dom0=1
done
if ((needs_dom0)); then
    step "prepare: dom0's initramfs (toolstack/make-dom0-initramfs.sh)" "$BUILD/logs/prepare-dom0-initramfs.log" -- \
        "$ROOT/toolstack/make-dom0-initramfs.sh" --quiet
fi
