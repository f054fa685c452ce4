// SPDX-License-Identifier: MIT
//
// tests/unit/arch/arm64/vcpu/setway_state_test.cpp
// Checks the set/way emulation policy (setway_state.cpp): when HCR_EL2.TVM is
// set and cleared, when a flush starts, which pages it covers, and that a
// flush split into bounded steps covers every page exactly once.
#include "arch/arm64/vcpu/setway_state.hpp"

#include <gtest/gtest.h>

#include <vector>

namespace keel::arm64 {
namespace {

std::vector<uint64_t>* g_seen = nullptr;
void record(void*, uint64_t gfn) { g_seen->push_back(gfn); }

struct Flush {
    std::vector<uint64_t> seen;
    int steps = 0;
    // Runs steps of `budget` pages until the flush completes.
    void run(SetWayState& s, const GfnRange* r, size_t n, uint64_t budget)
    {
        g_seen = &seen;
        for (;;) {
            ++steps;
            if (setway_flush_step(s, r, n, budget, record, nullptr)) break;
            ASSERT_LT(steps, 100000);
        }
        g_seen = nullptr;
    }
};

const GfnRange kRam[] = {{0x40000, 10}, {0x80000, 3}};  // two banks, 13 pages

TEST(SetWay, FirstOpFlushesAndTrapsUntilCachesOn)
{
    SetWayState s;
    setway_on_dc_sw(s);
    EXPECT_TRUE(s.tvm);
    EXPECT_TRUE(s.flushing);
    Flush f;
    f.run(s, kRam, 2, 1000);
    EXPECT_EQ(f.seen.size(), 13u);
    EXPECT_EQ(f.seen.front(), 0x40000u);
    EXPECT_EQ(f.seen[9], 0x40009u);
    EXPECT_EQ(f.seen[10], 0x80000u);
    EXPECT_EQ(f.seen.back(), 0x80002u);
    EXPECT_FALSE(s.flushing);
    EXPECT_EQ(s.pages, 13u);

    // The rest of the batch: TVM already set, nothing more to flush.
    setway_on_dc_sw(s);
    EXPECT_FALSE(s.flushing);
    Flush none;
    none.run(s, kRam, 2, 1000);
    EXPECT_TRUE(none.seen.empty());

    // A VM-control write that leaves the caches as they were: nothing.
    setway_on_vm_write(s, false, false);
    EXPECT_FALSE(s.flushing);
    EXPECT_TRUE(s.tvm);
    // Caches on: flush (they toggled) and stop trapping.
    setway_on_vm_write(s, false, true);
    EXPECT_TRUE(s.flushing);
    EXPECT_FALSE(s.tvm);
    // The next set/way op starts over.
    Flush g;
    g.run(s, kRam, 2, 1000);
    EXPECT_EQ(g.seen.size(), 13u);
    setway_on_dc_sw(s);
    EXPECT_TRUE(s.tvm && s.flushing);
}

TEST(SetWay, CachesOffFlushesAndKeepsTrapping)
{
    SetWayState s;
    setway_on_dc_sw(s);
    Flush f;
    f.run(s, kRam, 2, 1000);
    setway_on_vm_write(s, true, false);  // MMU/caches off
    EXPECT_TRUE(s.flushing);
    EXPECT_TRUE(s.tvm);
}

TEST(SetWay, NoTrapNoFlushWithoutSetWay)
{
    SetWayState s;
    EXPECT_TRUE(setway_flush_step(s, kRam, 2, 1, record, nullptr));  // nothing under way
    EXPECT_FALSE(s.tvm);
}

TEST(SetWay, BoundedStepsCoverEveryPageOnce)
{
    SetWayState s;
    setway_on_dc_sw(s);
    Flush f;
    f.run(s, kRam, 2, 4);
    EXPECT_EQ(f.steps, 4);  // 13 pages, 4 per step
    EXPECT_EQ(s.steps, 4u);
    ASSERT_EQ(f.seen.size(), 13u);
    for (size_t i = 0; i < 10; ++i) EXPECT_EQ(f.seen[i], 0x40000u + i);
    for (size_t i = 0; i < 3; ++i) EXPECT_EQ(f.seen[10 + i], 0x80000u + i);
}

TEST(SetWay, ToggleDuringAFlushStartsOver)
{
    SetWayState s;
    setway_on_dc_sw(s);
    g_seen = nullptr;
    std::vector<uint64_t> seen;
    g_seen = &seen;
    EXPECT_FALSE(setway_flush_step(s, kRam, 2, 5, record, nullptr));
    setway_on_vm_write(s, true, false);  // caches go off halfway: dirty again
    Flush f;
    f.run(s, kRam, 2, 5);
    EXPECT_EQ(f.seen.size(), 13u);
    EXPECT_EQ(f.seen.front(), 0x40000u);
    g_seen = nullptr;
}

TEST(SetWay, CachesOnMeansMAndC)
{
    EXPECT_TRUE(guest_caches_on(0x30d0'199d));   // M, C, I
    EXPECT_FALSE(guest_caches_on(0x30d0'1998));  // neither
    EXPECT_FALSE(guest_caches_on(0x1));          // M only
    EXPECT_FALSE(guest_caches_on(0x4));          // C only
}

TEST(SetWay, EmptyRangesComplete)
{
    SetWayState s;
    setway_on_dc_sw(s);
    EXPECT_TRUE(setway_flush_step(s, nullptr, 0, 4, record, nullptr));
    EXPECT_FALSE(s.flushing);
}

}  // namespace
}  // namespace keel::arm64
