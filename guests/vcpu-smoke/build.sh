#!/bin/sh
# SPDX-License-Identifier: MIT
# guests/vcpu-smoke/build.sh [OUT_DIR] — builds OUT_DIR/vcpu-smoke.bin (default
# build/arm64/guests, where tests/scenarios/run.sh finds "@guest:vcpu-smoke").
# Standalone: its own start.S and guest.ld, not guests/common.
set -e
here=$(cd "$(dirname "$0")" && pwd)
out=${1:-$here/../../build/arm64/guests}
mkdir -p "$out"
flags="-ffreestanding -fno-exceptions -fno-rtti -fno-pie -fno-pic -mstrict-align -O2 -g"
flags="$flags -Wall -Wextra -Werror -std=gnu++20"
aarch64-linux-gnu-g++ $flags -c "$here/main.cpp" -o "$out/vcpu-smoke-main.o"
aarch64-linux-gnu-gcc -c "$here/start.S" -o "$out/vcpu-smoke-start.o"
aarch64-linux-gnu-ld -nostdlib -static -T "$here/guest.ld" --no-warn-rwx-segments \
    "$out/vcpu-smoke-start.o" "$out/vcpu-smoke-main.o" -o "$out/vcpu-smoke.elf"
aarch64-linux-gnu-objcopy -O binary "$out/vcpu-smoke.elf" "$out/vcpu-smoke.bin"
