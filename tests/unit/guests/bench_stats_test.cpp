// SPDX-License-Identifier: MIT
//
// tests/unit/guests/bench_stats_test.cpp
// The benchmark guests' pure arithmetic (guests/common/bench_stats.hpp): sort,
// nearest-rank percentiles, the summary, the PRNG and the fixed-point helpers.
#include "../../../guests/common/bench_stats.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <vector>

namespace gb = guest::bench;

TEST(BenchStats, SortsLikeStdSort)
{
    gb::Prng rng{12345};
    for (uint32_t n : {0u, 1u, 2u, 3u, 17u, 1000u}) {
        std::vector<uint64_t> v(n);
        for (auto& x : v) x = rng.next() % 50;  // duplicates too
        std::vector<uint64_t> want = v;
        std::sort(want.begin(), want.end());
        gb::sort(v.data(), n);
        EXPECT_EQ(v, want) << "n=" << n;
    }
}

TEST(BenchStats, NearestRankPercentiles)
{
    std::vector<uint64_t> v;
    for (uint64_t i = 1; i <= 100; ++i) v.push_back(i);
    EXPECT_EQ(gb::percentile(v.data(), 100, 50), 50u);
    EXPECT_EQ(gb::percentile(v.data(), 100, 99), 99u);
    EXPECT_EQ(gb::percentile(v.data(), 100, 100), 100u);
    EXPECT_EQ(gb::percentile(v.data(), 1, 99), 1u);
    EXPECT_EQ(gb::percentile(v.data(), 0, 50), 0u);
    const uint64_t three[] = {10, 20, 30};
    EXPECT_EQ(gb::percentile(three, 3, 50), 20u);
    EXPECT_EQ(gb::percentile(three, 3, 99), 30u);
}

TEST(BenchStats, Summary)
{
    uint64_t v[] = {5, 1, 9, 3, 7};
    const gb::Summary s = gb::summarise(v, 5);
    EXPECT_EQ(s.n, 5u);
    EXPECT_EQ(s.min, 1u);
    EXPECT_EQ(s.median, 5u);
    EXPECT_EQ(s.p99, 9u);
    EXPECT_EQ(s.max, 9u);
    EXPECT_EQ(gb::summarise(v, 0).n, 0u);
}

TEST(BenchStats, PrngIsFixedAndInRange)
{
    gb::Prng a{0x6b65656c62656e63}, b{0x6b65656c62656e63};
    for (int i = 0; i < 1000; ++i) {
        const uint64_t x = a.range(50, 500);
        EXPECT_EQ(x, b.range(50, 500));
        EXPECT_GE(x, 50u);
        EXPECT_LE(x, 500u);
    }
}

TEST(BenchStats, FixedPoint)
{
    EXPECT_EQ(gb::ratio_milli(20750, 200), 103750u);
    EXPECT_EQ(gb::ratio_milli(1, 3), 333u);
    EXPECT_EQ(gb::ratio_milli(2, 3), 667u);
    EXPECT_EQ(gb::ratio_milli(5, 0), 0u);
    EXPECT_EQ(gb::ratio_milli(uint64_t{1} << 60, uint64_t{1} << 20), (uint64_t{1} << 40) * 1000);
    EXPECT_EQ(gb::mul_div(uint64_t{1} << 40, 1000000000, 62500000), (uint64_t{1} << 40) * 16);
    EXPECT_EQ(gb::mul_div(7, 9, 0), 0u);
}
