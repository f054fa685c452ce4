#!/usr/bin/env bash
# SPDX-License-Identifier: MIT
#
# tests/fuzz/run.sh — builds the libFuzzer harnesses (tests/fuzz/CMakeLists.txt,
# clang++ with ASan + UBSan over keel's pure sources) and runs each for
# FUZZ_SECONDS (default 60) from its seed corpus in tests/fuzz/corpus/<harness>/.
# Prints each harness's executions, rate (per second and per CPU second: the
# machine may be shared), coverage (libFuzzer's cov: edges and ft: features) and fails on any crash, leak, timeout or out-of-memory; every
# harness runs even after one failed. A failure is classified by
# tests/fuzz/classify.sh (HARNESS BUG: top project frame under tests/fuzz/;
# KEEL BUG: under hypervisor/, a keel KEEL_CHECK or a harness invariant), with
# its reproducer in $BUILD/fuzz/artifacts/<harness>/.
# With FUZZ_KEEP_CORPUS=1 (`make fuzz-long`) the corpus persists between runs in
# FUZZ_CACHE (default ${XDG_CACHE_HOME:-$HOME/.cache}/keel/fuzz)/corpus/<harness>:
# the run starts from it and what it found is merged back (-merge=1: only inputs
# adding coverage), so coverage grows run after run.
# Usage: tests/fuzz/run.sh [harness...]     (default: every fuzz_*.cpp)
# Environment: BUILD (default build), FUZZ_SECONDS, FUZZ_JOBS (build -j, default 2),
#              FUZZ_ARGS (extra libFuzzer flags), FUZZ_KEEP_CORPUS, FUZZ_CACHE.
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
build=${BUILD:-build}
[[ $build = /* ]] || build=$root/$build
out=$build/fuzz
seconds=${FUZZ_SECONDS:-60}
jobs=${FUZZ_JOBS:-2}
keep=${FUZZ_KEEP_CORPUS:-0}
cache=${FUZZ_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/keel/fuzz}
# UBSan reports with a stack, so classify.sh can find the frame at fault.
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1}

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
    dirs=("$work")
    if [[ $keep = 1 ]]; then
        kept=$cache/corpus/$h
        mkdir -p "$kept"
        dirs+=("$kept")
    fi
    log=$out/$h.log
    echo "fuzz: $h for ${seconds}s"
    set +e
    # CPU seconds too: on a shared machine executions per CPU second compare runs.
    TIMEFORMAT='%U %S'
    { time "$bin" -max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048 \
        -artifact_prefix="$art" ${FUZZ_ARGS:-} "${dirs[@]}" "$seeds" >"$log" 2>&1; } 2>"$out/$h.cpu"
    rc=$?
    set -e
    read -r cpu_user cpu_sys <"$out/$h.cpu" || true
    cpu=$(awk -v u="${cpu_user:-0}" -v s="${cpu_sys:-0}" 'BEGIN { printf "%.1f", u + s }')
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -1 || true)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$log" | tail -1 || true)
    cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | cut -d" " -f2 || true)
    ft=$(grep -o 'ft: [0-9]*' "$log" | tail -1 | cut -d" " -f2 || true)
    if ((rc != 0)); then
        echo "fuzz: $h FAILED (exit $rc) — log $log" >&2
        verdict=$("$root/tests/fuzz/classify.sh" "$h" "$log" "$root")
        echo "fuzz: $verdict" >&2
        summary+=("$(printf '%-22s FAILED after %s executions: %s' "$h" "${execs:-?}" "${verdict#"$h": }")")
        status=1
    else
        per_cpu=$(awk -v e="${execs:-0}" -v c="$cpu" 'BEGIN { printf "%.0f", (c > 0 ? e / c : 0) }')
        summary+=("$(printf '%-16s %10s executions %7s/s (CPU %4ss, %6s/CPU-s)  cov %5s  ft %6s' "$h" \
            "${execs:-?}" "${rate:-?}" "$cpu" "$per_cpu" "${cov:-?}" "${ft:-?}")")
    fi
    if [[ $keep = 1 ]]; then
        # What this run found, merged into the kept corpus (crashes stay in artifacts/).
        "$bin" -merge=1 -timeout=10 -rss_limit_mb=2048 "$kept" "$work" >"$out/$h.merge.log" 2>&1 ||
            echo "fuzz: $h: merge into $kept failed (log $out/$h.merge.log)" >&2
        summary[-1]+="  kept $(find "$kept" -type f | wc -l)"
    fi
done

echo "fuzz: ${seconds}s per harness$([[ $keep = 1 ]] && echo ", corpus kept in $cache/corpus")"
printf '  %s\n' "${summary[@]}"
exit $status
