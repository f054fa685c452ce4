// SPDX-License-Identifier: MIT
//
// tests/unit/core/memory/p2m_foreign_test.cpp
// Checks foreign mappings in the p2m against the fake environment: which
// pages of an owner may be taken (RAM only), the ForeignRw entry and its
// stage-2 attributes, the frame reference it holds through the owner's
// ballooning or death, what a foreign entry replaces in the mapper (its own
// RAM, an older foreign entry) and what it refuses, and that unmapping or the
// mapper's destruction brings every count back.
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
constexpr uint64_t kHole = 0x90000;  // where the mapper puts foreign pages

struct P2mForeignTest : ::testing::Test {
    FakeP2mEnv env{0x8000'0000, 512 * kMiB};
    P2m owner;   // a domU
    P2m mapper;  // dom0
    uint64_t free_before = env.pool.free_frames();
    std::vector<uint64_t> lists_before = env.lists();

    void SetUp() override
    {
        ASSERT_TRUE(p2m_init(owner, env, 3).ok());
        ASSERT_TRUE(p2m_init(mapper, env, 0).ok());
        ASSERT_TRUE(p2m_populate_ram(owner, env, GuestPhysAddr{kRam0}, 2 * kMiB).ok());
        ASSERT_TRUE(p2m_populate_ram(mapper, env, GuestPhysAddr{kRam0}, 2 * kMiB).ok());
    }
    void expect_restored()
    {
        EXPECT_EQ(env.pool.free_frames(), free_before);
        EXPECT_EQ(env.lists(), lists_before);
        EXPECT_EQ(env.tables.live_tables(), 0u);
        EXPECT_EQ(env.vmid_pool.used(), 0u);
    }
    uint32_t refs(Mfn m) { return frame_ref_count(*env.frames().find(m)); }
    Mfn owner_page(uint64_t gfn) { return p2m_get_ram_page(owner, env, gfn).value(); }
    arm64::Stage2Attrs attrs_at(P2m& p, uint64_t gfn)
    {
        const arm64::PageTableWalker walker{env, p.root, arm64::Stage2::kStartLevel,
                                            arm64::Stage2::kInputBits};
        return arm64::Stage2::decode(walker.translate(gfn << kPageShift).value().desc);
    }
};

TEST_F(P2mForeignTest, AForeignEntryHoldsOneReferenceAndIsNormalRwNeverExecutable)
{
    const Mfn g = owner_page(kRam0Gfn + 5);
    EXPECT_EQ(refs(g), 1u);
    ASSERT_TRUE(p2m_map_foreign(mapper, env, kHole, g).ok());
    EXPECT_EQ(refs(g), 1u);  // the entry took over the reference
    EXPECT_EQ(p2m_type_of(mapper, env, kHole).value(), P2mType::ForeignRw);
    const arm64::Stage2Attrs a = attrs_at(mapper, kHole);
    EXPECT_EQ(a.access, arm64::S2Access::RW);
    EXPECT_FALSE(a.exec);
    EXPECT_EQ(a.type, arm64::S2MemType::Normal);
    EXPECT_EQ(a.kind, arm64::S2Kind::ForeignRw);
    // Not the mapper's RAM: it cannot grant, pin or re-export the page.
    EXPECT_EQ(p2m_get_page(mapper, env, kHole, false).error(), Errno::Inval);
    EXPECT_EQ(p2m_get_ram_page(mapper, env, kHole).error(), Errno::Inval);
    EXPECT_EQ(p2m_translate(mapper, env, GuestPhysAddr{kHole << kPageShift}).error(), Errno::Fault);
    EXPECT_EQ(mapper.max_mapped_gfn, kHole);
    p2m_destroy(mapper, env);  // drops the entry's reference
    EXPECT_EQ(refs(g), 0u);
    p2m_destroy(owner, env);
    expect_restored();
}

TEST_F(P2mForeignTest, UnmapHandsTheReferenceToTheCaller)
{
    const Mfn g = owner_page(kRam0Gfn);
    ASSERT_TRUE(p2m_map_foreign(mapper, env, kHole, g).ok());
    EXPECT_EQ(p2m_unmap_frame(mapper, env, kHole, P2mType::GrantMapRw).error(), Errno::Inval);
    const size_t flushes = env.flushed.size();
    EXPECT_EQ(p2m_unmap_frame(mapper, env, kHole, P2mType::ForeignRw).value(), g);
    EXPECT_GT(env.flushed.size(), flushes);  // the TLBs forgot it before the caller's put
    EXPECT_EQ(refs(g), 1u);
    frame_put(env, g);
    EXPECT_EQ(p2m_unmap_frame(mapper, env, kHole, P2mType::ForeignRw).error(), Errno::NoEnt);
    p2m_destroy(mapper, env);
    p2m_destroy(owner, env);
    expect_restored();
}

TEST_F(P2mForeignTest, OnlyTheOwnersRamCanBeTaken)
{
    const Mfn keel_page{0x12345};  // outside the bank: a keel page
    ASSERT_TRUE(p2m_map_frame(owner, env, 0x38000, keel_page, P2mType::GrantTable).ok());
    ASSERT_TRUE(p2m_map_frame(owner, env, 0x39000, keel_page, P2mType::SharedInfo).ok());
    ASSERT_TRUE(p2m_map_frame(owner, env, 0x8000, keel_page, P2mType::Mmio).ok());
    const Mfn shm = env.pool.alloc(0).value();
    ASSERT_TRUE(p2m_map_static_shm(owner, env, GuestPhysAddr{0x1'0000'0000}, shm.addr(), kPageSize, true).ok());
    // A grant mapping and a foreign mapping in the owner are not its RAM either.
    const Mfn other = p2m_get_ram_page(mapper, env, kRam0Gfn + 9).value();
    ASSERT_TRUE(p2m_map_frame(owner, env, 0x50000, other, P2mType::GrantMapRw).ok());
    const Mfn other2 = p2m_get_ram_page(mapper, env, kRam0Gfn + 10).value();
    ASSERT_TRUE(p2m_map_foreign(owner, env, 0x50001, other2).ok());
    for (const uint64_t gfn : {uint64_t{0x38000}, uint64_t{0x39000}, uint64_t{0x8000}, uint64_t{0x100000},
                               uint64_t{0x50000}, uint64_t{0x50001}, kHole, kRam0Gfn + 512,
                               uint64_t{1} << 27, ~uint64_t{0}})
        EXPECT_EQ(p2m_get_ram_page(owner, env, gfn).error(), Errno::Inval) << std::hex << gfn;
    EXPECT_EQ(refs(other), 1u);
    EXPECT_EQ(refs(other2), 1u);
    p2m_destroy(owner, env);
    EXPECT_EQ(refs(other), 0u);
    EXPECT_EQ(refs(other2), 0u);
    // A destroyed p2m gives nothing.
    EXPECT_EQ(p2m_get_ram_page(owner, env, kRam0Gfn).error(), Errno::Inval);
    p2m_destroy(mapper, env);
    env.pool.free(shm, 0);
    expect_restored();
}

TEST_F(P2mForeignTest, TheReferenceKeepsThePageThroughTheOwnersBallooningAndDeath)
{
    const Mfn a = owner_page(kRam0Gfn + 1);
    const Mfn b = owner_page(kRam0Gfn + 300);
    ASSERT_TRUE(p2m_map_foreign(mapper, env, kHole, a).ok());
    ASSERT_TRUE(p2m_map_foreign(mapper, env, kHole + 1, b).ok());
    // The owner gives a back: the page stays allocated (and nobody else's).
    ASSERT_TRUE(p2m_release_ram(owner, env, kRam0Gfn + 1).ok());
    EXPECT_EQ(env.frames().find(a)->state(), FrameState::Allocated);
    // It is no longer the owner's RAM: not mappable again.
    EXPECT_EQ(p2m_get_ram_page(owner, env, kRam0Gfn + 1).error(), Errno::Inval);
    // The owner dies: b too stays until the mapper lets go.
    p2m_destroy(owner, env);
    EXPECT_EQ(env.frames().find(b)->state(), FrameState::Allocated);
    EXPECT_EQ(env.pool.free_frames(), free_before - 512 - 2);
    const Mfn ua = p2m_unmap_frame(mapper, env, kHole, P2mType::ForeignRw).value();
    frame_put(env, ua);
    EXPECT_EQ(env.frames().find(a)->state(), FrameState::Free);
    p2m_destroy(mapper, env);  // b's last reference
    expect_restored();
}

TEST_F(P2mForeignTest, AForeignEntryReplacesTheMappersRamOrAnOlderForeignEntryOnly)
{
    const Mfn a = owner_page(kRam0Gfn + 1);
    const Mfn b = owner_page(kRam0Gfn + 2);
    // Over the mapper's own RAM (Linux balloons first; Xen replaces anyway):
    // that page is given back.
    const uint64_t cur = mapper.cur_frames;
    ASSERT_TRUE(p2m_map_foreign(mapper, env, kRam0Gfn + 7, a).ok());
    EXPECT_EQ(mapper.cur_frames, cur - 1);
    // Over an older foreign entry: its reference goes.
    ASSERT_TRUE(p2m_map_foreign(mapper, env, kRam0Gfn + 7, b).ok());
    EXPECT_EQ(refs(a), 0u);
    EXPECT_EQ(refs(b), 1u);
    // The same page at two places: two references.
    ASSERT_TRUE(frame_get(env, b).ok());
    ASSERT_TRUE(p2m_map_foreign(mapper, env, kHole, b).ok());
    EXPECT_EQ(refs(b), 2u);
    // Keel's pages, MMIO, grant mappings and static memory stay: Busy, nothing taken.
    const Mfn keel_page{0x12345};
    ASSERT_TRUE(p2m_map_frame(mapper, env, 0x38000, keel_page, P2mType::GrantTable).ok());
    ASSERT_TRUE(p2m_map_frame(mapper, env, 0x39000, keel_page, P2mType::SharedInfo).ok());
    ASSERT_TRUE(p2m_map_frame(mapper, env, 0x8000, keel_page, P2mType::Mmio).ok());
    ASSERT_TRUE(frame_get(env, a).ok());
    ASSERT_TRUE(p2m_map_frame(mapper, env, 0x50000, a, P2mType::GrantMapRo).ok());
    for (const uint64_t gfn : {uint64_t{0x38000}, uint64_t{0x39000}, uint64_t{0x8000}, uint64_t{0x50000}})
        EXPECT_EQ(p2m_map_foreign(mapper, env, gfn, b).error(), Errno::Busy) << std::hex << gfn;
    EXPECT_EQ(p2m_type_of(mapper, env, 0x50000).value(), P2mType::GrantMapRo);
    // Beyond the IPA size.
    EXPECT_EQ(p2m_map_foreign(mapper, env, uint64_t{1} << 27, b).error(), Errno::Inval);
    EXPECT_EQ(p2m_map_foreign(mapper, env, ~uint64_t{0}, b).error(), Errno::Inval);
    EXPECT_EQ(refs(b), 2u);
    EXPECT_EQ(refs(a), 1u);
    p2m_destroy(owner, env);
    p2m_destroy(mapper, env);
    expect_restored();
}

TEST_F(P2mForeignTest, AnUnreadyMapperMapsNothing)
{
    P2m none;
    const Mfn a = owner_page(kRam0Gfn);
    EXPECT_EQ(p2m_map_foreign(none, env, kHole, a).error(), Errno::Inval);
    EXPECT_EQ(p2m_get_ram_page(none, env, kRam0Gfn).error(), Errno::Inval);
    frame_put(env, a);
    p2m_destroy(owner, env);
    p2m_destroy(mapper, env);
    expect_restored();
}

TEST_F(P2mForeignTest, AFullReferenceCountRefusesTheMapping)
{
    FrameInfo& f = *env.frames().find(Mfn::of(p2m_translate(owner, env, GuestPhysAddr{kRam0}).value()));
    f.refcount = kFrameRefMax;
    EXPECT_EQ(p2m_get_ram_page(owner, env, kRam0Gfn).error(), Errno::Overflow);
    f.refcount = 0;
    p2m_destroy(owner, env);
    p2m_destroy(mapper, env);
    expect_restored();
}

TEST_F(P2mForeignTest, AKeelPageOthersMapGoesAtItsLastReference)
{
    // A page keel owns (as a grant-table frame): mapped by the mapper, then
    // dropped by keel; the mapper's last reference frees it.
    const Mfn page = env.pool.alloc(0).value();
    ASSERT_TRUE(frame_get(env, page).ok());
    ASSERT_TRUE(p2m_map_foreign(mapper, env, kHole, page).ok());
    EXPECT_FALSE(keel_page_owner_drop(env, page));
    EXPECT_EQ(env.frames().find(page)->state(), FrameState::Allocated);
    p2m_destroy(mapper, env);
    EXPECT_EQ(env.frames().find(page)->state(), FrameState::Free);
    // Nobody referencing it: keel frees it itself; no record: nothing to count.
    const Mfn alone = env.pool.alloc(0).value();
    EXPECT_TRUE(keel_page_owner_drop(env, alone));
    env.pool.free(alone, 0);
    EXPECT_TRUE(keel_page_owner_drop(env, Mfn{0x12345}));
    p2m_destroy(owner, env);
    expect_restored();
}

}  // namespace
}  // namespace keel
