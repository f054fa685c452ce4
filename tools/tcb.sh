#!/usr/bin/env bash
# tools/tcb.sh — the size of keel's trusted computing base: lines of C++ and
# assembly under hypervisor/ (no tests, guests, tools or toolstack) and the image size.
set -euo pipefail
cd "$(dirname "$0")/.."
count() { find hypervisor -type f \( "$@" \) -print0 | xargs -0 cat | grep -cvE '^\s*(//.*)?$' || true; }
cpp=$(count -name '*.cpp' -o -name '*.hpp' -o -name '*.in')
asm=$(count -name '*.S' -o -name '*.ld')
echo "tcb: hypervisor C++ ${cpp} lines, asm+ld ${asm} lines (non-blank, non-comment-only)"
echo "tcb: hypervisor files $(find hypervisor -type f | wc -l), all lines $(find hypervisor -type f -print0 | xargs -0 cat | wc -l)"
if [[ -f build/keel.bin ]]; then
    echo "tcb: image build/keel.bin $(stat -c %s build/keel.bin) bytes"
    if [[ -f build/keel.elf ]]; then
        aarch64-linux-gnu-size build/keel.elf | tail -1 | awk '{print "tcb: text " $1 " data " $2 " bss " $3 " bytes"}'
    fi
fi
