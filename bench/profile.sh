#!/usr/bin/env bash
# bench/profile.sh — where keel's instructions go in one benchmark: runs part E's guest on keel
# under QEMU's deterministic mode (-icount shift=0,sleep=off, -smp 1) with `-d
# in_asm,exec,nochain`, and counts executed instructions per keel function (each translated
# block's instruction count × its executions, attributed to the function holding its first
# instruction, from $BUILD/keel.elf's symbols). keel's blocks are told from the guests' by the
# translation flags (MMU index EL2), not by address; counting starts at the first guest (EL1)
# block, so keel's boot is left out. The trace is streamed through a FIFO, never stored.
# With --base, a second run (the same benchmark with fewer iterations) is subtracted and the
# difference divided by --ops: instructions per operation, without domain build and teardown.
# With --boot, the profile is of the boot benchmark instead: Debian's kernel and the bench
# initramfs as one dom0less domU (256 MiB, 1 vCPU, as `make bench` boots it under icount), from
# keel's first instruction to the guest's GUEST-READY marker, keel's boot and domain build
# included (only keel's image range is traced: -dfilter).
# Usage: bench/profile.sh [--base "bootargs" ["peer bootargs"]] [--ops N] ["bench bootargs"
#                         ["peer bootargs"]]
#        bench/profile.sh --boot
#   default "bench=hypercall iters=10000"; e.g. bench/profile.sh --ops 9000 --base "bench=hypercall
#   iters=1000" "bench=hypercall iters=10000"; evtchn: "bench=evtchn role=a peer=2 iters=1000"
#   "bench=evtchn role=b peer=1 iters=1000". Env BUILD (default build), OUT (default
#   $BUILD/bench/profile), TOP (rows printed, default 30), LIMIT (seconds per run, default 600).
#   The full list is in OUT/profile.txt.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
BUILD=${BUILD:-build}
OUT=${OUT:-$ROOT/$BUILD/bench/profile}
TOP=${TOP:-30}
LIMIT=${LIMIT:-600}
base=() ops=1 boot=0
while (($#)); do
    case $1 in
        --base) base=("$2"); shift 2
                if (($#)) && [[ $1 != --* ]] && (($# > 1)) && [[ $2 != --* ]]; then base+=("$1"); shift; fi ;;
        --ops) ops=$2; shift 2 ;;
        --boot) boot=1; shift ;;
        -h|--help) sed -n '2,/^set -euo/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
        *) break ;;
    esac
done
mkdir -p "$OUT"
# shellcheck source=lib.sh
source "$ROOT/bench/lib.sh"
GUEST=$ROOT/$BUILD/arm64/guests/bench.bin
ELF=$ROOT/$BUILD/keel.elf
[[ -f $GUEST && -f $ELF ]] || { echo "profile: need $GUEST and $ELF (make BUILD=$BUILD image)" >&2; exit 2; }
main=("${1:-bench=hypercall iters=10000}"); [[ -n ${2:-} ]] && main+=("$2")
aarch64-linux-gnu-nm -n -C "$ELF" | awk '$2 ~ /^[tTwW]$/' > "$OUT/symbols.txt"

