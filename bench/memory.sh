#!/usr/bin/env bash
# bench/memory.sh — benchmarks 7 and 8 as "name<TAB>value<TAB>unit" lines (bench/report.py
# reads them): keel's image and sections (BUILD/keel.elf), its per-domain and per-vCPU
# overhead (the "overhead:" line keel logs for each domain it builds, taken from a keel
# log of this bench run in OUT/logs), Xen 4.17's image size, and tools/tcb.sh's counts.
# Xen's per-domain figures are not measurable on a dom0less system without xl; they
# are documented in docs/perf.md, not printed here.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
BUILD=${BUILD:-build}
OUT=${OUT:-$ROOT/$BUILD/bench}
CACHE=${KEEL_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/keel}
elf=$BUILD/keel.elf bin=$BUILD/keel.bin
p() { printf '%s\t%s\t%s\n' "$@"; }

p keel_image "$(stat -c %s "$bin")" bytes
aarch64-linux-gnu-size -A "$elf" | awk '
    $1 == ".text" { t += $2 } $1 == ".rodata" { r += $2 }
    $1 ~ /^\.(data|got|dynamic|rela\.dyn|dynsym|dynstr|gnu\.hash)$/ { d += $2 } $1 == ".bss" { b += $2 }
    END { printf "keel_text\t%d\tbytes\nkeel_rodata\t%d\tbytes\nkeel_data\t%d\tbytes\nkeel_bss\t%d\tbytes\n", t, r, d, b }'
# keel's own heap pool reservation (frame table + heap), from any keel log.
log=$(ls -t "$OUT"/logs/*-keel.log 2>/dev/null | head -20 | xargs -r grep -la 'overhead: heap pool' | head -1 || true)
if [[ -n $log ]]; then
    # keel: d1 (domU1): overhead: heap pool N frames; sizeof Domain D B, Vcpu V B x C; cntvoff X
    grep -a 'overhead: heap pool' "$log" | head -1 | tr -d '\r' | sed -E \
        's/.*heap pool ([0-9]+) frames; sizeof Domain ([0-9]+) B, Vcpu ([0-9]+) B x ([0-9]+).*/\1 \2 \3 \4/' |
        while read -r frames dom vcpu n; do
            p keel_domain_heap_frames "$frames" frames
            p keel_domain_heap_bytes $((frames * 4096)) bytes
            p keel_domain_vcpus "$n" vcpus
            p keel_sizeof_domain "$dom" bytes
            p keel_sizeof_vcpu "$vcpu" bytes
        done
    p keel_overhead_log "${log#"$OUT"/}" path
    sed -nE 's/.*heap pool \[(0x[0-9a-f]+), (0x[0-9a-f]+)\) ([0-9]+) KiB \(frame table ([0-9]+) KiB\).*/keel_heap_pool_kib\t\3\tKiB\nkeel_frame_table_kib\t\4\tKiB/p' "$log" | head -2
fi
xen=$CACHE/x/xen-hypervisor-4.17-arm64/boot/xen-4.17-arm64
[[ -f $xen ]] && p xen_image "$(stat -c %s "$xen")" bytes
tools/tcb.sh | sed -nE 's/^tcb: hypervisor C\+\+ ([0-9]+) lines, asm\+ld ([0-9]+) lines.*/keel_tcb_cpp_lines\t\1\tlines\nkeel_tcb_asm_lines\t\2\tlines/p'
