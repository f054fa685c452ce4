#!/usr/bin/env bash
# bench/fp-switch.sh — what FP/SIMD and SVE state costs a vCPU switch on keel: the switch
# benchmark (guests/bench bench=switch: two spinning domUs on one CPU, cost per switch as
# bench/report.py computes it) under QEMU's deterministic -icount shift=0 (1 ns = 1
# instruction) on -cpu max, with the domains' nodes given no `sve`, `sve = 512` and
# `sve = 2048`. The difference to the first line is what the SVE switch adds (keel
# switches SVE state eagerly for domains with `sve` only); the FP/SIMD part is in every
# line. Prints one line per configuration; docs/perf.md "FP/SIMD and SVE switch".
# Usage: bench/fp-switch.sh     Env: BUILD (default build), OUT (default $BUILD/bench/fp-switch)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
BUILD=${BUILD:-build}
OUT=${OUT:-$ROOT/$BUILD/bench/fp-switch}
mkdir -p "$OUT"
# shellcheck source=lib.sh
source "$ROOT/bench/lib.sh"
QEMU_BASE=${QEMU_BASE/-cpu cortex-a57/-cpu max}
GUEST=$ROOT/$BUILD/arm64/guests/bench.bin
[[ -f $GUEST && -f $ROOT/$BUILD/keel.bin ]] || { echo "fp-switch: make image first" >&2; exit 2; }

for sve in none 512 2048; do
    opts=(); [[ $sve == none ]] || opts=(--sve "$sve")
    doms=()
    for r in a b; do
        doms+=(--domain "domU$r" --memory 65536 --cpus 1 --kernel "$GUEST"
               --bootargs "bench=switch role=$r seconds=1" "${opts[@]}")
    done
    make_dtb "sve-$sve" 1 "keel.exit_when_idle" "${doms[@]}"
    mapfile -t LOADERS < "$OUT/dtbs/sve-$sve.loaders"
    log=$OUT/sve-$sve.log
    run_qemu "$log" icount 300 1 "BENCH-DONE switch role=a" "BENCH-DONE switch role=b" -- \
        -kernel "$ROOT/$BUILD/keel.bin" -dtb "$OUT/dtbs/sve-$sve.dtb" "${LOADERS[@]}" > /dev/null
    python3 - "$log" "$sve" <<'PY'
import re, sys
log, sve = sys.argv[1], sys.argv[2]
med = {}
for line in open(log, errors="replace"):
    m = re.search(r"\(d(\d)\) BENCH switch (gap|run) n=\d+ min=\d+ median=(\d+) .*freq=(\d+)", line)
    if m:
        med[(int(m.group(1)), m.group(2))] = int(m.group(3)) * 1e9 / int(m.group(4))
try:
    cost = ((med[(1, "gap")] - med[(2, "run")]) / 2 + (med[(2, "gap")] - med[(1, "run")]) / 2) / 2
    print(f"sve={sve:>5}  per_switch={cost:7.1f} ns (= instructions under -icount shift=0)")
except KeyError:
    print(f"sve={sve:>5}  no BENCH lines (see {log})")
PY
done
