#!/usr/bin/env bash
# bench/profile.sh — where keel's instructions go in one benchmark: runs part E's guest on keel
# once under QEMU's deterministic mode (-icount shift=0,sleep=off, -smp 1) with `-d
# in_asm,exec,nochain`, then counts executed instructions per keel function (each translated
# block's instruction count × its executions, attributed to the function holding its first
# instruction, from build/…/keel.elf's symbols). Guest code runs below keel's load address
# (0x40200000), so blocks at or above it and below __bss_end are keel's.
# Usage: bench/profile.sh ["bench bootargs" ["peer bootargs"]]
#   default "bench=hypercall iters=10000"; e.g. bench/profile.sh "bench=evtchn role=a peer=2
#   iters=1000" "bench=evtchn role=b peer=1 iters=1000". Env BUILD (default build), OUT
#   (default $BUILD/bench/profile). Prints the top 30 functions; the full list in OUT/profile.txt.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
BUILD=${BUILD:-build}
OUT=${OUT:-$ROOT/$BUILD/bench/profile}
mkdir -p "$OUT"
# shellcheck source=lib.sh
source "$ROOT/bench/lib.sh"
GUEST=$ROOT/$BUILD/arm64/guests/bench.bin
ELF=$ROOT/$BUILD/keel.elf
[[ -f $GUEST && -f $ELF ]] || { echo "profile: need $GUEST and $ELF (make BUILD=$BUILD image)" >&2; exit 2; }
a1=${1:-bench=hypercall iters=10000}
doms=(--domain domU1 --memory 65536 --cpus 1 --kernel "$GUEST" --bootargs "$a1")
marks=("BENCH-DONE")
if [[ -n ${2:-} ]]; then
    doms+=(--domain domU2 --memory 65536 --cpus 1 --kernel "$GUEST" --bootargs "$2")
fi
make_dtb profile 1 "keel.exit_when_idle" "${doms[@]}"
mapfile -t LOADERS < "$OUT/dtbs/profile.loaders"
trace=$OUT/trace.log
rm -f "$trace"
timeout -k 5 600 qemu-system-aarch64 $QEMU_BASE -smp 1 $ICOUNT -nographic -monitor none -serial stdio \
    -d in_asm,exec,nochain -D "$trace" -kernel "$ROOT/$BUILD/keel.bin" -dtb "$OUT/dtbs/profile.dtb" \
    "${LOADERS[@]}" < /dev/null > "$OUT/console.log" 2>&1 || true
grep -a 'BENCH' "$OUT/console.log" | grep -v '^#' || { echo "profile: no BENCH lines (see $OUT/console.log)" >&2; exit 1; }
aarch64-linux-gnu-nm -n -C "$ELF" | awk '$2 ~ /^[tTwW]$/' > "$OUT/symbols.txt"
python3 - "$trace" "$OUT/symbols.txt" "$OUT/profile.txt" <<'EOF'
import bisect, re, sys
trace, symfile, outfile = sys.argv[1:4]
size = {}   # TB start pc -> instructions (last translation wins)
execs = {}  # pc -> executions
cur, n = None, 0
ins = re.compile(r"^0x([0-9a-f]+):\s")
ex = re.compile(r"^Trace \d+: 0x[0-9a-f]+ \[[0-9a-f]+/([0-9a-f]+)/")
with open(trace, errors="replace") as f:
    for line in f:
        m = ex.match(line)
        if m:
            pc = int(m.group(1), 16)
            execs[pc] = execs.get(pc, 0) + 1
            continue
        if line.startswith("IN:"):
            if cur is not None: size[cur] = n
            cur, n = None, 0
            continue
        m = ins.match(line)
        if m:
            if cur is None: cur = int(m.group(1), 16)
            n += 1
if cur is not None: size[cur] = n
addrs, names = [], []
with open(symfile) as f:
    for line in f:
        p = line.split(None, 2)
        if len(p) == 3:
            addrs.append(int(p[0], 16)); names.append(p[2].strip())
lo, hi = 0x40200000, 0x4026ab50 if not addrs else max(addrs) + 0x10000
per, guest = {}, 0
for pc, c in execs.items():
    k = c * size.get(pc, 1)
    if pc < 0x40200000:
        guest += k; continue
    i = bisect.bisect_right(addrs, pc) - 1
    name = names[i] if i >= 0 else hex(pc)
    per[name] = per.get(name, 0) + k
total = sum(per.values())
rows = sorted(per.items(), key=lambda kv: -kv[1])
with open(outfile, "w") as f:
    f.write(f"keel instructions: {total}  guest instructions: {guest}\n")
    for name, k in rows:
        f.write(f"{k:>12} {100.0 * k / max(total, 1):6.2f}%  {name}\n")
print(f"keel instructions: {total}  guest instructions: {guest}")
for name, k in rows[:30]:
    print(f"{k:>12} {100.0 * k / max(total, 1):6.2f}%  {name}")
EOF
