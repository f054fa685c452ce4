// SPDX-License-Identifier: MIT
//
// guests/bench/switch.cpp
// Owns bench=switch seconds=<s> [gap_us=<g>] [role=a|b]: the vCPU switch cost.
// The harness starts two such domains on one physical CPU (-smp 1). Each spins
// reading CNTVCT_EL0 for s seconds of its own virtual time; two consecutive
// reads further apart than g µs (default 100: far above one loop iteration, far
// below any scheduler slice) are a gap, i.e. time this vCPU did not run. The
// time between two gaps is one run segment (the first partial segment, before
// the first gap, is not recorded, nor the last one). Prints
//   BENCH switch gap n=... ticks, one sample per gap
//   BENCH switch run n=... ticks, one sample per complete run segment
//   BENCH switch gaps value=<count> unit=gaps
//   BENCH switch gap_total value=<ticks> unit=ticks     sum of the gaps
//   BENCH switch run_total value=<ticks> unit=ticks     window - gap_total
//   BENCH switch window value=<ticks> unit=ticks        s seconds, measured
//   BENCH switch threshold value=<ticks> unit=ticks
//
// The cost per switch (for bench/, which has both domains' lines). With A and B
// alternating on one CPU, each gap of A is: A switched out, B's run segment, A
// switched back in; the read-to-read granularity (one loop iteration, tens of
// instructions) is negligible. So one gap of A = run segment of B + 2 switches:
//     switch ≈ (median gap of A − median run of B) / 2
// and symmetrically with A and B exchanged; report the mean of the two. Medians
// of per-segment figures make it independent of the slice length and of the
// two windows not being aligned (each domain's window is its own: their virtual
// counters have different offsets, so the raw times cannot be correlated).
// Consistency check: gap_total(A) ≈ run_total(B) + 2 × gaps(A) × switch.
#include "bench.hpp"
#include "benches.hpp"
#include "guest.hpp"

namespace guest::bench {

void run_switch(const char* args)
{
    constexpr const char* kName = "switch";
    constexpr uint32_t kHalf = kPoolSlots / 2;
    const uint64_t seconds = bootarg_u64(args, "seconds", 10);
    const uint64_t threshold = timer::us_to_ticks(bootarg_u64(args, "gap_us", 100));
    char role[8] = "a";
    (void)arg_str(args, "role", role, sizeof role);
    if (seconds == 0 || threshold == 0) fail(kName, "bad seconds/gap_us");

    uint64_t* gap = pool();
    uint64_t* run = pool() + kHalf;
    uint32_t gaps = 0, runs = 0;
    uint64_t gap_total = 0, run_acc = 0;
    bool seen_gap = false;
    const uint64_t start = timer::now();
    const uint64_t end = start + seconds * timer::freq();
    uint64_t prev = start;
    for (;;) {
        const uint64_t t = timer::now();
        const uint64_t d = t - prev;
        prev = t;
        if (d > threshold) {
            if (seen_gap && runs < kHalf) run[runs++] = run_acc;
            if (gaps < kHalf) gap[gaps] = d;
            ++gaps;
            gap_total += d;
            run_acc = 0;
            seen_gap = true;
        } else {
            run_acc += d;
        }
        if (t >= end) break;
    }
    const uint64_t window = prev - start;
    distribution(kName, "gap", gap, gaps < kHalf ? gaps : kHalf);
    distribution(kName, "run", run, runs);
    scalar(kName, "gaps", gaps, "gaps");
    scalar(kName, "gap_total", gap_total, "ticks");
    scalar(kName, "run_total", window - gap_total, "ticks");
    scalar(kName, "window", window, "ticks");
    scalar(kName, "threshold", threshold, "ticks");
    finish(kName, role);
}

}  // namespace guest::bench
