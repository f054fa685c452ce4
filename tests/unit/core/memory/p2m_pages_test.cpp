// SPDX-License-Identifier: MIT
//
// tests/unit/core/memory/p2m_pages_test.cpp
// Checks the run-time p2m against the fake environment: entry types, page
// map/unmap into holes, giving back one RAM page out of a block (the block is
// shattered, the descriptor split with a TLB flush), frame references that
// keep a page alive after its owner dropped it or ended, grant mappings that
// hold references on another p2m's frames, populate of extents, static shared
// memory — and that destroy still gives every frame back.
#include <gtest/gtest.h>

#include "arch/arm64/mmu/stage2.hpp"
#include "core/memory/frame_ref.hpp"
#include "core/memory/p2m.hpp"
#include "fake_p2m_env.hpp"

namespace keel {
namespace {

using testing::FakeP2mEnv;

constexpr uint64_t kMiB = uint64_t{1} << 20;
constexpr uint64_t kRam0 = 0x4000'0000;
constexpr uint64_t kRam0Gfn = kRam0 >> kPageShift;
constexpr uint64_t kGnttabGfn = 0x38000;

struct P2mPagesTest : ::testing::Test {
    FakeP2mEnv env{0x8000'0000, 512 * kMiB};
    P2m p2m;
    uint64_t free_before = env.pool.free_frames();
    std::vector<uint64_t> lists_before = env.lists();

    void SetUp() override { ASSERT_TRUE(p2m_init(p2m, env, 3).ok()); }
    void expect_restored()
    {
        EXPECT_EQ(env.pool.free_frames(), free_before);
        EXPECT_EQ(env.lists(), lists_before);
        EXPECT_EQ(env.tables.live_tables(), 0u);
        EXPECT_EQ(env.vmid_pool.used(), 0u);
    }
    Mfn mfn_at(const P2m& p, uint64_t gfn)
    {
        return Mfn::of(p2m_translate(p, env, GuestPhysAddr{gfn << kPageShift}).value());
    }
};

TEST_F(P2mPagesTest, KeelPagesMapOnlyIntoHolesAndKeepTheirType)
{
    ASSERT_TRUE(p2m_populate_ram(p2m, env, GuestPhysAddr{kRam0}, 4 * kMiB).ok());
    const Mfn frame{0x12345};
    ASSERT_TRUE(p2m_map_frame(p2m, env, kGnttabGfn, frame, P2mType::GrantTable).ok());
    EXPECT_EQ(p2m_type_of(p2m, env, kGnttabGfn).value(), P2mType::GrantTable);
    EXPECT_EQ(p2m_type_of(p2m, env, kRam0Gfn).value(), P2mType::RamRw);
    EXPECT_EQ(p2m_type_of(p2m, env, kGnttabGfn + 1).error(), Errno::NoEnt);
    EXPECT_EQ(p2m_map_frame(p2m, env, kGnttabGfn, frame, P2mType::GrantTable).error(), Errno::Busy);
    EXPECT_EQ(p2m_map_frame(p2m, env, kRam0Gfn + 3, frame, P2mType::SharedInfo).error(),
              Errno::Busy);
    EXPECT_EQ(p2m_map_frame(p2m, env, kGnttabGfn + 1, frame, P2mType::RamRw).error(),
              Errno::Inval);
    EXPECT_EQ(p2m_map_frame(p2m, env, uint64_t{1} << 27, frame, P2mType::Mmio).error(),
              Errno::Inval);
    // Not RAM: no copy through it, no pin.
    EXPECT_FALSE(p2m_translate(p2m, env, GuestPhysAddr{kGnttabGfn << kPageShift}).ok());
    EXPECT_EQ(p2m_get_page(p2m, env, kGnttabGfn, false).error(), Errno::Inval);
    EXPECT_EQ(p2m_unmap_frame(p2m, env, kGnttabGfn, P2mType::SharedInfo).error(), Errno::Inval);
    EXPECT_EQ(p2m_unmap_frame(p2m, env, kGnttabGfn, P2mType::GrantTable).value(), frame);
    EXPECT_EQ(p2m_type_of(p2m, env, kGnttabGfn).error(), Errno::NoEnt);
    EXPECT_EQ(p2m_unmap_frame(p2m, env, kGnttabGfn, P2mType::GrantTable).error(), Errno::NoEnt);
    EXPECT_EQ(p2m_unmap_frame(p2m, env, kRam0Gfn, P2mType::RamRw).error(), Errno::Inval);
    EXPECT_EQ(p2m.max_mapped_gfn, kRam0Gfn + (4 * kMiB >> kPageShift) - 1);
    p2m_destroy(p2m, env);
    expect_restored();
}

// Found by fuzz_p2m: populating RAM over a range that already holds a keel page
// replaced that entry instead of refusing.
TEST_F(P2mPagesTest, PopulateRamRefusesARangeWithAnEntryInIt)
{
    const Mfn frame{0x12345};
    ASSERT_TRUE(p2m_map_frame(p2m, env, kGnttabGfn + 5, frame, P2mType::GrantTable).ok());
    const uint64_t free_now = env.pool.free_frames();
    EXPECT_EQ(p2m_populate_ram(p2m, env, GuestPhysAddr{kGnttabGfn << kPageShift}, 4 * kMiB).error(),
              Errno::Busy);
    EXPECT_EQ(env.pool.free_frames(), free_now);  // nothing taken
    EXPECT_EQ(p2m.ram_range_count, 0u);
    EXPECT_EQ(p2m_type_of(p2m, env, kGnttabGfn + 5).value(), P2mType::GrantTable);
    // The range just below it is free: that still works.
    EXPECT_TRUE(p2m_populate_ram(p2m, env, GuestPhysAddr{(kGnttabGfn << kPageShift) - 4 * kMiB},
                                 4 * kMiB).ok());
    EXPECT_EQ(p2m_unmap_frame(p2m, env, kGnttabGfn + 5, P2mType::GrantTable).value(), frame);
    p2m_destroy(p2m, env);
    expect_restored();
}

TEST_F(P2mPagesTest, ReleasingOnePageSplitsTheBlockAndFreesOnlyThatPage)
{
    ASSERT_TRUE(p2m_populate_ram(p2m, env, GuestPhysAddr{kRam0}, 4 * kMiB).ok());
    EXPECT_EQ(p2m.ram_block_count, 1u);  // one order-10 block, two 2 MiB descriptors
    const uint64_t free_full = env.pool.free_frames();
    const Mfn before_lo = mfn_at(p2m, kRam0Gfn + 4);
    const Mfn before_hi = mfn_at(p2m, kRam0Gfn + 6);
    env.flushed.clear();
    ASSERT_TRUE(p2m_release_ram(p2m, env, kRam0Gfn + 5).ok());
    EXPECT_FALSE(env.flushed.empty());  // break-before-make flushed the VMID
    EXPECT_EQ(env.pool.free_frames(), free_full + 1);
    EXPECT_EQ(p2m.cur_frames, (4 * kMiB >> kPageShift) - 1);
    EXPECT_EQ(p2m.ram_frames, 4 * kMiB >> kPageShift);  // as built
    EXPECT_EQ(p2m.ram_block_count, 1023u);
    EXPECT_EQ(p2m_type_of(p2m, env, kRam0Gfn + 5).error(), Errno::NoEnt);
    EXPECT_EQ(mfn_at(p2m, kRam0Gfn + 4), before_lo);
    EXPECT_EQ(mfn_at(p2m, kRam0Gfn + 6), before_hi);
    // The other 2 MiB stays a block descriptor.
    EXPECT_EQ(p2m_release_ram(p2m, env, kRam0Gfn + 5).error(), Errno::NoEnt);
    // Populate the hole again: a fresh page, scrubbed.
    ASSERT_TRUE(p2m_populate_extent(p2m, env, kRam0Gfn + 5, 0).ok());
    EXPECT_EQ(p2m_type_of(p2m, env, kRam0Gfn + 5).value(), P2mType::RamRw);
    EXPECT_EQ(p2m.cur_frames, 4 * kMiB >> kPageShift);
    p2m_destroy(p2m, env);
    expect_restored();
}

TEST_F(P2mPagesTest, MappingOverRamGivesThePageBack)
{
    ASSERT_TRUE(p2m_populate_ram(p2m, env, GuestPhysAddr{kRam0}, 2 * kMiB).ok());
    const uint64_t free_full = env.pool.free_frames();
    const Mfn keel_page{0x777};
    ASSERT_TRUE(
        p2m_map_frame_over_ram(p2m, env, kRam0Gfn + 9, keel_page, P2mType::SharedInfo).ok());
    EXPECT_EQ(env.pool.free_frames(), free_full + 1);
    EXPECT_EQ(p2m_type_of(p2m, env, kRam0Gfn + 9).value(), P2mType::SharedInfo);
    EXPECT_EQ(p2m_map_frame_over_ram(p2m, env, kRam0Gfn + 9, keel_page, P2mType::SharedInfo)
                  .error(),
              Errno::Busy);
    ASSERT_TRUE(
        p2m_map_frame_over_ram(p2m, env, kGnttabGfn, keel_page, P2mType::GrantTable).ok());
    p2m_destroy(p2m, env);  // keel's pages are not the p2m's to free
    expect_restored();
}

TEST_F(P2mPagesTest, APinnedPageOutlivesItsOwnersDrop)
{
    ASSERT_TRUE(p2m_populate_ram(p2m, env, GuestPhysAddr{kRam0}, 2 * kMiB).ok());
    const Mfn m = p2m_get_page(p2m, env, kRam0Gfn + 7, true).value();
    FrameInfo* f = env.frames().find(m);
    EXPECT_EQ(frame_ref_count(*f), 1u);
    const uint64_t free_full = env.pool.free_frames();
    ASSERT_TRUE(p2m_release_ram(p2m, env, kRam0Gfn + 7).ok());
    EXPECT_EQ(env.pool.free_frames(), free_full);  // still pinned
    EXPECT_EQ(f->state(), FrameState::Allocated);
    frame_put(env, m);
    EXPECT_EQ(env.pool.free_frames(), free_full + 1);
    EXPECT_EQ(f->state(), FrameState::Free);
    p2m_destroy(p2m, env);
    expect_restored();
}

TEST_F(P2mPagesTest, DestroyLeavesPinnedFramesToTheirLastPut)
{
    ASSERT_TRUE(p2m_populate_ram(p2m, env, GuestPhysAddr{kRam0}, 2 * kMiB).ok());
    const Mfn a = p2m_get_page(p2m, env, kRam0Gfn + 1, false).value();
    const Mfn b = p2m_get_page(p2m, env, kRam0Gfn + 300, true).value();
    ASSERT_TRUE(frame_get(env, b).ok());  // two references on b
    p2m_destroy(p2m, env);
    EXPECT_EQ(env.pool.free_frames(), free_before - 2);
    frame_put(env, a);
    frame_put(env, b);
    EXPECT_EQ(env.pool.free_frames(), free_before - 1);
    frame_put(env, b);
    expect_restored();
}

TEST_F(P2mPagesTest, GrantMappingsHoldTheGrantersFrameUntilTheMapperEnds)
{
    P2m mapper;
    ASSERT_TRUE(p2m_init(mapper, env, 4).ok());
    ASSERT_TRUE(p2m_populate_ram(p2m, env, GuestPhysAddr{kRam0}, 2 * kMiB).ok());
    ASSERT_TRUE(p2m_populate_ram(mapper, env, GuestPhysAddr{kRam0}, 2 * kMiB).ok());
    // The mapper gives back a page (balloon) and maps the granter's page there.
    ASSERT_TRUE(p2m_release_ram(mapper, env, kRam0Gfn + 10).ok());
    const Mfn g = p2m_get_page(p2m, env, kRam0Gfn + 20, true).value();
    ASSERT_TRUE(p2m_map_frame(mapper, env, kRam0Gfn + 10, g, P2mType::GrantMapRw).ok());
    EXPECT_EQ(p2m_type_of(mapper, env, kRam0Gfn + 10).value(), P2mType::GrantMapRw);
    // Not the mapper's RAM: no pin through the mapper, no translate as RAM.
    EXPECT_EQ(p2m_get_page(mapper, env, kRam0Gfn + 10, false).error(), Errno::Inval);
    p2m_destroy(p2m, env);  // the granter ends first
    EXPECT_EQ(env.frames().find(g)->state(), FrameState::Allocated);
    p2m_destroy(mapper, env);  // drops the grant entry's reference: the frame goes
    expect_restored();
}

TEST_F(P2mPagesTest, UnmapHandsTheGrantReferenceToTheCaller)
{
    P2m mapper;
    ASSERT_TRUE(p2m_init(mapper, env, 4).ok());
    ASSERT_TRUE(p2m_populate_ram(p2m, env, GuestPhysAddr{kRam0}, 2 * kMiB).ok());
    const Mfn g = p2m_get_page(p2m, env, kRam0Gfn, false).value();
    ASSERT_TRUE(p2m_map_frame(mapper, env, 0x50000, g, P2mType::GrantMapRo).ok());
    EXPECT_EQ(p2m_unmap_frame(mapper, env, 0x50000, P2mType::GrantMapRw).error(), Errno::Inval);
    EXPECT_EQ(p2m_unmap_frame(mapper, env, 0x50000, P2mType::GrantMapRo).value(), g);
    EXPECT_EQ(frame_ref_count(*env.frames().find(g)), 1u);
    frame_put(env, g);
    p2m_destroy(mapper, env);
    p2m_destroy(p2m, env);
    expect_restored();
}

TEST_F(P2mPagesTest, PopulateStaysWithinTheMaximumAndIntoHoles)
{
    ASSERT_TRUE(p2m_populate_ram(p2m, env, GuestPhysAddr{kRam0}, 2 * kMiB).ok());
    EXPECT_EQ(p2m.max_frames, 512u);
    EXPECT_EQ(p2m_populate_extent(p2m, env, kRam0Gfn + 512, 0).error(), Errno::NoMem);  // at max
    for (uint64_t i = 0; i < 16; ++i) ASSERT_TRUE(p2m_release_ram(p2m, env, kRam0Gfn + i).ok());
    EXPECT_EQ(p2m_populate_extent(p2m, env, kRam0Gfn + 1, 4).error(), Errno::Inval);  // misaligned
    EXPECT_EQ(p2m_populate_extent(p2m, env, kRam0Gfn + 16, 4).error(), Errno::Busy);
    ASSERT_TRUE(p2m_populate_extent(p2m, env, 0x100000, 4).ok());  // anywhere empty
    EXPECT_EQ(p2m.cur_frames, 512u);
    EXPECT_EQ(p2m_populate_extent(p2m, env, kRam0Gfn, 0).error(), Errno::NoMem);
    ASSERT_TRUE(p2m_release_ram(p2m, env, 0x100003).ok());  // part of a populated extent
    ASSERT_TRUE(p2m_populate_extent(p2m, env, kRam0Gfn, 0).ok());
    EXPECT_EQ(p2m.max_mapped_gfn, 0x10000fu);
    p2m_destroy(p2m, env);
    expect_restored();
}

TEST_F(P2mPagesTest, StaticSharedMemoryIsMappedButNeverFreed)
{
    // Take the range out of the pool as the lead's DT code would.
    const Mfn reserved = env.pool.alloc(9).value();
    ASSERT_TRUE(
        p2m_map_static_shm(p2m, env, GuestPhysAddr{0x1'0000'0000}, reserved.addr(), 2 * kMiB, true)
            .ok());
    EXPECT_EQ(p2m_type_of(p2m, env, 0x100000 + 7).value(), P2mType::StaticShm);
    const Mfn m = p2m_get_page(p2m, env, 0x100000 + 7, true).value();
    EXPECT_EQ(m, reserved + 7);
    frame_put(env, m);
    EXPECT_EQ(p2m_map_static_shm(p2m, env, GuestPhysAddr{0x1'0000'0000}, reserved.addr(),
                                 kPageSize, false)
                  .error(),
              Errno::Busy);
    p2m_destroy(p2m, env);
    env.pool.free(reserved, 9);
    expect_restored();
}

TEST(FrameRef, OwnerDropAndLastPutDecideWhoFrees)
{
    FrameInfo f;
    EXPECT_TRUE(frame_ref_owner_drop(f));  // nobody else: the owner frees
    FrameInfo g;
    ASSERT_TRUE(frame_ref_get(g));
    ASSERT_TRUE(frame_ref_get(g));
    EXPECT_FALSE(frame_ref_put(g));  // not orphaned: the owner still holds it
    EXPECT_FALSE(frame_ref_owner_drop(g));
    EXPECT_TRUE(frame_ref_put(g));  // last reference of an orphan
    FrameInfo h;
    h.refcount = kFrameRefMax;
    EXPECT_FALSE(frame_ref_get(h));
}

}  // namespace
}  // namespace keel
