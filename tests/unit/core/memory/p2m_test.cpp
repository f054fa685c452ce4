// SPDX-License-Identifier: MIT
//
// tests/unit/core/memory/p2m_test.cpp
// Checks the p2m against a fake environment: RAM from a real buddy allocator
// over a fake bank (never touched), table pages from the fake table context,
// VMIDs from a real allocator, TLB flushes and scrubs recorded. Populate uses
// the largest blocks alignment and the pool allow, translate finds every page,
// destroy flushes first and then gives back every frame, table page and VMID
// (free lists restored exactly), also after failures halfway.
#include "core/memory/p2m.hpp"

#include <gtest/gtest.h>

#include <map>
#include <string>
#include <vector>

#include "../../arch/arm64/mmu/fake_table_context.hpp"
#include "fake_p2m_env.hpp"
#include "arch/arm64/mmu/stage2.hpp"
#include "arch/arm64/mmu/stage2_control.hpp"
#include "arch/arm64/mmu/vmid.hpp"
#include "core/memory/frame_allocator.hpp"

namespace keel {
namespace {

using testing::FakeP2mEnv;

constexpr uint64_t kMiB = uint64_t{1} << 20;
constexpr uint64_t kGiB = uint64_t{1} << 30;
constexpr uint64_t kRam0 = 0x4000'0000;
constexpr uint64_t kRam1 = 0x2'0000'0000;
constexpr uint16_t kDomid = 7;

// The raw stage-2 descriptor for `ipa` at `level` (level-1 root).
uint64_t entry_at(FakeP2mEnv& env, const P2m& p2m, uint64_t ipa, unsigned level)
{
    PhysAddr table = p2m.root;
    for (unsigned l = arm64::Stage2::kStartLevel;; ++l) {
        const uint64_t d = env.table_ptr(table)[(ipa >> arm64::vmsa::level_shift(l)) & 511];
        if (l == level) return d;
        if (!arm64::vmsa::is_table(d, l)) return ~uint64_t{0};
        table = arm64::vmsa::table_address(d);
    }
}

// Every page (every `stride` bytes) of [base, base + bytes) translates to a
// distinct domain-pool frame that the frame table records as the domain's.
void expect_all_mapped(FakeP2mEnv& env, const P2m& p2m, uint64_t base, uint64_t bytes,
                       uint64_t stride = kPageSize)
{
    std::map<uint64_t, uint64_t> seen;
    for (uint64_t off = 0; off < bytes; off += stride) {
        const auto pa = p2m_translate(p2m, env, GuestPhysAddr{base + off + 0x18});
        ASSERT_TRUE(pa.ok()) << std::hex << base + off;
        EXPECT_EQ(pa.value().page_offset(), 0x18u);
        const Mfn m = Mfn::of(pa.value());
        EXPECT_TRUE(seen.emplace(m.raw(), base + off).second) << "frame mapped twice";
        const FrameInfo* f = env.frames().find(m);
        ASSERT_NE(f, nullptr);
        EXPECT_EQ(f->state(), FrameState::Allocated);
        EXPECT_EQ(f->owner, kDomid);
        EXPECT_EQ(env.scrubbed[m.raw()], 1);
    }
}

struct P2mTest : ::testing::Test {
    FakeP2mEnv env{0x8000'0000, 512 * kMiB};
    P2m p2m;
    uint64_t free_before = env.pool.free_frames();
    std::vector<uint64_t> lists_before = env.lists();

    void SetUp() override { ASSERT_TRUE(p2m_init(p2m, env, kDomid).ok()); }
    void expect_restored()
    {
        EXPECT_EQ(env.pool.free_frames(), free_before);
        EXPECT_EQ(env.lists(), lists_before);
        EXPECT_EQ(env.tables.live_tables(), 0u);
        EXPECT_EQ(env.vmid_pool.used(), 0u);
        EXPECT_FALSE(p2m.ready());
        EXPECT_EQ(p2m.ram_blocks, kNoFrame);
    }
};

TEST_F(P2mTest, InitTakesAVmidAndOneRootPage)
{
    EXPECT_TRUE(p2m.ready());
    ASSERT_EQ(env.flushed.size(), 1u);  // a recycled VMID starts clean
    EXPECT_EQ(env.flushed[0], p2m.vttbr);
    EXPECT_EQ(p2m.vmid, 1u);
    EXPECT_EQ(p2m.table_pages, 1u);
    EXPECT_EQ(env.tables.live_tables(), 1u);
    EXPECT_EQ(p2m.vttbr, (uint64_t{1} << 48) | p2m.root.raw());
    p2m_destroy(p2m, env);
    expect_restored();
}

TEST_F(P2mTest, TwoMiBAlignedRamIsMappedWithBlockDescriptors)
{
    ASSERT_TRUE(p2m_populate_ram(p2m, env, GuestPhysAddr{kRam0}, 256 * kMiB).ok());
    EXPECT_EQ(p2m.ram_frames, (256 * kMiB) >> kPageShift);
    EXPECT_EQ(env.pool.free_frames(), free_before - p2m.ram_frames);
    // 256 MiB at a 1 GiB-aligned IPA: one order-16 block, mapped as 128 level-2 blocks.
    EXPECT_EQ(p2m.ram_block_count, 1u);
    EXPECT_EQ(env.ram_allocs[16], 1);
    EXPECT_EQ(p2m.table_pages, 2u);  // root + one level-2 table
    const PhysAddr pa0 = p2m_translate(p2m, env, GuestPhysAddr{kRam0}).value();
    for (uint64_t off = 0; off < 256 * kMiB; off += 2 * kMiB) {
        // valid | block | MemAttr 0b1111 | S2AP 0b11 | SH 0b11 | AF | software kind Ram.
        EXPECT_EQ(entry_at(env, p2m, kRam0 + off, 2), 0x0080'0000'0000'07fdu | (pa0.raw() + off));
    }
    EXPECT_EQ(entry_at(env, p2m, kRam0 + 256 * kMiB, 2), 0u);
    expect_all_mapped(env, p2m, kRam0, 256 * kMiB, 17 * kPageSize);
    EXPECT_GE(env.publishes, 1);
    p2m_destroy(p2m, env);
    expect_restored();
}

TEST_F(P2mTest, OneGiBAlignedRamUsesALevel1Block)
{
    FakeP2mEnv big{0x1'0000'0000, 2 * kGiB};
    P2m p;
    ASSERT_TRUE(p2m_init(p, big, kDomid).ok());
    const uint64_t before = big.pool.free_frames();
    ASSERT_TRUE(p2m_populate_ram(p, big, GuestPhysAddr{kRam0}, kGiB + 4 * kMiB).ok());
    EXPECT_EQ(big.ram_allocs[18], 1);
    EXPECT_EQ(big.ram_allocs[10], 1);  // the 4 MiB tail, naturally aligned at 0x80000000
    const uint64_t l1 = entry_at(big, p, kRam0, 1);
    EXPECT_TRUE(arm64::vmsa::is_leaf(l1, 1));
    EXPECT_EQ(l1 & ~arm64::vmsa::OutputAddr::kMask, 0x0080'0000'0000'07fdu);
    EXPECT_TRUE(arm64::vmsa::is_leaf(entry_at(big, p, kRam0 + kGiB, 2), 2));
    p2m_destroy(p, big);
    EXPECT_EQ(big.pool.free_frames(), before);
    EXPECT_EQ(big.tables.live_tables(), 0u);
}

TEST_F(P2mTest, UnalignedEdgesUseSmallerBlocksAndPages)
{
    // [0x40001000, 0x40001000 + 2 MiB + 12 KiB): order 0, 1, 2, ... up to the
    // 2 MiB boundary, then down again for the tail.
    const uint64_t base = kRam0 + kPageSize;
    const uint64_t bytes = 2 * kMiB + 3 * kPageSize;
    ASSERT_TRUE(p2m_populate_ram(p2m, env, GuestPhysAddr{base}, bytes).ok());
    EXPECT_EQ(p2m.ram_frames, bytes >> kPageShift);
    // Head: 511 frames below 0x40200000 as orders 0..8 (1+2+...+256); tail: 4 frames
    // from 0x40200000 as one order-2 block.
    EXPECT_EQ(p2m.ram_block_count, 10u);
    EXPECT_EQ(env.ram_allocs[2], 2);
    EXPECT_EQ(entry_at(env, p2m, kRam0, 3), 0u);  // the page below base stays unmapped
    EXPECT_FALSE(p2m_translate(p2m, env, GuestPhysAddr{kRam0}).ok());
    EXPECT_FALSE(p2m_translate(p2m, env, GuestPhysAddr{base + bytes}).ok());
    expect_all_mapped(env, p2m, base, bytes);
    p2m_destroy(p2m, env);
    expect_restored();
}

TEST_F(P2mTest, TwoBanksAsXenPlacesThem)
{
    ASSERT_TRUE(p2m_populate_ram(p2m, env, GuestPhysAddr{kRam0}, 64 * kMiB).ok());
    ASSERT_TRUE(p2m_populate_ram(p2m, env, GuestPhysAddr{kRam1}, 32 * kMiB).ok());
    EXPECT_EQ(p2m.ram_range_count, 2u);
    expect_all_mapped(env, p2m, kRam0, 64 * kMiB);
    expect_all_mapped(env, p2m, kRam1, 32 * kMiB);
    EXPECT_FALSE(p2m_translate(p2m, env, GuestPhysAddr{kRam0 + 64 * kMiB}).ok());
    EXPECT_FALSE(p2m_translate(p2m, env, GuestPhysAddr{0x0300'1000}).ok());  // the vGICD: not RAM
    EXPECT_FALSE(p2m_translate(p2m, env, GuestPhysAddr{uint64_t{1} << 39}).ok());
    p2m_destroy(p2m, env);
    expect_restored();
}

TEST_F(P2mTest, BadRangesAreRejected)
{
    auto pop = [&](uint64_t base, uint64_t bytes) {
        return p2m_populate_ram(p2m, env, GuestPhysAddr{base}, bytes);
    };
    EXPECT_EQ(pop(kRam0, 0).error(), Errno::Inval);
    EXPECT_EQ(pop(kRam0 + 0x800, kPageSize).error(), Errno::Inval);
    EXPECT_EQ(pop(kRam0, 100).error(), Errno::Inval);
    EXPECT_EQ(pop((uint64_t{1} << 39) - kPageSize, 2 * kPageSize).error(), Errno::Inval);
    EXPECT_EQ(pop(uint64_t{1} << 39, kPageSize).error(), Errno::Inval);
    ASSERT_TRUE(pop(kRam0, 4 * kMiB).ok());
    EXPECT_EQ(pop(kRam0 + 2 * kMiB, 4 * kMiB).error(), Errno::Inval);  // overlaps
    ASSERT_TRUE(pop(kRam0 + 4 * kMiB, kPageSize).ok());                // adjacent is fine
    // A smaller IPA size (36-bit PA): bank 1 at 8 GiB still fits, 64 GiB does not.
    env.ipa = 36;
    EXPECT_TRUE(pop(kRam1, kPageSize).ok());
    EXPECT_EQ(pop(uint64_t{64} << 30, kPageSize).error(), Errno::Inval);
    EXPECT_FALSE(p2m_translate(p2m, env, GuestPhysAddr{uint64_t{64} << 30}).ok());
    uint64_t at = kRam0 + 8 * kMiB;
    for (; p2m.ram_range_count < P2m::kMaxRamRanges; at += 4 * kMiB)
        ASSERT_TRUE(pop(at, kPageSize).ok());
    EXPECT_EQ(pop(at, kPageSize).error(), Errno::NoSpc);  // kMaxRamRanges ranges already
    p2m_destroy(p2m, env);
    expect_restored();
}

TEST_F(P2mTest, FragmentedPoolFallsBackToSmallerBlocks)
{
    // Take every other frame of the whole pool: only order-0 blocks remain free.
    std::vector<Mfn> held;
    for (;;) {
        auto m = env.pool.alloc(0);
        if (!m.ok()) break;
        held.push_back(m.value());
    }
    for (size_t i = 0; i < held.size(); i += 2) env.pool.free(held[i], 0);
    const uint64_t free_now = env.pool.free_frames();
    ASSERT_TRUE(p2m_populate_ram(p2m, env, GuestPhysAddr{kRam0}, 2 * kMiB).ok());
    EXPECT_EQ(p2m.ram_block_count, 512u);
    expect_all_mapped(env, p2m, kRam0, 2 * kMiB);
    EXPECT_EQ(entry_at(env, p2m, kRam0, 2) & 0b11, 0b11u);  // a table: pages, no block
    p2m_destroy(p2m, env);
    EXPECT_EQ(env.pool.free_frames(), free_now);
    EXPECT_EQ(env.tables.live_tables(), 0u);
    for (size_t i = 1; i < held.size(); i += 2) env.pool.free(held[i], 0);
    EXPECT_EQ(env.pool.free_frames(), free_before);
    EXPECT_EQ(env.lists(), lists_before);
}

TEST_F(P2mTest, RunningOutOfRamKeepsWhatWasTakenUntilDestroy)
{
    env.ram_limit_frames = (6 * kMiB) >> kPageShift;
    EXPECT_EQ(p2m_populate_ram(p2m, env, GuestPhysAddr{kRam0}, 8 * kMiB).error(), Errno::NoMem);
    EXPECT_EQ(p2m.ram_frames, (6 * kMiB) >> kPageShift);
    p2m_destroy(p2m, env);
    expect_restored();
}

TEST_F(P2mTest, RunningOutOfTablePagesKeepsWhatWasTakenUntilDestroy)
{
    env.tables.limit_tables(2);  // root + one level 2: the first level-3 table fails
    EXPECT_EQ(p2m_populate_ram(p2m, env, GuestPhysAddr{kRam0 + kPageSize}, 4 * kMiB).error(),
              Errno::NoMem);
    EXPECT_GT(p2m.ram_frames, 0u);
    p2m_destroy(p2m, env);
    expect_restored();
}

TEST_F(P2mTest, DestroyFlushesTheVmidBeforeFreeingAnything)
{
    ASSERT_TRUE(p2m_populate_ram(p2m, env, GuestPhysAddr{kRam0}, 4 * kMiB).ok());
    const uint64_t vttbr = p2m.vttbr;
    env.events.clear();
    env.flushed.clear();
    p2m_destroy(p2m, env);
    ASSERT_FALSE(env.events.empty());
    EXPECT_EQ(env.events.front(), "flush");
    EXPECT_EQ(env.events.back(), "free_vmid");
    ASSERT_EQ(env.flushed.size(), 1u);
    EXPECT_EQ(env.flushed[0], vttbr);
    expect_restored();
}

TEST_F(P2mTest, DestroyOfANeverInitialisedP2mDoesNothing)
{
    P2m empty;
    env.events.clear();
    p2m_destroy(empty, env);
    EXPECT_TRUE(env.events.empty());
    p2m_destroy(p2m, env);
    expect_restored();
}

TEST_F(P2mTest, VmidsAreDistinctAndRecycled)
{
    P2m other;
    ASSERT_TRUE(p2m_init(other, env, kDomid + 1).ok());
    EXPECT_NE(other.vmid, p2m.vmid);
    const uint16_t freed = p2m.vmid;
    p2m_destroy(p2m, env);
    P2m again;
    ASSERT_TRUE(p2m_init(again, env, kDomid).ok());
    EXPECT_EQ(again.vmid, freed);
    p2m_destroy(again, env);
    p2m_destroy(other, env);
    expect_restored();
}

TEST(VmidAllocator, HandsOut255ThenRunsOut)
{
    arm64::VmidAllocator a;
    for (unsigned i = 1; i < 256; ++i) {
        auto v = a.alloc();
        ASSERT_TRUE(v.ok());
        EXPECT_EQ(v.value(), i);
    }
    EXPECT_EQ(a.alloc().error(), Errno::NoSpc);
    EXPECT_EQ(a.used(), 255u);
    a.free(77);
    EXPECT_EQ(a.alloc().value(), 77u);
}

TEST(VmidAllocatorDeathTest, DoubleFreeAndVmidZeroPanic)
{
    arm64::VmidAllocator a;
    const uint16_t v = a.alloc().value();
    a.free(v);
    EXPECT_DEATH(a.free(v), "check failed");
    EXPECT_DEATH(a.free(0), "check failed");
}

TEST(Stage2Encoding, DescriptorsMatchHandComputedBits)
{
    using arm64::Stage2;
    using arm64::vmsa::make_leaf;
    // 2 MiB RAM block: valid, block, MemAttr 1111 (outer+inner WB), S2AP 11, SH 11, AF, kind 1.
    EXPECT_EQ(make_leaf(PhysAddr{0x4020'0000}, 2, Stage2::encode(arm64::kS2GuestRam)),
              0x0080'0000'4020'07fdu);
    // RAM page: the same attributes with the page type bit.
    EXPECT_EQ(make_leaf(PhysAddr{0x4020'1000}, 3, Stage2::encode(arm64::kS2GuestRam)),
              0x0080'0000'4020'17ffu);
    // Device page: MemAttr 0001 (Device-nGnRE), S2AP 11, SH 10, AF, XN (bit 54), kind 2.
    EXPECT_EQ(make_leaf(PhysAddr{0x0900'0000}, 3, Stage2::encode(arm64::kS2Device)),
              0x0140'0000'0900'06c7u);
    // Read-only, non-executable normal non-cacheable page: MemAttr 0101, S2AP 01, SH 11, AF, XN.
    const arm64::Stage2Attrs ro{arm64::S2Access::R, false, arm64::S2MemType::NormalNonCacheable,
                                arm64::S2Kind::Ram};
    EXPECT_EQ(make_leaf(PhysAddr{0x5000'0000}, 3, Stage2::encode(ro)), 0x00c0'0000'5000'0757u);
    EXPECT_EQ(Stage2::decode(Stage2::encode(ro)), ro);
}

TEST(Stage2Control, VtcrVttbrAndFaultIpa)
{
    // PARange 2 (40-bit PA): T0SZ 25 (39-bit IPA), SL0 01, IRGN0/ORGN0 01, SH0 11, PS 010, RES1.
    EXPECT_EQ(arm64::vtcr_el2_value(2), 0x8002'3559u);
    EXPECT_EQ(arm64::vtcr_ipa_bits(arm64::vtcr_el2_value(2)), 39u);
    // PARange 0 (32-bit PA): T0SZ 32.
    EXPECT_EQ(arm64::vtcr_el2_value(0), 0x8000'3560u);
    EXPECT_EQ(arm64::vttbr_value(0xab, PhysAddr{0x4812'3000}), 0x00ab'0000'4812'3000u);
    EXPECT_EQ(arm64::vttbr_vmid(0x00ab'0000'4812'3000), 0xabu);
    EXPECT_EQ(arm64::fault_ipa(0x0000'0000'0200'0000 >> 8, 0x1234'5abc),
              GuestPhysAddr{0x0200'0abc});
    EXPECT_EQ(arm64::fault_ipa(uint64_t{0x2'0000'1000} >> 8, 0x10), GuestPhysAddr{0x2'0000'1010});
}

}  // namespace
}  // namespace keel
