#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# tests/fuzz/coverage.sh — how much of keel the fuzzers' corpora reach, as a
# figure: builds the harnesses once more with clang's source-based coverage
# (KEEL_FUZZ_COVERAGE=ON: -fprofile-instr-generate -fcoverage-mapping, no
# sanitizers) in $BUILD/fuzz-cov, replays each harness's corpus (the repo's
# seeds, the working corpus of the last run and the kept corpus of
# `make fuzz-long`) once (-runs=0: no fuzzing), merges the profiles
# (llvm-profdata) and reports per file and in total the lines, functions and
# regions of hypervisor/ executed (llvm-cov report). Totals are over the
# hypervisor/ files the harnesses are built from, not over all of keel.
# Usage: tests/fuzz/coverage.sh [harness...]   Output: $BUILD/fuzz-cov/report.txt
# Environment: BUILD, FUZZ_JOBS, FUZZ_CACHE (as run.sh).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-build}
[[ $build = /* ]] || build=$root/$build
out=$build/fuzz-cov
jobs=${FUZZ_JOBS:-2}
cache=${FUZZ_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/keel/fuzz}

tool() {  # llvm-profdata / llvm-cov, versioned like Debian's clang-14 if need be
    local t
    for t in "$1" "$1-14" "$1-15" "$1-16"; do command -v "$t" >/dev/null && { echo "$t"; return; }; done
    echo "fuzz-cov: $1 not found (Debian: llvm-14)" >&2
    exit 1
}
profdata=$(tool llvm-profdata)
llvmcov=$(tool llvm-cov)

cmake -S "$root/tests/fuzz" -B "$out" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=None \
    -DKEEL_FUZZ_COVERAGE=ON >/dev/null
cmake --build "$out" -j"$jobs" >"$out/build.log" 2>&1 || { tail -50 "$out/build.log" >&2; exit 1; }

if (($#)); then
    harnesses=("$@")
else
    harnesses=()
    for f in "$root"/tests/fuzz/fuzz_*.cpp; do harnesses+=("$(basename "$f" .cpp)"); done
fi

rm -rf "$out/prof"
mkdir -p "$out/prof"
objects=()
for h in "${harnesses[@]}"; do
    dirs=()
    for d in "$root/tests/fuzz/corpus/$h" "$build/fuzz/corpus/$h" "$cache/corpus/$h"; do
        [[ -d $d ]] && dirs+=("$d")
    done
    n=$(find "${dirs[@]}" -type f | wc -l)
    echo "fuzz-cov: $h: replaying $n inputs"
    LLVM_PROFILE_FILE="$out/prof/$h.profraw" "$out/$h" -runs=0 -timeout=30 "${dirs[@]}" \
        >"$out/$h.log" 2>&1 || echo "fuzz-cov: $h: replay failed (log $out/$h.log)" >&2
    objects+=(-object "$out/$h")
done
"$profdata" merge -sparse "$out"/prof/*.profraw -o "$out/all.profdata"
# Per file and in total, over keel's own sources only.
"$llvmcov" report "${objects[@]:1}" -instr-profile="$out/all.profdata" "$root/hypervisor" \
    >"$out/report.txt"
sed -i "s|$root/||" "$out/report.txt"
totals=$(grep '^TOTAL' "$out/report.txt")
# TOTAL regions missed cover functions missed executed lines missed cover [branches...]
read -r _ regions _ rcover functions _ fcover lines lmissed lcover _ <<<"$totals"
echo "fuzz-cov: hypervisor/ lines executed: $((lines - lmissed)) of $lines ($lcover);" \
     "functions $fcover of $functions; regions $rcover of $regions"
echo "fuzz-cov: per file: $out/report.txt"