# profile_run NAME BOOTARGS... : one traced run; per-function counts in OUT/NAME.counts.
profile_run() {
    local name=$1; shift
    local doms=() i=1 a
    for a in "$@"; do
        doms+=(--domain "domU$i" --memory 65536 --cpus 1 --kernel "$GUEST" --bootargs "$a"); i=$((i + 1))
    done
    make_dtb "$name" 1 "keel.exit_when_idle" "${doms[@]}"
    mapfile -t LOADERS < "$OUT/dtbs/$name.loaders"
    local fifo=$OUT/$name.fifo
    rm -f "$fifo"; mkfifo "$fifo"
    python3 "$ROOT/bench/profile_count.py" "$fifo" "$OUT/symbols.txt" > "$OUT/$name.counts" &
    local counter=$!
    # shellcheck disable=SC2086  # flag strings are words on purpose
    timeout -k 5 "$LIMIT" qemu-system-aarch64 $QEMU_BASE -smp 1 $ICOUNT -nographic -monitor none \
        -serial stdio -d in_asm,exec,nochain -D "$fifo" -kernel "$ROOT/$BUILD/keel.bin" \
        -dtb "$OUT/dtbs/$name.dtb" "${LOADERS[@]}" < /dev/null > "$OUT/$name.console.log" 2>&1 || true
    wait "$counter"
    rm -f "$fifo"
    grep -a 'BENCH' "$OUT/$name.console.log" | grep -av '^#' ||
        { echo "profile: no BENCH lines (see $OUT/$name.console.log)" >&2; exit 1; }
}
# profile_boot: the boot benchmark's 1-domU run under icount, counted from keel's first
# instruction until the guest's marker (then QEMU is stopped); counts in OUT/main.counts.
profile_boot() {
    local kernel dargs="console=ttyAMA0 earlycon=pl011,0x22000000 rdinit=/init keel.role=domu1"
    read -r _ kernel < <(tools/fetch-guest.sh --quiet | grep '^kernel ')
    build_bench_initrd
    make_dtb boot 1 "$XEN_ARGS bootscrub=0" --domain domU1 --memory 262144 --cpus 1 \
        --kernel "$kernel" --ramdisk "$BENCH_INITRD" --bootargs "$dargs"
    mapfile -t LOADERS < "$OUT/dtbs/boot.loaders"
    local lo hi fifo=$OUT/main.fifo log=$OUT/main.console.log
    lo=$(aarch64-linux-gnu-nm "$ELF" | awk '$3 == "__text_start" {print $1}')
    hi=$(aarch64-linux-gnu-nm "$ELF" | awk '$3 == "__image_end" {print $1}')
    rm -f "$fifo"; mkfifo "$fifo"; : > "$log"
    python3 "$ROOT/bench/profile_count.py" "$fifo" "$OUT/symbols.txt" all > "$OUT/main.counts" &
    local counter=$!
    # shellcheck disable=SC2086  # flag strings are words on purpose
    timeout -k 5 "$LIMIT" qemu-system-aarch64 $QEMU_BASE -smp 1 $ICOUNT -nographic -monitor none \
        -serial stdio -d in_asm,exec,nochain -dfilter "0x$lo..0x$hi" -D "$fifo" \
        -kernel "$ROOT/$BUILD/keel.bin" -dtb "$OUT/dtbs/boot.dtb" "${LOADERS[@]}" \
        < /dev/null >> "$log" 2>&1 &
    local qemu=$!
    while kill -0 "$qemu" 2>/dev/null && ! grep -aq 'GUEST-READY' "$log"; do sleep 0.2; done
    kill "$qemu" 2>/dev/null || true
    wait "$qemu" 2>/dev/null || true
    wait "$counter"
    rm -f "$fifo"
    grep -a 'GUEST-READY' "$log" || { echo "profile: no GUEST-READY (see $log)" >&2; exit 1; }
}
if ((boot)); then
    profile_boot
else
    profile_run main "${main[@]}"
    if ((${#base[@]})); then profile_run base "${base[@]}"; fi
fi
python3 - "$OUT/main.counts" "${base:+$OUT/base.counts}" "$ops" "$OUT/profile.txt" "$TOP" <<'PY'
import sys
main, basefile, ops, outfile, top = sys.argv[1], sys.argv[2], float(sys.argv[3]), sys.argv[4], int(sys.argv[5])
def load(path):
    d = {}
    for line in open(path):
        k, name = line.rstrip("\n").split("\t", 1)
        d[name] = int(k)
    return d
m = load(main)
b = load(basefile) if basefile else {}
rows = {n: (m.get(n, 0) - b.get(n, 0)) / ops for n in set(m) | set(b)}
total = rows.pop("<guest>", 0)
ktotal = sum(rows.values())
rows = sorted(rows.items(), key=lambda kv: -abs(kv[1]))
unit = "per op" if basefile or ops != 1 else "total"
lines = [f"keel instructions ({unit}): {ktotal:.1f}  guest instructions: {total:.1f}"]
lines += [f"{k:>12.1f} {100.0 * k / (ktotal or 1):6.2f}%  {n}" for n, k in rows if abs(k) >= 0.05]
open(outfile, "w").write("\n".join(lines) + "\n")
print("\n".join(lines[:top + 1]))
PY
