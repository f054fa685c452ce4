// SPDX-License-Identifier: MIT
//
// tests/unit/core/memory/p2m_direct_test.cpp
// Checks dom0's direct-mapped RAM and 1:1 device windows against the fake p2m
// environment: p2m_map_ram_direct maps a block at its own address, merges
// adjacent ranges and refuses what it must (leaving the block with the
// caller); p2m_populate_direct takes bank 0 below 4 GiB in one large block,
// the rest lowest first, refuses too much memory, and p2m_destroy gives every
// frame back; p2m_map_mmio uses blocks where aligned, is Mmio and never freed;
// FrameAllocator::alloc_below hands out the lowest block that fits.
#include "core/memory/p2m_direct.hpp"

#include <gtest/gtest.h>

#include "arch/arm64/mmu/stage2.hpp"
#include "core/memory/frame_allocator.hpp"
#include "fake_p2m_env.hpp"

namespace keel {
namespace {

using testing::FakeP2mEnv;

constexpr uint64_t kMiB = uint64_t{1} << 20;
constexpr uint64_t kGiB = uint64_t{1} << 30;
constexpr uint16_t kDom0 = 0;

uint64_t leaf_level(FakeP2mEnv& env, const P2m& p2m, uint64_t ipa)
{
    PhysAddr table = p2m.root;
    for (unsigned l = arm64::Stage2::kStartLevel; l <= 3; ++l) {
        const uint64_t d = env.table_ptr(table)[(ipa >> arm64::vmsa::level_shift(l)) & 511];
        if ((d & 1) == 0) return 0;
        if (l == 3 || !arm64::vmsa::is_table(d, l)) return l;
        table = arm64::vmsa::table_address(d);
    }
    return 0;
}

struct DirectTest : ::testing::Test {
    // 3 GiB of host RAM from 1 GiB up to 4 GiB, then 1 GiB above 4 GiB.
    FakeP2mEnv env{0x4000'0000, 4 * kGiB};
    P2m p2m;
    uint64_t free_before = env.pool.free_frames();

    void SetUp() override { ASSERT_TRUE(p2m_init(p2m, env, kDom0).ok()); }
    void destroy_and_check()
    {
        p2m_destroy(p2m, env);
        EXPECT_EQ(env.pool.free_frames(), free_before);
        EXPECT_EQ(env.tables.live_tables(), 0u);
    }
    void destroy_and_check_with(std::vector<Mfn>& held)
    {
        p2m_destroy(p2m, env);
        for (Mfn m : held) env.pool.free(m, 14);
        EXPECT_EQ(env.pool.free_frames(), free_before);
        EXPECT_EQ(env.tables.live_tables(), 0u);
    }
    void expect_identity(uint64_t base, uint64_t bytes)
    {
        for (uint64_t off = 0; off < bytes; off += 2 * kMiB) {
            auto pa = p2m_translate(p2m, env, GuestPhysAddr{base + off + 0x40});
            ASSERT_TRUE(pa.ok()) << std::hex << base + off;
            EXPECT_EQ(pa.value().raw(), base + off + 0x40);
        }
    }
};

TEST(FrameAllocatorBelow, LowestFittingBlockSplitFromAnyOrder)
{
    const PhysRange bank{PhysAddr{0x4000'0000}, 1 * kGiB};
    std::vector<FrameInfo> storage(FrameTable::frames_needed({&bank, 1}));
    FrameTable table;
    table.init({&bank, 1}, storage.data(), storage.size());
    FrameAllocator a;
    a.init(table, 2);
    a.add_free(Mfn::of(bank.base), bank.size >> kPageShift);
    // Take the first 2 MiB with a plain alloc: the lowest free block is now at +2 MiB.
    auto first = a.alloc(9);
    ASSERT_TRUE(first.ok());
    EXPECT_EQ(first.value().addr().raw(), 0x4000'0000u);
    auto m = a.alloc_below(9, Mfn::of(PhysAddr{0x8000'0000}));
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(m.value().addr().raw(), 0x4020'0000u);
    // Nothing of 2 MiB ends at or below 0x40400000 any more.
    EXPECT_EQ(a.alloc_below(9, Mfn::of(PhysAddr{0x4040'0000})).error(), Errno::NoMem);
    EXPECT_EQ(a.alloc_below(19, Mfn::of(PhysAddr{~uint64_t{0}})).error(), Errno::Inval);
    a.free(m.value(), 9);
    a.free(first.value(), 9);
    EXPECT_EQ(a.free_frames(), bank.size >> kPageShift);
    EXPECT_EQ(a.free_blocks(18), 1u);
}

TEST_F(DirectTest, BlockMappedAtItsOwnAddressAndAdjacentOnesMerge)
{
    auto a = env.pool.alloc_below(9, Mfn::of(PhysAddr{~uint64_t{0}}));
    auto b = env.pool.alloc_below(9, Mfn::of(PhysAddr{~uint64_t{0}}));
    ASSERT_TRUE(a.ok() && b.ok());
    ASSERT_EQ(b.value().addr().raw(), a.value().addr().raw() + 2 * kMiB);
    ASSERT_TRUE(p2m_map_ram_direct(p2m, env, b.value(), 9).ok());
    ASSERT_TRUE(p2m_map_ram_direct(p2m, env, a.value(), 9).ok());
    ASSERT_EQ(p2m.ram_range_count, 1u);
    EXPECT_EQ(p2m.ram[0].base.raw(), a.value().addr().raw());
    EXPECT_EQ(p2m.ram[0].size, 4 * kMiB);
    EXPECT_EQ(p2m.max_frames, (4 * kMiB) >> kPageShift);
    expect_identity(a.value().addr().raw(), 4 * kMiB);
    EXPECT_EQ(leaf_level(env, p2m, a.value().addr().raw()), 2u);  // a 2 MiB block
    EXPECT_EQ(env.scrubbed[a.value().raw()], 1);
    EXPECT_EQ(env.frames().find(a.value())->owner, kDom0);
    destroy_and_check();
}

TEST_F(DirectTest, AGapFilledJoinsThreeRangesIntoOne)
{
    Mfn m[3];
    for (auto& x : m) x = env.pool.alloc_below(9, Mfn::of(PhysAddr{~uint64_t{0}})).value();
    ASSERT_TRUE(p2m_map_ram_direct(p2m, env, m[0], 9).ok());
    ASSERT_TRUE(p2m_map_ram_direct(p2m, env, m[2], 9).ok());
    EXPECT_EQ(p2m.ram_range_count, 2u);
    ASSERT_TRUE(p2m_map_ram_direct(p2m, env, m[1], 9).ok());
    ASSERT_EQ(p2m.ram_range_count, 1u);
    EXPECT_EQ(p2m.ram[0].base.raw(), m[0].addr().raw());
    EXPECT_EQ(p2m.ram[0].size, 6 * kMiB);
    destroy_and_check();
}

TEST_F(DirectTest, RefusalsLeaveTheBlockWithTheCaller)
{
    auto m = env.pool.alloc_below(9, Mfn::of(PhysAddr{~uint64_t{0}}));
    ASSERT_TRUE(m.ok());
    EXPECT_EQ(p2m_map_ram_direct(p2m, env, m.value() + 1, 9).error(), Errno::Inval);  // misaligned
    EXPECT_EQ(p2m_map_ram_direct(p2m, env, m.value(), 19).error(), Errno::Inval);
    ASSERT_TRUE(p2m_map_ram_direct(p2m, env, m.value(), 9).ok());
    EXPECT_EQ(p2m_map_ram_direct(p2m, env, m.value(), 0).error(), Errno::Busy);  // mapped already
    // Beyond the IPA size: 39 bits here, RAM at 2^39 cannot be mapped 1:1.
    EXPECT_EQ(p2m_map_ram_direct(p2m, env, Mfn::of(PhysAddr{uint64_t{1} << 39}), 0).error(),
              Errno::Inval);
    P2m unready;
    EXPECT_EQ(p2m_map_ram_direct(unready, env, m.value(), 9).error(), Errno::Inval);
    destroy_and_check();
}

TEST_F(DirectTest, TooManyRangesIsNoSpc)
{
    // Every other 2 MiB block: no two adjacent.
    std::vector<Mfn> held;
    for (size_t i = 0; i < 2 * (P2m::kMaxRamRanges + 1); ++i)
        held.push_back(env.pool.alloc_below(9, Mfn::of(PhysAddr{~uint64_t{0}})).value());
    for (size_t i = 0; i < P2m::kMaxRamRanges; ++i)
        ASSERT_TRUE(p2m_map_ram_direct(p2m, env, held[2 * i], 9).ok());
    EXPECT_EQ(p2m_map_ram_direct(p2m, env, held[2 * P2m::kMaxRamRanges], 9).error(),
              Errno::NoSpc);
    p2m_destroy(p2m, env);
    for (size_t i = 1; i < held.size(); i += 2) env.pool.free(held[i], 9);
    env.pool.free(held[2 * P2m::kMaxRamRanges], 9);
    EXPECT_EQ(env.pool.free_frames(), free_before);
}

TEST_F(DirectTest, Populate768MiBIsTwoBlocksMergedBelow4GiB)
{
    auto banks = p2m_populate_direct(p2m, env, 768 * kMiB);
    ASSERT_TRUE(banks.ok());
    ASSERT_EQ(banks.value().count, 1u);
    EXPECT_EQ(banks.value().first, 0u);
    EXPECT_EQ(banks.value().bank[0].base.raw(), 0x4000'0000u);  // lowest first
    EXPECT_EQ(banks.value().bank[0].size, 768 * kMiB);
    EXPECT_EQ(banks.value().total(), 768 * kMiB);
    EXPECT_EQ(env.ram_allocs[17], 1);  // 512 MiB
    EXPECT_EQ(env.ram_allocs[16], 1);  // 256 MiB
    EXPECT_EQ(p2m.ram_frames, (768 * kMiB) >> kPageShift);
    expect_identity(0x4000'0000, 768 * kMiB);
    EXPECT_EQ(leaf_level(env, p2m, 0x4000'0000), 2u);  // 2 MiB blocks (a 512 MiB block)
    destroy_and_check();
}

TEST_F(DirectTest, PopulateAnOddSizeUsesSmallerTailBlocks)
{
    const uint64_t bytes = 130 * kMiB + 12 * 1024;
    auto banks = p2m_populate_direct(p2m, env, bytes);
    ASSERT_TRUE(banks.ok());
    EXPECT_EQ(banks.value().total(), bytes);
    EXPECT_EQ(p2m.ram_frames, bytes >> kPageShift);
    destroy_and_check();
}

TEST_F(DirectTest, Bank0NeedsA128MiBBlockBelow4GiB)
{
    // Below 4 GiB only 64 MiB pieces stay free (every other one held): no 128 MiB block.
    std::vector<Mfn> all;
    for (;;) {
        auto m = env.pool.alloc_below(14, Mfn::of(PhysAddr{4 * kGiB}));
        if (!m.ok()) break;
        all.push_back(m.value());
    }
    ASSERT_EQ(all.size(), 48u);
    std::vector<Mfn> held;
    for (size_t i = 0; i < all.size(); ++i) {
        if (i % 2 == 0)
            env.pool.free(all[i], 14);
        else
            held.push_back(all[i]);
    }
    EXPECT_EQ(p2m_populate_direct(p2m, env, 256 * kMiB).error(), Errno::NoMem);
    EXPECT_EQ(p2m.ram_frames, 0u);
    destroy_and_check_with(held);
}

TEST_F(DirectTest, MoreThanThePoolHoldsFailsAndDestroyGivesAllBack)
{
    auto r = p2m_populate_direct(p2m, env, 5 * kGiB);
    EXPECT_EQ(r.error(), Errno::NoMem);
    EXPECT_GT(p2m.ram_frames, 0u);
    destroy_and_check();
}

TEST_F(DirectTest, BadSizes)
{
    EXPECT_EQ(p2m_populate_direct(p2m, env, 0).error(), Errno::Inval);
    EXPECT_EQ(p2m_populate_direct(p2m, env, kMiB + 1).error(), Errno::Inval);
    destroy_and_check();
}

TEST_F(DirectTest, MmioUsesBlocksWhereAlignedAndIsNeverFreed)
{
    // A device window outside RAM: 0x10000000 + 0x2eff0000 (QEMU virt's PCIe MMIO).
    ASSERT_TRUE(p2m_map_mmio(p2m, env, GuestPhysAddr{0x1000'0000}, PhysAddr{0x1000'0000},
                             0x2eff'0000)
                    .ok());
    EXPECT_EQ(leaf_level(env, p2m, 0x1000'0000), 2u);
    EXPECT_EQ(leaf_level(env, p2m, 0x3ee0'0000), 3u);  // the unaligned tail: pages
    auto t = p2m_type_of(p2m, env, 0x1234'5000 >> kPageShift);
    ASSERT_TRUE(t.ok());
    EXPECT_EQ(t.value(), P2mType::Mmio);
    EXPECT_FALSE(p2m_translate(p2m, env, GuestPhysAddr{0x1000'0000}).ok());  // not RAM
    EXPECT_EQ(p2m_get_page(p2m, env, 0x10000, false).error(), Errno::Inval);
    // Overlap, bad ranges, beyond 2^39.
    EXPECT_EQ(p2m_map_mmio(p2m, env, GuestPhysAddr{0x1000'0000}, PhysAddr{0x1000'0000},
                           kPageSize).error(),
              Errno::Busy);
    EXPECT_EQ(p2m_map_mmio(p2m, env, GuestPhysAddr{0x900'0000}, PhysAddr{0x900'0000}, 0).error(),
              Errno::Inval);
    EXPECT_EQ(p2m_map_mmio(p2m, env, GuestPhysAddr{0x900'0100}, PhysAddr{0x900'0100},
                           kPageSize).error(),
              Errno::Inval);
    EXPECT_EQ(p2m_map_mmio(p2m, env, GuestPhysAddr{uint64_t{0x80} << 32},
                           PhysAddr{uint64_t{0x80} << 32}, uint64_t{512} << 30).error(),
              Errno::Inval);
    // RAM is never a device window: keel's, the pools', any domain's.
    EXPECT_EQ(p2m_map_mmio(p2m, env, GuestPhysAddr{0x3fe0'0000}, PhysAddr{0x3fe0'0000},
                           4 * kMiB).error(),
              Errno::Inval);
    EXPECT_EQ(p2m_map_mmio(p2m, env, GuestPhysAddr{0x4000'0000}, PhysAddr{0x8000'0000},
                           kPageSize).error(),
              Errno::Inval);
    // A 1 GiB aligned window gets a level-1 block.
    ASSERT_TRUE(p2m_map_mmio(p2m, env, GuestPhysAddr{uint64_t{0x40} << 32},
                             PhysAddr{uint64_t{0x40} << 32}, kGiB).ok());
    EXPECT_EQ(leaf_level(env, p2m, uint64_t{0x40} << 32), 1u);
    destroy_and_check();
}

}  // namespace
}  // namespace keel
