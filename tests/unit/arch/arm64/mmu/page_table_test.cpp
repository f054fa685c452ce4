// SPDX-License-Identifier: MIT
//
// tests/unit/arch/arm64/mmu/page_table_test.cpp
// Checks the generic page-table builder with the stage-1 EL2 format against
// descriptors computed by hand from the Arm ARM field positions: blocks where
// alignment allows, pages elsewhere, splitting a block when part of it changes
// (break-before-make), unmapping with table reclamation, translation, the
// hand-written slots, and running out of table pages.
#include "arch/arm64/mmu/page_table.hpp"

#include <gtest/gtest.h>

#include "arch/arm64/mmu/stage1.hpp"
#include "fake_table_context.hpp"

namespace keel::arm64 {
namespace {

using testing::FakeTableContext;
using Table = PageTable<Stage1El2>;

constexpr uint64_t kMiB = uint64_t{1} << 20;
constexpr Stage1Attrs kText{Perm::RX, MemType::Normal};
constexpr Stage1Attrs kData{Perm::RW, MemType::Normal};
constexpr Stage1Attrs kRo{Perm::R, MemType::Normal};
constexpr Stage1Attrs kDevice{Perm::RW, MemType::DeviceNGnRE};

// Hand-computed descriptors (Arm ARM field positions):
//   valid 0, type 1, AttrIndx 4:2, AP[1] 6 (RES1 at EL2), AP[2] 7, SH 9:8, AF 10, XN 54.
//   type | AttrIndx | AP[2:1] | SH | AF | XN
constexpr uint64_t kTextBlock2M_0x40200000 = 0x0000'0000'4020'07c5;  // 01 | 1 | 11 | 11 | 1 | 0
constexpr uint64_t kUartPage_0x09000000 = 0x0040'0000'0900'074b;     // 11 | 2 | 01 | 11 | 1 | 1
constexpr uint64_t kDataPage_0x40201000 = 0x0040'0000'4020'1747;     // 11 | 1 | 01 | 11 | 1 | 1
constexpr uint64_t kRoPage_0x40205000 = 0x0040'0000'4020'57c7;       // 11 | 1 | 11 | 11 | 1 | 1
constexpr uint64_t kDataBlock1G_0x40000000 = 0x0040'0000'4000'0745;   // 0b01 at level 1

// The raw descriptor for `va` at `level`, following table descriptors from the root.
uint64_t entry_at(FakeTableContext& ctx, PhysAddr root, uint64_t va, unsigned level)
{
    PhysAddr table = root;
    for (unsigned l = 0;; ++l) {
        const uint64_t d = ctx.table_ptr(table)[(va >> vmsa::level_shift(l)) & 511];
        if (l == level) return d;
        if (!vmsa::is_table(d, l)) return ~uint64_t{0};  // the walk stops above `level`
        table = vmsa::table_address(d);
    }
}

struct Fixture : ::testing::Test {
    FakeTableContext ctx{256};
    Table table = Table::create(ctx).value();
    uint64_t at(uint64_t va, unsigned level) { return entry_at(ctx, table.root(), va, level); }
};

using PageTableTest = Fixture;

TEST_F(PageTableTest, TwoMiBTextBlockIsOneLevel2Descriptor)
{
    ASSERT_TRUE(table.map(VirtAddr{0x4020'0000}, PhysAddr{0x4020'0000}, 2 * kMiB, kText).ok());
    EXPECT_EQ(ctx.live_tables(), 3u);  // L0, L1, L2
    EXPECT_TRUE(vmsa::is_table(at(0x4020'0000, 0), 0));
    EXPECT_TRUE(vmsa::is_table(at(0x4020'0000, 1), 1));
    EXPECT_EQ(at(0x4020'0000, 2), kTextBlock2M_0x40200000);
    EXPECT_EQ(at(0x4000'0000, 2), 0u);  // the neighbours stay invalid
    EXPECT_EQ(at(0x4040'0000, 2), 0u);
    // Table descriptors: address | 0b11, no hierarchical restrictions.
    const uint64_t l0 = at(0x4020'0000, 0);
    EXPECT_EQ(l0 & ~vmsa::OutputAddr::kMask, 0b11u);
}

TEST_F(PageTableTest, DevicePageIsOneLevel3Descriptor)
{
    ASSERT_TRUE(table.map(VirtAddr{0x0900'0000}, PhysAddr{0x0900'0000}, kPageSize, kDevice).ok());
    EXPECT_EQ(ctx.live_tables(), 4u);
    EXPECT_EQ(at(0x0900'0000, 3), kUartPage_0x09000000);
    EXPECT_EQ(at(0x0900'1000, 3), 0u);
}

TEST_F(PageTableTest, OneGiBBlockAtLevel1)
{
    ASSERT_TRUE(table.map(VirtAddr{0x4000'0000}, PhysAddr{0x4000'0000}, 1024 * kMiB, kData).ok());
    EXPECT_EQ(ctx.live_tables(), 2u);
    EXPECT_EQ(at(0x4000'0000, 1), kDataBlock1G_0x40000000);
}

TEST_F(PageTableTest, MinBlockLevelLimitsBlockSize)
{
    ASSERT_TRUE(
        table.map(VirtAddr{0x4000'0000}, PhysAddr{0x4000'0000}, 1024 * kMiB, kData, 2).ok());
    EXPECT_TRUE(vmsa::is_table(at(0x4000'0000, 1), 1));
    EXPECT_EQ(vmsa::leaf_address(at(0x7fe0'0000, 2), 2), PhysAddr{0x7fe0'0000});
    ASSERT_TRUE(table.map(VirtAddr{0x8000'0000}, PhysAddr{0x8000'0000}, 2 * kMiB, kData, 3).ok());
    EXPECT_TRUE(vmsa::is_table(at(0x8000'0000, 2), 2));
}

TEST_F(PageTableTest, UnalignedRangeUsesPagesThenBlocksThenPages)
{
    // [1 MiB, 5 MiB) above 0x40000000: 256 pages, one 2 MiB block, 256 pages.
    ASSERT_TRUE(table.map(VirtAddr{0x4010'0000}, PhysAddr{0x4010'0000}, 4 * kMiB, kData).ok());
    EXPECT_TRUE(vmsa::is_table(at(0x4010'0000, 2), 2));
    EXPECT_TRUE(vmsa::is_leaf(at(0x4020'0000, 2), 2));
    EXPECT_TRUE(vmsa::is_table(at(0x4040'0000, 2), 2));
    EXPECT_EQ(at(0x400f'f000, 3), 0u);
    EXPECT_EQ(at(0x4010'0000, 3) & vmsa::OutputAddr::kMask, 0x4010'0000u);
    EXPECT_EQ(at(0x404f'f000, 3) & vmsa::OutputAddr::kMask, 0x404f'f000u);
    EXPECT_EQ(at(0x4050'0000, 3), 0u);
    EXPECT_EQ(ctx.live_tables(), 5u);  // L0, L1, L2, two L3
}

TEST_F(PageTableTest, MisalignedOutputPreventsBlocks)
{
    // VA 2 MiB aligned, PA only 4 KiB aligned: pages throughout.
    ASSERT_TRUE(table.map(VirtAddr{0x4020'0000}, PhysAddr{0x5000'1000}, 2 * kMiB, kData).ok());
    EXPECT_TRUE(vmsa::is_table(at(0x4020'0000, 2), 2));
    EXPECT_EQ(at(0x4020'0000, 3) & vmsa::OutputAddr::kMask, 0x5000'1000u);
    EXPECT_EQ(at(0x403f'f000, 3) & vmsa::OutputAddr::kMask, 0x5020'0000u);
}

TEST_F(PageTableTest, ChangingOnePageSplitsTheBlockWithBreakBeforeMake)
{
    ASSERT_TRUE(table.map(VirtAddr{0x4020'0000}, PhysAddr{0x4020'0000}, 2 * kMiB, kData).ok());
    ASSERT_TRUE(ctx.broken.empty());
    ASSERT_TRUE(table.map(VirtAddr{0x4020'5000}, PhysAddr{0x4020'5000}, kPageSize, kRo).ok());

    // The block was broken (invalid + TLB flush) before the table replaced it,
    // then the one page that changed, before its new descriptor was written.
    ASSERT_EQ(ctx.broken.size(), 2u);
    EXPECT_EQ(ctx.broken[0], std::make_pair(uint64_t{0x4020'0000}, 2u));
    EXPECT_EQ(ctx.broken[1], std::make_pair(uint64_t{0x4020'5000}, 3u));
    EXPECT_TRUE(vmsa::is_table(at(0x4020'0000, 2), 2));
    EXPECT_EQ(at(0x4020'1000, 3), kDataPage_0x40201000);
    EXPECT_EQ(at(0x4020'5000, 3), kRoPage_0x40205000);
    for (uint64_t va = 0x4020'0000; va < 0x4040'0000; va += kPageSize) {
        const auto t = table.translate(VirtAddr{va + 0x10});
        ASSERT_TRUE(t.ok());
        EXPECT_EQ(t.value().out, PhysAddr{va + 0x10});
        EXPECT_EQ(t.value().level, 3u);
        EXPECT_EQ(t.value().attrs, va == 0x4020'5000 ? kRo : kData);
    }
}

TEST_F(PageTableTest, RemappingTheSameDescriptorBreaksNothing)
{
    ASSERT_TRUE(table.map(VirtAddr{0x4020'0000}, PhysAddr{0x4020'0000}, 4 * kMiB, kData).ok());
    const size_t tables = ctx.live_tables();
    ASSERT_TRUE(table.map(VirtAddr{0x4020'0000}, PhysAddr{0x4020'0000}, 4 * kMiB, kData).ok());
    EXPECT_TRUE(ctx.broken.empty());
    EXPECT_EQ(ctx.live_tables(), tables);
}

TEST_F(PageTableTest, ABlockOverPagesFreesTheirTable)
{
    ASSERT_TRUE(
        table.map(VirtAddr{0x4020'0000}, PhysAddr{0x4020'0000}, 64 * kPageSize, kData).ok());
    EXPECT_EQ(ctx.live_tables(), 4u);
    ASSERT_TRUE(table.map(VirtAddr{0x4020'0000}, PhysAddr{0x4020'0000}, 2 * kMiB, kText).ok());
    EXPECT_EQ(ctx.live_tables(), 3u);
    EXPECT_EQ(at(0x4020'0000, 2), kTextBlock2M_0x40200000);
    ASSERT_EQ(ctx.broken.size(), 1u);
    EXPECT_EQ(ctx.broken[0], std::make_pair(uint64_t{0x4020'0000}, 2u));
}

TEST_F(PageTableTest, UnmapSplitsThenReclaimsEmptyTables)
{
    ASSERT_TRUE(table.map(VirtAddr{0x4020'0000}, PhysAddr{0x4020'0000}, 2 * kMiB, kData).ok());
    ASSERT_TRUE(table.unmap(VirtAddr{0x4020'3000}, kPageSize).ok());
    EXPECT_EQ(at(0x4020'3000, 3), 0u);
    EXPECT_EQ(at(0x4020'2000, 3) & vmsa::OutputAddr::kMask, 0x4020'2000u);
    EXPECT_EQ(table.translate(VirtAddr{0x4020'3008}).error(), Errno::NoEnt);
    EXPECT_TRUE(table.translate(VirtAddr{0x4020'4008}).ok());
    EXPECT_EQ(ctx.live_tables(), 4u);

    // Unmapping the rest leaves only the root: every emptied table is freed.
    ASSERT_TRUE(table.unmap(VirtAddr{0x4020'0000}, 2 * kMiB).ok());
    EXPECT_EQ(ctx.live_tables(), 1u);
    EXPECT_EQ(at(0x4020'0000, 0), 0u);
    EXPECT_EQ(table.translate(VirtAddr{0x4020'4008}).error(), Errno::NoEnt);
}

TEST_F(PageTableTest, UnmapOfAWholeBlockBreaksItOnce)
{
    ASSERT_TRUE(table.map(VirtAddr{0x4000'0000}, PhysAddr{0x4000'0000}, 1024 * kMiB, kData).ok());
    ASSERT_TRUE(table.unmap(VirtAddr{0x4000'0000}, 1024 * kMiB).ok());
    ASSERT_EQ(ctx.broken.size(), 2u);  // the 1 GiB block, then the emptied L1 table's entry
    EXPECT_EQ(ctx.broken[0], std::make_pair(uint64_t{0x4000'0000}, 1u));
    EXPECT_EQ(ctx.broken[1], std::make_pair(uint64_t{0}, 0u));
    EXPECT_EQ(ctx.live_tables(), 1u);
}

TEST_F(PageTableTest, UnmapOfNothingIsFine)
{
    ASSERT_TRUE(table.unmap(VirtAddr{0x4000'0000}, 4 * kMiB).ok());
    EXPECT_EQ(ctx.live_tables(), 1u);
    EXPECT_TRUE(ctx.broken.empty());
}

TEST_F(PageTableTest, TranslateReportsLevelOffsetAndAttributes)
{
    ASSERT_TRUE(table.map(VirtAddr{0x4020'0000}, PhysAddr{0x8060'0000}, 2 * kMiB, kText).ok());
    const auto t = table.translate(VirtAddr{0x4021'2345});
    ASSERT_TRUE(t.ok());
    EXPECT_EQ(t.value().out, PhysAddr{0x8061'2345});
    EXPECT_EQ(t.value().level, 2u);
    EXPECT_EQ(t.value().attrs, kText);
    EXPECT_EQ(table.translate(VirtAddr{0x1000}).error(), Errno::NoEnt);
    EXPECT_EQ(table.translate(VirtAddr{uint64_t{1} << 48}).error(), Errno::Inval);
}

TEST_F(PageTableTest, BadArgumentsAreRejected)
{
    auto map = [this](uint64_t va, uint64_t pa, uint64_t size) {
        return table.map(VirtAddr{va}, PhysAddr{pa}, size, kData);
    };
    const uint64_t top = uint64_t{1} << 48;
    EXPECT_EQ(map(0x4000'0800, 0x4000'0000, kPageSize).error(), Errno::Inval);
    EXPECT_EQ(map(0x4000'0000, 0x4000'0800, kPageSize).error(), Errno::Inval);
    EXPECT_EQ(map(0x4000'0000, 0x4000'0000, 100).error(), Errno::Inval);
    EXPECT_EQ(map(0x4000'0000, 0x4000'0000, 0).error(), Errno::Inval);
    EXPECT_EQ(map(top - kPageSize, 0, 2 * kPageSize).error(), Errno::Inval);
    EXPECT_TRUE(map(top - kPageSize, 0, kPageSize).ok());
    EXPECT_EQ(table.unmap(VirtAddr{0x123}, kPageSize).error(), Errno::Inval);
}

TEST_F(PageTableTest, RunningOutOfTablePagesReturnsNoMem)
{
    ctx.limit_tables(3);  // the root + L1 + L2: not enough for a page mapping
    EXPECT_EQ(table.map(VirtAddr{0x4000'0000}, PhysAddr{0x4000'0000}, kPageSize, kData).error(),
              Errno::NoMem);
    // A block needs no level-3 table.
    EXPECT_TRUE(table.map(VirtAddr{0x4020'0000}, PhysAddr{0x4020'0000}, 2 * kMiB, kText).ok());
    // Unmapping part of the block needs a level-3 table for the split.
    EXPECT_EQ(table.unmap(VirtAddr{0x4020'0000}, kPageSize).error(), Errno::NoMem);
    EXPECT_EQ(at(0x4020'0000, 2), kTextBlock2M_0x40200000);  // untouched on failure
}

TEST_F(PageTableTest, PageSlotCreatesTheLevel3Table)
{
    auto slot = table.page_slot(VirtAddr{0x8000'0000'0000});
    ASSERT_TRUE(slot.ok());
    EXPECT_EQ(*slot.value(), 0u);
    EXPECT_EQ(ctx.live_tables(), 4u);
    auto next = table.page_slot(VirtAddr{0x8000'0000'1000});
    ASSERT_TRUE(next.ok());
    EXPECT_EQ(next.value(), slot.value() + 1);  // same table, next entry
    EXPECT_EQ(ctx.live_tables(), 4u);

    *slot.value() = Table::page_descriptor(PhysAddr{0x4567'8000}, kData);
    const auto t = table.translate(VirtAddr{0x8000'0000'0abc});
    ASSERT_TRUE(t.ok());
    EXPECT_EQ(t.value().out, PhysAddr{0x4567'8abc});
    EXPECT_EQ(t.value().attrs, kData);
}

TEST_F(PageTableTest, EntrySlotAtLevel2HoldsABlock)
{
    auto slot = table.entry_slot(VirtAddr{0x8000'4000'0000}, 2);
    ASSERT_TRUE(slot.ok());
    EXPECT_EQ(*slot.value(), 0u);
    EXPECT_EQ(ctx.live_tables(), 3u);  // root, level 1, level 2: no level-3 table
    EXPECT_EQ(table.entry_slot(VirtAddr{0x8000'4000'0000}, 4).error(), Errno::Inval);

    *slot.value() = Table::block_descriptor(PhysAddr{0x4060'0000}, 2, kData);
    const auto t = table.translate(VirtAddr{0x8000'4012'3456});
    ASSERT_TRUE(t.ok());
    EXPECT_EQ(t.value().out, PhysAddr{0x4072'3456});
    EXPECT_EQ(t.value().level, 2u);
    EXPECT_EQ(t.value().attrs, kData);
}

TEST_F(PageTableTest, DestroyFreesEveryTable)
{
    ASSERT_TRUE(table.map(VirtAddr{0x4010'0000}, PhysAddr{0x4010'0000}, 4 * kMiB, kData).ok());
    ASSERT_TRUE(table.map(VirtAddr{0x0900'0000}, PhysAddr{0x0900'0000}, kPageSize, kDevice).ok());
    EXPECT_GT(ctx.live_tables(), 1u);
    table.destroy();
    EXPECT_EQ(ctx.live_tables(), 0u);
}

TEST(Stage1El2, EncodeDecodeRoundTrip)
{
    for (Perm p : {Perm::R, Perm::RW, Perm::RX}) {
        for (MemType m : {MemType::DeviceNGnRnE, MemType::Normal, MemType::DeviceNGnRE,
                          MemType::NormalNonCacheable}) {
            const Stage1Attrs a{p, m};
            EXPECT_EQ(Stage1El2::decode(Stage1El2::encode(a)), a);
            const uint64_t bits = Stage1El2::encode(a);
            EXPECT_EQ(Stage1Desc::Xn::get(bits), p != Perm::RX);      // only text executes
            EXPECT_EQ(Stage1Desc::ApReadOnly::get(bits), p != Perm::RW);
            EXPECT_TRUE(Stage1Desc::Af::get(bits));
            EXPECT_TRUE(Stage1Desc::ApUser::get(bits));  // RES1 at EL2
            EXPECT_EQ(bits & ~vmsa::kLeafAttrMask, 0u);
        }
    }
    EXPECT_EQ(kMairEl2, 0x4404'ff00u);
}

}  // namespace
}  // namespace keel::arm64
