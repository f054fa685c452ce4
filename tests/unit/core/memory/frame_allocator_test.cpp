// SPDX-License-Identifier: MIT
//
// tests/unit/core/memory/frame_allocator_test.cpp
// Checks the frame table and the buddy allocator: every order, splitting and
// merging back to the original blocks, exact free counts, exhaustion, banks
// with holes, pools that share one table, the panics on misuse (death tests),
// and long random alloc/free sequences against a shadow model.
#include "core/memory/frame_allocator.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <map>
#include <random>
#include <set>
#include <vector>

#include "core/memory/frame_table.hpp"

namespace keel {
namespace {

constexpr uint64_t kMiB = uint64_t{1} << 20;

PhysRange bank(uint64_t base, uint64_t size) { return PhysRange{PhysAddr{base}, size}; }
Mfn mfn_at(uint64_t pa) { return Mfn::of(PhysAddr{pa}); }

// A frame table over some banks, with storage owned by the test.
struct Table {
    explicit Table(std::vector<PhysRange> b) : banks{std::move(b)}
    {
        storage.resize(FrameTable::frames_needed(banks));
        table.init(banks, storage.data(), storage.size());
    }
    std::vector<PhysRange> banks;
    std::vector<FrameInfo> storage;
    FrameTable table;
};

std::vector<uint64_t> lists(const FrameAllocator& a)
{
    std::vector<uint64_t> v;
    for (unsigned o = 0; o < FrameAllocator::kOrders; ++o) v.push_back(a.free_blocks(o));
    return v;
}

TEST(FrameTable, SegmentsAndConversions)
{
    Table t{{bank(0x4000'0000, 1 * kMiB), bank(0x8000'0000, 2 * kMiB + 0x800)}};
    EXPECT_EQ(t.table.size(), 256u + 512u);  // the partial page at the end is not RAM
    ASSERT_EQ(t.table.segments().size(), 2u);
    EXPECT_EQ(t.table.index_of(mfn_at(0x4000'0000)), 0u);
    EXPECT_EQ(t.table.index_of(mfn_at(0x400f'f000)), 255u);
    EXPECT_EQ(t.table.index_of(mfn_at(0x4010'0000)), kNoFrame);  // the hole
    EXPECT_EQ(t.table.index_of(mfn_at(0x8000'0000)), 256u);
    EXPECT_EQ(t.table.mfn_of(256), mfn_at(0x8000'0000));
    EXPECT_EQ(t.table.mfn_of(767), mfn_at(0x801f'f000));
    EXPECT_EQ(t.table.find(mfn_at(0x9000'0000)), nullptr);
    for (FrameIndex i = 0; i < t.table.size(); ++i)
        EXPECT_EQ(t.table.at(i).state(), FrameState::Reserved);
}

TEST(FrameAllocator, EveryOrderAllocatesAlignedAndMergesBack)
{
    // Two maximal blocks: 2 GiB at a 1 GiB-aligned base.
    Table t{{bank(0x4000'0000, 2048 * kMiB)}};
    FrameAllocator a;
    a.init(t.table, 1);
    a.add_free(mfn_at(0x4000'0000), (2048 * kMiB) >> kPageShift);
    const uint64_t total = (2048 * kMiB) >> kPageShift;
    EXPECT_EQ(a.free_frames(), total);
    EXPECT_EQ(a.total_frames(), total);
    EXPECT_EQ(a.free_blocks(FrameAllocator::kMaxOrder), 2u);
    const auto initial = lists(a);

    for (unsigned order = 0; order <= FrameAllocator::kMaxOrder; ++order) {
        auto r = a.alloc(order);
        ASSERT_TRUE(r.ok()) << "order " << order;
        const Mfn m = r.value();
        EXPECT_EQ(m.raw() & ((uint64_t{1} << order) - 1), 0u) << "order " << order;
        EXPECT_EQ(a.free_frames(), total - (uint64_t{1} << order));
        for (uint64_t i = 0; i < (uint64_t{1} << order); ++i) {
            const FrameInfo* f = t.table.find(m + i);
            ASSERT_NE(f, nullptr);
            EXPECT_EQ(f->state(), FrameState::Allocated);
            EXPECT_EQ(f->pool(), 1);
            EXPECT_EQ(f->owner, kNoOwner);
        }
        a.free(m, order);
        EXPECT_EQ(a.free_frames(), total);
        EXPECT_EQ(lists(a), initial) << "order " << order;
    }
}

TEST(FrameAllocator, SplitsFromTheSmallestSufficientBlock)
{
    Table t{{bank(0x4000'0000, 64 * kPageSize)}};
    FrameAllocator a;
    a.init(t.table, 1);
    a.add_free(mfn_at(0x4000'0000), 64);
    EXPECT_EQ(a.free_blocks(6), 1u);

    auto r = a.alloc(0);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value(), mfn_at(0x4000'0000));  // the lower half is kept at each split
    for (unsigned o = 0; o < 6; ++o) EXPECT_EQ(a.free_blocks(o), 1u) << o;
    EXPECT_EQ(a.free_blocks(6), 0u);

    auto r2 = a.alloc(0);  // the order-0 buddy, without further splitting
    ASSERT_TRUE(r2.ok());
    EXPECT_EQ(r2.value(), mfn_at(0x4000'1000));
    EXPECT_EQ(a.free_blocks(0), 0u);

    a.free(r.value(), 0);
    a.free(r2.value(), 0);
    EXPECT_EQ(a.free_blocks(6), 1u);
    for (unsigned o = 0; o < 6; ++o) EXPECT_EQ(a.free_blocks(o), 0u) << o;
}

TEST(FrameAllocator, AllSinglesFreedInAnyOrderMergeBack)
{
    Table t{{bank(0x4000'0000, 256 * kPageSize)}};
    FrameAllocator a;
    a.init(t.table, 1);
    a.add_free(mfn_at(0x4000'0000), 256);
    std::vector<Mfn> got;
    for (int i = 0; i < 256; ++i) {
        auto r = a.alloc(0);
        ASSERT_TRUE(r.ok());
        got.push_back(r.value());
    }
    EXPECT_EQ(a.free_frames(), 0u);
    EXPECT_EQ(a.alloc(0).error(), Errno::NoMem);
    std::mt19937 rng{7};
    std::shuffle(got.begin(), got.end(), rng);
    for (Mfn m : got) a.free(m, 0);
    EXPECT_EQ(a.free_frames(), 256u);
    EXPECT_EQ(a.free_blocks(8), 1u);
    for (unsigned o = 0; o < 8; ++o) EXPECT_EQ(a.free_blocks(o), 0u);
}

TEST(FrameAllocator, UnalignedRangeCountsExactlyAndExhausts)
{
    // 13 frames from frame 3: blocks of 1 + 4 + 8 frames (by alignment).
    Table t{{bank(0x4000'0000, 64 * kPageSize)}};
    FrameAllocator a;
    a.init(t.table, 1);
    a.add_free(mfn_at(0x4000'3000), 13);
    EXPECT_EQ(a.free_frames(), 13u);
    EXPECT_EQ(a.free_blocks(0), 1u);  // frame 3
    EXPECT_EQ(a.free_blocks(2), 1u);  // frames 4-7
    EXPECT_EQ(a.free_blocks(3), 1u);  // frames 8-15
    EXPECT_EQ(a.alloc(4).error(), Errno::NoMem);
    EXPECT_EQ(a.alloc(FrameAllocator::kMaxOrder + 1).error(), Errno::Inval);

    uint64_t taken = 0;
    std::vector<Mfn> got;
    while (true) {
        auto r = a.alloc(0);
        if (!r.ok()) {
            EXPECT_EQ(r.error(), Errno::NoMem);
            break;
        }
        const uint64_t idx = r.value() - mfn_at(0x4000'0000);
        EXPECT_GE(idx, 3u);
        EXPECT_LT(idx, 16u);
        got.push_back(r.value());
        ++taken;
    }
    EXPECT_EQ(taken, 13u);
    EXPECT_EQ(a.free_frames(), 0u);
    for (Mfn m : got) a.free(m, 0);
    EXPECT_EQ(a.free_frames(), 13u);
    // Frames 0-2 stay Reserved: nothing merged into them.
    EXPECT_EQ(t.table.find(mfn_at(0x4000'0000))->state(), FrameState::Reserved);
    EXPECT_EQ(a.free_blocks(3), 1u);
    EXPECT_EQ(a.free_blocks(2), 1u);
    EXPECT_EQ(a.free_blocks(0), 1u);
}

TEST(FrameAllocator, BanksWithHolesNeverMergeAcrossBanks)
{
    // Two adjacent banks are two segments: blocks never straddle them, even where
    // the frame numbers would make buddies of them. A third bank after a hole.
    Table t{{bank(0x4000'0000, 1 * kMiB), bank(0x4010'0000, 1 * kMiB),
             bank(0x1'0000'0000, 2 * kMiB)}};
    FrameAllocator a;
    a.init(t.table, 1);
    a.add_free(mfn_at(0x4000'0000), 256);
    a.add_free(mfn_at(0x4010'0000), 256);
    a.add_free(mfn_at(0x1'0000'0000), 512);
    EXPECT_EQ(a.free_frames(), 1024u);
    EXPECT_EQ(a.free_blocks(8), 2u);
    EXPECT_EQ(a.free_blocks(9), 1u);
    EXPECT_EQ(a.free_blocks(10), 0u);

    std::set<uint64_t> seen;
    for (int i = 0; i < 1024; ++i) {
        auto r = a.alloc(0);
        ASSERT_TRUE(r.ok());
        const uint64_t pa = r.value().addr().raw();
        const bool in_bank = (pa >= 0x4000'0000 && pa < 0x4020'0000) ||
                             (pa >= 0x1'0000'0000 && pa < 0x1'0020'0000);
        EXPECT_TRUE(in_bank) << std::hex << pa;
        EXPECT_TRUE(seen.insert(pa).second);
    }
    EXPECT_EQ(a.alloc(0).error(), Errno::NoMem);
    for (uint64_t pa : seen) a.free(Mfn::of(PhysAddr{pa}), 0);
    EXPECT_EQ(a.free_blocks(8), 2u);
    EXPECT_EQ(a.free_blocks(9), 1u);
    EXPECT_EQ(a.free_blocks(10), 0u);
}

TEST(FrameAllocator, TwoPoolsShareATableButNeverMerge)
{
    Table t{{bank(0x4000'0000, 64 * kPageSize)}};
    FrameAllocator heap;
    FrameAllocator domain;
    heap.init(t.table, 1);
    domain.init(t.table, 2);
    heap.add_free(mfn_at(0x4000'0000), 16);   // frames 0-15
    domain.add_free(mfn_at(0x4001'0000), 48); // frames 16-63: buddies of the heap's
    EXPECT_EQ(heap.free_blocks(4), 1u);
    EXPECT_EQ(domain.free_blocks(4), 1u);
    EXPECT_EQ(domain.free_blocks(5), 1u);
    EXPECT_EQ(domain.free_blocks(6), 0u);
    EXPECT_TRUE(heap.owns(mfn_at(0x4000'f000)));
    EXPECT_FALSE(heap.owns(mfn_at(0x4001'0000)));
    EXPECT_TRUE(domain.owns(mfn_at(0x4001'0000)));

    auto h = heap.alloc(4);
    ASSERT_TRUE(h.ok());
    EXPECT_EQ(heap.alloc(0).error(), Errno::NoMem);
    heap.free(h.value(), 4);
    EXPECT_EQ(heap.free_blocks(5), 0u);
    EXPECT_EQ(domain.free_blocks(6), 0u);
}

struct SmallPool {
    SmallPool() : t{{bank(0x4000'0000, 64 * kPageSize)}}
    {
        a.init(t.table, 1);
        b.init(t.table, 2);
        a.add_free(mfn_at(0x4000'0000), 32);
        b.add_free(mfn_at(0x4002'0000), 16);  // frames 48-63 left Reserved
    }
    Table t;
    FrameAllocator a;
    FrameAllocator b;
};

TEST(FrameAllocatorDeathTest, DoubleFree)
{
    SmallPool p;
    const Mfn m = p.a.alloc(0).value();
    p.a.free(m, 0);
    EXPECT_DEATH(p.a.free(m, 0), "double free");
}

TEST(FrameAllocatorDeathTest, FreeOfAFrameInsideAFreeBlock)
{
    SmallPool p;
    EXPECT_DEATH(p.a.free(mfn_at(0x4000'5000), 0), "double free");
}

TEST(FrameAllocatorDeathTest, FreeOfAReservedFrame)
{
    SmallPool p;
    EXPECT_DEATH(p.a.free(mfn_at(0x4003'0000), 0), "reserved");
}

TEST(FrameAllocatorDeathTest, FreeOutsideRam)
{
    SmallPool p;
    EXPECT_DEATH(p.a.free(mfn_at(0x9000'0000), 0), "outside RAM");
}

TEST(FrameAllocatorDeathTest, FreeIntoTheWrongPool)
{
    SmallPool p;
    const Mfn m = p.b.alloc(0).value();
    EXPECT_DEATH(p.a.free(m, 0), "wrong pool");
}

TEST(FrameAllocatorDeathTest, FreeWithTheWrongOrder)
{
    SmallPool p;
    const Mfn m = p.a.alloc(2).value();
    EXPECT_DEATH(p.a.free(m, 1), "order");
    EXPECT_DEATH(p.a.free(m + 2, 1), "order");  // the tail half of an order-2 block
}

TEST(FrameAllocatorDeathTest, MisalignedFree)
{
    SmallPool p;
    const Mfn m = p.a.alloc(2).value();
    EXPECT_DEATH(p.a.free(m + 1, 2), "check failed");
}

TEST(FrameAllocatorDeathTest, AddingAFrameTwice)
{
    SmallPool p;
    EXPECT_DEATH(p.a.add_free(mfn_at(0x4001'f000), 2), "added twice");
}

// Random alloc/free against a shadow model of which frames are allocated.
TEST(FrameAllocator, RandomSequencesMatchAShadowModel)
{
    const std::vector<PhysRange> banks = {bank(0x4000'0000, 8 * kMiB), bank(0x6000'0000, 3 * kMiB)};
    Table t{banks};
    FrameAllocator a;
    a.init(t.table, 1);
    // Holes of reserved frames inside the banks (an "image" and a "DTB").
    a.add_free(mfn_at(0x4000'0000), 0x200);               // 2 MiB
    a.add_free(mfn_at(0x4030'0000), (5 * kMiB) >> 12);    // [3, 8) MiB
    a.add_free(mfn_at(0x6000'1000), ((3 * kMiB) >> 12) - 1);
    const uint64_t total = a.free_frames();
    ASSERT_EQ(total, 0x200u + 0x500u + 0x2ffu);
    const auto initial = lists(a);

    auto is_free_frame = [](uint64_t pa) {
        return (pa >= 0x4000'0000 && pa < 0x4020'0000) || (pa >= 0x4030'0000 && pa < 0x4080'0000) ||
               (pa >= 0x6000'1000 && pa < 0x6030'0000);
    };

    std::mt19937_64 rng{12345};
    std::map<uint64_t, unsigned> live;  // mfn -> order
    std::set<uint64_t> used;            // every allocated frame
    uint64_t allocated = 0;
    for (int step = 0; step < 20000; ++step) {
        const bool do_alloc = live.empty() || (rng() % 100) < 55;
        if (do_alloc) {
            const unsigned order = static_cast<unsigned>(rng() % 100 < 80 ? rng() % 4 : rng() % 10);
            auto r = a.alloc(order);
            if (!r.ok()) {
                ASSERT_EQ(r.error(), Errno::NoMem);
                // No free block of that order may exist anywhere.
                for (unsigned o = order; o < FrameAllocator::kOrders; ++o)
                    ASSERT_EQ(a.free_blocks(o), 0u);
                continue;
            }
            const uint64_t m = r.value().raw();
            ASSERT_EQ(m & ((uint64_t{1} << order) - 1), 0u);
            for (uint64_t i = 0; i < (uint64_t{1} << order); ++i) {
                ASSERT_TRUE(is_free_frame((m + i) << kPageShift));
                ASSERT_TRUE(used.insert(m + i).second) << "frame handed out twice";
            }
            live[m] = order;
            allocated += uint64_t{1} << order;
        } else {
            auto it = live.begin();
            std::advance(it, static_cast<long>(rng() % live.size()));
            a.free(Mfn{it->first}, it->second);
            for (uint64_t i = 0; i < (uint64_t{1} << it->second); ++i) used.erase(it->first + i);
            allocated -= uint64_t{1} << it->second;
            live.erase(it);
        }
        ASSERT_EQ(a.free_frames(), total - allocated);
        if (step % 1000 == 0) {
            uint64_t listed = 0;
            for (unsigned o = 0; o < FrameAllocator::kOrders; ++o)
                listed += a.free_blocks(o) << o;
            ASSERT_EQ(listed, a.free_frames());
        }
    }
    for (auto [m, order] : live) a.free(Mfn{m}, order);
    EXPECT_EQ(a.free_frames(), total);
    EXPECT_EQ(lists(a), initial);
}

}  // namespace
}  // namespace keel
