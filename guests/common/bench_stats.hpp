// SPDX-License-Identifier: MIT
//
// guests/common/bench_stats.hpp
// Owns the pure arithmetic of the benchmark guests (guests/bench): an in-place
// heapsort of tick samples (no recursion, no allocation), nearest-rank
// percentiles, a five-number summary, a fixed-seed PRNG, and fixed-point
// division for scalars printed with three decimals. Header-only and free of
// guest hardware so the host unit tests (tests/unit/guests/) build it too.
#pragma once
#include <cstdint>

namespace guest::bench {

/// Sorts v[0..n) ascending (heapsort: O(n log n), constant stack).
inline void sort(uint64_t* v, uint32_t n)
{
    if (n < 2) return;
    auto sift = [v](uint32_t root, uint32_t end) {  // heap is v[0..end)
        for (;;) {
            uint32_t child = 2 * root + 1;
            if (child >= end) return;
            if (child + 1 < end && v[child] < v[child + 1]) ++child;
            if (!(v[root] < v[child])) return;
            const uint64_t t = v[root];
            v[root] = v[child];
            v[child] = t;
            root = child;
        }
    };
    for (uint32_t i = n / 2; i-- > 0;) sift(i, n);
    for (uint32_t end = n - 1; end > 0; --end) {
        const uint64_t t = v[0];
        v[0] = v[end];
        v[end] = t;
        sift(0, end);
    }
}

/// Nearest-rank percentile of sorted v[0..n): the smallest sample with at least
/// pct % of the samples at or below it, i.e. v[ceil(pct * n / 100) - 1]
/// (pct 50 is the lower median). 0 when n is 0.
inline uint64_t percentile(const uint64_t* sorted, uint32_t n, uint32_t pct)
{
    if (n == 0) return 0;
    uint64_t rank = (static_cast<uint64_t>(pct) * n + 99) / 100;
    if (rank == 0) rank = 1;
    if (rank > n) rank = n;
    return sorted[rank - 1];
}

struct Summary {
    uint32_t n = 0;
    uint64_t min = 0;
    uint64_t median = 0;
    uint64_t p99 = 0;
    uint64_t max = 0;
};

/// Sorts v[0..n) and summarises it.
inline Summary summarise(uint64_t* v, uint32_t n)
{
    Summary s;
    s.n = n;
    if (n == 0) return s;
    sort(v, n);
    s.min = v[0];
    s.median = percentile(v, n, 50);
    s.p99 = percentile(v, n, 99);
    s.max = v[n - 1];
    return s;
}

/// xorshift64 (Marsaglia 2003): a fixed seed gives the same sequence on every
/// hypervisor. The seed must not be 0.
struct Prng {
    uint64_t state;
    uint64_t next()
    {
        uint64_t x = state;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        state = x;
        return x;
    }
    /// Uniform-ish in [lo, hi] (modulo bias is irrelevant here).
    uint64_t range(uint64_t lo, uint64_t hi) { return lo + next() % (hi - lo + 1); }
};

/// num / den in thousandths, rounded to nearest, without overflow for
/// num < 2^54 (1000 * num fits) — else with the precision of num / den * 1000.
inline uint64_t ratio_milli(uint64_t num, uint64_t den)
{
    if (den == 0) return 0;
    if (num < (uint64_t{1} << 54)) return (num * 1000 + den / 2) / den;
    return num / den * 1000 + (num % den) * 1000 / den;
}

/// a * b / c without intermediate overflow for a, b < 2^32 each, or when the
/// 128-bit product is available (GCC's unsigned __int128 on both targets).
inline uint64_t mul_div(uint64_t a, uint64_t b, uint64_t c)
{
    if (c == 0) return 0;
    return static_cast<uint64_t>(static_cast<unsigned __int128>(a) * b / c);
}

}  // namespace guest::bench
