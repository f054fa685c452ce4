#!/usr/bin/env bash
# tests/scenarios/prepare.sh — builds what scenarios load besides keel itself:
# the boot stub (a minimal bootloader of ours that hands keel an arbitrary DTB,
# built by CMake into build/arm64), the malformed device trees and the Debian guest
# (tools/fetch-guest.sh). Outputs go to $BUILD and the cache.
set -euo pipefail
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-$ROOT/build}
[[ -f $BUILD/keel.bin ]] || { echo "prepare: $BUILD/keel.bin missing (make image)"; exit 1; }
cp "$BUILD/arm64/boot-stub.bin" "$BUILD/boot-stub.bin"
if [[ ! -f $BUILD/bad-dtbs/.done || $ROOT/tools/make-bad-dtbs.sh -nt $BUILD/bad-dtbs/.done ]]; then
    "$ROOT/tools/make-bad-dtbs.sh" "$BUILD/bad-dtbs" >/dev/null
    touch "$BUILD/bad-dtbs/.done"
fi
# The Debian kernel and initramfs, once, before scenarios run two at a time
# (cached outside the tree; a no-op when already there).
if grep -qs "@linux" "$ROOT"/tests/scenarios/*/scenario; then
    "$ROOT/tools/fetch-guest.sh" --quiet >/dev/null
fi
