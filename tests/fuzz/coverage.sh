#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# tests/fuzz/coverage.sh — how much of keel the fuzzers' corpora reach, as a
# figure: builds the harnesses once more with clang's source-based coverage
# (KEEL_FUZZ_COVERAGE=ON: -fprofile-instr-generate -fcoverage-mapping, no
# sanitizers) in $BUILD/fuzz-cov, replays each harness's corpus (the repo's
# seeds, the working corpus of the last run and the kept corpus of
# `make fuzz-long`) once (-runs=0: no fuzzing), merges the profiles
# (llvm-profdata, per harness) and reports the lines of hypervisor/ executed,
# per harness and per file, and in total as the union over all harnesses
# (llvm-cov export as lcov). Totals are over the instrumented lines of the
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
: >"$out/per-harness.txt"
for h in "${harnesses[@]}"; do
    dirs=()
    for d in "$root/tests/fuzz/corpus/$h" "$build/fuzz/corpus/$h" "$cache/corpus/$h"; do
        [[ -d $d ]] && dirs+=("$d")
    done
    n=$(find "${dirs[@]}" -type f | wc -l)
    LLVM_PROFILE_FILE="$out/prof/$h.profraw" "$out/$h" -runs=0 -timeout=30 "${dirs[@]}" \
        >"$out/$h.log" 2>&1 || echo "fuzz-cov: $h: replay failed (log $out/$h.log)" >&2
    # Each harness on its own profile (one binary each: no clash between the
    # harnesses' own functions), exported as lcov over hypervisor/ only.
    "$profdata" merge -sparse "$out/prof/$h.profraw" -o "$out/prof/$h.profdata"
    "$llvmcov" export -format=lcov "$out/$h" -instr-profile="$out/prof/$h.profdata" "$root/hypervisor" \
        >"$out/prof/$h.lcov"
    read -r found hit < <(awk -F'[:,]' '/^DA:/ { n++; if ($3 > 0) h++ } END { print n + 0, h + 0 }' "$out/prof/$h.lcov")
    printf '%-16s %6s inputs  hypervisor/ lines executed %6s of %6s\n' "$h" "$n" "$hit" "$found" |
        tee -a "$out/per-harness.txt"
done
# The union over all harnesses, per file: a line counts when any harness ran it.
cat "$out"/prof/*.lcov | awk -F'[:,]' -v root="$root/" '
    /^SF:/ { file = substr($0, 4); sub(root, "", file); next }
    /^DA:/ { key = file SUBSEP $2; lines[key] = 1; if ($3 > 0) hit[key] = 1 }
    END {
        for (k in lines) { split(k, p, SUBSEP); total[p[1]]++; all++ }
        for (k in hit) { split(k, p, SUBSEP); done[p[1]]++; covered++ }
        for (f in total) printf "%-60s %5d of %5d\n", f, done[f], total[f] | "sort"
        close("sort")
        printf "TOTAL %d of %d lines (%.1f%%) in %d files\n", covered, all, 100 * covered / all, length(total)
    }' >"$out/report.txt"
echo "fuzz-cov: hypervisor/ lines executed by the corpora: $(tail -1 "$out/report.txt" | sed 's/^TOTAL //')"
echo "fuzz-cov: per harness: $out/per-harness.txt; per file: $out/report.txt"
