// SPDX-License-Identifier: MIT
//
// tests/unit/core/memory/memory_layout_test.cpp
// Checks the boot memory plan: exclusions rounded to pages, the heap pool right
// after keel's image (or the next place it fits), frame-table sizing, several
// banks, and the errors for impossible inputs.
#include "core/memory/memory_layout.hpp"

#include <gtest/gtest.h>

#include <memory>

namespace keel {
namespace {

constexpr uint64_t kMiB = uint64_t{1} << 20;
constexpr uint64_t kGiB = uint64_t{1} << 30;

PhysRange range(uint64_t base, uint64_t size) { return PhysRange{PhysAddr{base}, size}; }

// QEMU virt with -kernel: RAM at 1 GiB, keel at +2 MiB, the DTB near the end of RAM.
BootInfo qemu_virt(uint64_t ram)
{
    BootInfo info;
    info.memory[0] = range(0x4000'0000, ram);
    info.memory_count = 1;
    info.dtb = range(0x4000'0000 + ram - 0x10'0000 + 0x123, 0x1'0000);  // not page-aligned
    return info;
}

const PhysRange kImage = range(0x4020'0000, 0x6'3000);

std::unique_ptr<MemoryLayout> plan(const BootInfo& info, PhysRange image = kImage,
                                   uint64_t extra = kDefaultHeapExtraBytes)
{
    auto out = std::make_unique<MemoryLayout>();
    EXPECT_TRUE(plan_memory(info, image, extra, *out).ok());
    return out;
}

// Every RAM byte is in exactly one of: excluded, heap, free.
void expect_partition(const MemoryLayout& l)
{
    uint64_t ram = 0;
    for (size_t i = 0; i < l.bank_count; ++i) ram += l.banks[i].size;
    uint64_t excluded_in_ram = 0;
    for (size_t e = 0; e < l.excluded_count; ++e) {
        // Exclusions may overlap each other; count page by page.
        const PhysRange& ex = l.excluded[e];
        for (uint64_t pa = ex.base.raw(); pa < ex.end().raw(); pa += kPageSize) {
            bool dup = false;
            for (size_t f = 0; f < e; ++f) dup = dup || l.excluded[f].contains(PhysAddr{pa});
            bool in_ram = false;
            for (size_t b = 0; b < l.bank_count; ++b)
                in_ram = in_ram || l.banks[b].contains(PhysAddr{pa});
            if (!dup && in_ram) excluded_in_ram += kPageSize;
        }
    }
    EXPECT_EQ(excluded_in_ram + l.heap.size + l.free_bytes(), ram);
    for (size_t i = 0; i < l.free_count; ++i) {
        EXPECT_TRUE(l.free[i].base.aligned(kPageSize));
        EXPECT_EQ(l.free[i].size % kPageSize, 0u);
        EXPECT_FALSE(l.free[i].overlaps(l.heap));
        if (i > 0) {
            EXPECT_LE(l.free[i - 1].end(), l.free[i].base);
        }
        for (size_t e = 0; e < l.excluded_count; ++e)
            EXPECT_FALSE(l.free[i].overlaps(l.excluded[e]));
    }
    for (size_t e = 0; e < l.excluded_count; ++e) EXPECT_FALSE(l.heap.overlaps(l.excluded[e]));
}

TEST(MemoryLayout, QemuVirt1GiB)
{
    const auto l = plan(qemu_virt(kGiB));
    EXPECT_EQ(l->total_ram_bytes, kGiB);
    EXPECT_EQ(l->frame_table_bytes, 4 * kMiB);  // 262144 frames x 16 bytes
    EXPECT_EQ(l->heap.base, PhysAddr{0x4026'3000});  // right after the image
    EXPECT_EQ(l->heap.size, 4 * kMiB + 16 * kMiB);
    ASSERT_EQ(l->free_count, 3u);
    EXPECT_EQ(l->free[0].base, PhysAddr{0x4000'0000});
    EXPECT_EQ(l->free[0].size, 2 * kMiB);
    EXPECT_EQ(l->free[1].base, l->heap.end());
    EXPECT_EQ(l->free[1].end(), PhysAddr{0x7ff0'0000});  // the DTB, rounded down
    EXPECT_EQ(l->free[2].base, PhysAddr{0x7ff1'1000});   // the DTB's end, rounded up
    EXPECT_EQ(l->free[2].end(), PhysAddr{0x8000'0000});
    expect_partition(*l);
}

TEST(MemoryLayout, FourGiBNeedsA16MiBFrameTable)
{
    const auto l = plan(qemu_virt(4 * kGiB));
    EXPECT_EQ(l->frame_table_bytes, 16 * kMiB);
    EXPECT_EQ(l->heap.size, 32 * kMiB);
    expect_partition(*l);
}

TEST(MemoryLayout, HeapExtraIsAParameterRoundedToPages)
{
    const auto l = plan(qemu_virt(512 * kMiB), kImage, 64 * kMiB + 1);
    EXPECT_EQ(l->frame_table_bytes, 2 * kMiB);
    EXPECT_EQ(l->heap.size, 2 * kMiB + 64 * kMiB + kPageSize);
    expect_partition(*l);
}

TEST(MemoryLayout, ReservedRangesAndModulesAreExcluded)
{
    BootInfo info = qemu_virt(kGiB);
    info.reserved[0] = range(0x5000'0800, 0x1000);  // straddles two pages
    info.reserved[1] = range(0x5000'0000, 0x800);   // overlaps the first
    info.reserved_count = 2;
    info.modules[0].range = range(0x4800'0000, 0x123'4567);
    info.modules[1].range = range(0x4900'0000, 0x10'0000);
    info.module_count = 2;
    const auto l = plan(info);
    for (size_t i = 0; i < l->free_count; ++i) {
        EXPECT_FALSE(l->free[i].overlaps(range(0x5000'0000, 0x2000)));
        EXPECT_FALSE(l->free[i].overlaps(range(0x4800'0000, 0x123'5000)));  // rounded up
        EXPECT_FALSE(l->free[i].overlaps(range(0x4900'0000, 0x10'0000)));
    }
    bool found_module_end = false;  // a free range starts right after the (overlapping) modules
    for (size_t i = 0; i < l->free_count; ++i)
        found_module_end = found_module_end || l->free[i].base == PhysAddr{0x4923'5000};
    EXPECT_TRUE(found_module_end);
    EXPECT_EQ(l->heap.base, PhysAddr{0x4026'3000});
    expect_partition(*l);
}

TEST(MemoryLayout, HeapMovesAboveAModuleRightAfterTheImage)
{
    BootInfo info = qemu_virt(kGiB);
    info.modules[0].range = range(0x4030'0000, 0x10'0000);  // leaves < 1 MiB after the image
    info.module_count = 1;
    const auto l = plan(info);
    EXPECT_EQ(l->heap.base, PhysAddr{0x4040'0000});
    expect_partition(*l);
}

TEST(MemoryLayout, SeveralBanks)
{
    BootInfo info;
    info.memory[0] = range(0x4000'0000, 256 * kMiB);
    info.memory[1] = range(0x1'0000'0000, 512 * kMiB + 0x800);  // partial page dropped
    info.memory_count = 2;
    info.dtb = range(0x4800'0000, 0x1'0000);
    const auto l = plan(info);
    EXPECT_EQ(l->bank_count, 2u);
    EXPECT_EQ(l->banks[1].size, 512 * kMiB);
    EXPECT_EQ(l->frame_table_bytes, (768 * kMiB / kPageSize) * 16);
    EXPECT_EQ(l->free[l->free_count - 1].base, PhysAddr{0x1'0000'0000});
    expect_partition(*l);
}

TEST(MemoryLayout, Errors)
{
    auto out = std::make_unique<MemoryLayout>();
    BootInfo none;
    EXPECT_EQ(plan_memory(none, kImage, kDefaultHeapExtraBytes, *out).error(), Errno::Inval);

    BootInfo unsorted;
    unsorted.memory[0] = range(0x8000'0000, kGiB);
    unsorted.memory[1] = range(0x4000'0000, kGiB);
    unsorted.memory_count = 2;
    EXPECT_EQ(plan_memory(unsorted, kImage, kDefaultHeapExtraBytes, *out).error(), Errno::Inval);

    BootInfo small = qemu_virt(16 * kMiB);
    EXPECT_EQ(plan_memory(small, kImage, kDefaultHeapExtraBytes, *out).error(), Errno::NoMem);
}

}  // namespace
}  // namespace keel
