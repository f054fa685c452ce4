// SPDX-License-Identifier: MIT
//
// tests/unit/arch/arm64/gic/redist_scan_test.cpp
// Walks fake GICR layouts with find_redistributor(): QEMU virt's single region,
// GICv4 frames, several regions with GICR_TYPER.Last, a DT stride, a CPU with
// no redistributor, and frames that would run past a region's end.
#include "arch/arm64/gic/redist_scan.hpp"

#include <gtest/gtest.h>

#include <map>
#include <vector>

#include "arch/arm64/gic/gic_regs.hpp"

namespace keel::arm64 {
namespace {

// A fake bus: GICR_TYPER by RD_base address; everything else reads 0. Records reads.
struct FakeGicr {
    std::map<uint64_t, uint64_t> typers;
    std::vector<uint64_t> reads;

    static uint64_t read(PhysAddr rd, void* ctx)
    {
        auto* self = static_cast<FakeGicr*>(ctx);
        self->reads.push_back(rd.raw());
        const auto it = self->typers.find(rd.raw());
        return it == self->typers.end() ? 0 : it->second;
    }
    // One redistributor at `base` for `affinity` (Aff3.Aff2.Aff1.Aff0 packed).
    void add(uint64_t base, uint32_t affinity, bool last, bool vlpis = false)
    {
        typers[base] = (uint64_t{affinity} << 32) | (last ? 0x10u : 0u) | (vlpis ? 0x2u : 0u);
    }
};

Result<PhysAddr> scan(FakeGicr& bus, const std::vector<PhysRange>& regions, uint64_t mpidr,
                      uint64_t stride = 0)
{
    const RedistScan s{regions.data(), regions.size(), stride, &FakeGicr::read, &bus};
    return find_redistributor(s, mpidr);
}

TEST(RedistScan, QemuVirtFourCpus)
{
    FakeGicr bus;
    const uint64_t base = 0x080a'0000;
    for (uint32_t i = 0; i < 4; ++i) bus.add(base + i * 0x20000, i, i == 3);
    const std::vector<PhysRange> regions{{PhysAddr{base}, 0xf6'0000}};

    for (uint64_t cpu = 0; cpu < 4; ++cpu) {
        const auto r = scan(bus, regions, cpu);
        ASSERT_TRUE(r.ok()) << "cpu " << cpu;
        EXPECT_EQ(r.value_or(PhysAddr{}).raw(), base + cpu * 0x20000);
    }
    // MPIDR bit 31 (RES1) and the MT bit do not disturb the match.
    EXPECT_EQ(scan(bus, regions, 0x8100'0002ull).value_or(PhysAddr{}).raw(), base + 0x40000);
}

TEST(RedistScan, StopsAtLastAndReportsMissing)
{
    FakeGicr bus;
    const uint64_t base = 0x080a'0000;
    for (uint32_t i = 0; i < 2; ++i) bus.add(base + i * 0x20000, i, i == 1);
    bus.add(base + 2 * 0x20000, 7, false);  // beyond Last: must not be found
    const std::vector<PhysRange> regions{{PhysAddr{base}, 0xf6'0000}};

    const auto r = scan(bus, regions, 7);
    EXPECT_FALSE(r.ok());
    EXPECT_EQ(r.error(), Errno::NoDev);
    EXPECT_EQ(bus.reads.size(), 2u);  // two frames read, stopped at Last
}

TEST(RedistScan, GicV4FramesStepByFour)
{
    FakeGicr bus;
    const uint64_t base = 0x0100'0000;
    for (uint32_t i = 0; i < 3; ++i) bus.add(base + i * 0x40000, i, i == 2, /*vlpis=*/true);
    const std::vector<PhysRange> regions{{PhysAddr{base}, 0x10'0000}};
    EXPECT_EQ(scan(bus, regions, 2).value_or(PhysAddr{}).raw(), base + 0x80000);
    EXPECT_EQ(bus.reads, (std::vector<uint64_t>{base, base + 0x40000, base + 0x80000}));
}

TEST(RedistScan, SeveralRegionsAndMultiLevelAffinity)
{
    // Two clusters in two regions: Aff1 0 (CPUs 0-1) and Aff1 1 (CPUs 0-1).
    FakeGicr bus;
    const uint64_t r0 = 0x0800'0000, r1 = 0x0900'0000;
    bus.add(r0, 0x000, false);
    bus.add(r0 + 0x20000, 0x001, true);
    bus.add(r1, 0x100, false);
    bus.add(r1 + 0x20000, 0x101, true);
    const std::vector<PhysRange> regions{{PhysAddr{r0}, 0x40000}, {PhysAddr{r1}, 0x40000}};
    EXPECT_EQ(scan(bus, regions, 0x101).value_or(PhysAddr{}).raw(), r1 + 0x20000);
    EXPECT_EQ(scan(bus, regions, 0x100).value_or(PhysAddr{}).raw(), r1);
    EXPECT_EQ(scan(bus, regions, 0x001).value_or(PhysAddr{}).raw(), r0 + 0x20000);
    EXPECT_FALSE(scan(bus, regions, 0x102).ok());
}

TEST(RedistScan, DtStrideOverridesFrameCount)
{
    FakeGicr bus;
    const uint64_t base = 0x2000'0000;
    for (uint32_t i = 0; i < 4; ++i) bus.add(base + i * 0x80000, i, i == 3);
    const std::vector<PhysRange> regions{{PhysAddr{base}, 0x20'0000}};
    EXPECT_EQ(scan(bus, regions, 3, 0x80000).value_or(PhysAddr{}).raw(), base + 0x180000);
    // Only the four real frames were read, not the 128 KiB steps in between.
    EXPECT_EQ(bus.reads,
              (std::vector<uint64_t>{base, base + 0x80000, base + 0x100000, base + 0x180000}));
}

TEST(RedistScan, NeverReadsPastTheRegion)
{
    FakeGicr bus;  // no Last bit anywhere: the region size must bound the walk
    const uint64_t base = 0x3000'0000;
    for (uint32_t i = 0; i < 8; ++i) bus.add(base + i * 0x20000, i, false);
    const std::vector<PhysRange> regions{{PhysAddr{base}, 0x50000}};  // 2.5 redistributors
    EXPECT_FALSE(scan(bus, regions, 2).ok());
    EXPECT_EQ(bus.reads, (std::vector<uint64_t>{base, base + 0x20000}));
    for (uint64_t a : bus.reads) EXPECT_LE(a + kGicrStrideV3, base + 0x50000);

    bus.reads.clear();
    const std::vector<PhysRange> tiny{{PhysAddr{base}, 0x10000}};  // smaller than one
    EXPECT_FALSE(scan(bus, tiny, 0).ok());
    EXPECT_TRUE(bus.reads.empty());
    EXPECT_FALSE(scan(bus, {}, 0).ok());
}

}  // namespace
}  // namespace keel::arm64
