#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# tests/fuzz/run.sh — builds the libFuzzer harnesses (tests/fuzz/CMakeLists.txt,
# clang++ with ASan + UBSan over keel's pure sources) and runs each for
# FUZZ_SECONDS (default 60) from its seed corpus in tests/fuzz/corpus/<harness>/.
# Prints each harness's executions (from libFuzzer's final stats) and fails on
# the first crash, leak, timeout or out-of-memory; the reproducer is kept in
# $BUILD/fuzz/artifacts/<harness>/.
# Usage: tests/fuzz/run.sh [harness...]     (default: every fuzz_*.cpp)
# Environment: BUILD (default build), FUZZ_SECONDS, FUZZ_JOBS (build -j, default 2),
#              FUZZ_ARGS (extra libFuzzer flags).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-build}
[[ $build = /* ]] || build=$root/$build
out=$build/fuzz
seconds=${FUZZ_SECONDS:-60}
jobs=${FUZZ_JOBS:-2}

command -v clang++ >/dev/null || { echo "fuzz: clang++ not found (tools/deps.sh installs it)" >&2; exit 1; }

cmake -S "$root/tests/fuzz" -B "$out" -DCMAKE_CXX_COMPILER=clang++ -DCMAKE_BUILD_TYPE=None >/dev/null
cmake --build "$out" -j"$jobs" >"$out/build.log" 2>&1 || { tail -50 "$out/build.log" >&2; echo "fuzz: build failed" >&2; exit 1; }

if (($#)); then
    harnesses=("$@")
else
    harnesses=()
    for f in "$root"/tests/fuzz/fuzz_*.cpp; do harnesses+=("$(basename "$f" .cpp)"); done
fi

status=0
summary=()
for h in "${harnesses[@]}"; do
    bin=$out/$h
    [[ -x $bin ]] || { echo "fuzz: no harness $h" >&2; exit 1; }
    seeds=$root/tests/fuzz/corpus/$h
    work=$out/corpus/$h            # grows during the run; the repo's seeds stay as they are
    art=$out/artifacts/$h/
    mkdir -p "$work" "$art"
    log=$out/$h.log
    echo "fuzz: $h for ${seconds}s"
    set +e
    "$bin" -max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$art" ${FUZZ_ARGS:-} "$work" "$seeds" >"$log" 2>&1
    rc=$?
    set -e
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1 || true)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1 || true)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d" " -f2 || true)
    if ((rc != 0)); then
        echo "fuzz: $h FAILED (exit $rc) — log $log, reproducer in $art" >&2
        grep -m1 -E 'ERROR: |PANIC|invariant broken|runtime error' "$log" >&2 || tail -20 "$log" >&2
        summary+=("$(printf '%-22s FAILED after %s executions' "$h" "${execs:-?}")")
        status=1
    else
        summary+=("$(printf '%-22s %12s executions  %8s/s  cov %s' "$h" "${execs:-?}" "${rate:-?}" "${cov:-?}")")
    fi
done

echo "fuzz: ${seconds}s per harness"
printf '  %s\n' "${summary[@]}"
exit $status
