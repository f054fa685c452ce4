// SPDX-License-Identifier: MIT
//
// tests/unit/core/domain/mmio_test.cpp
// Checks MmioRegions: adding (full, empty, overlapping), and that find() gives
// the same answer whichever region it found last (its last-hit shortcut).
#include "core/domain/mmio.hpp"

#include <gtest/gtest.h>

namespace keel {
namespace {

MmioRegion region(uint64_t base, uint64_t size)
{
    MmioRegion r;
    r.base = GuestPhysAddr{base};
    r.size = size;
    return r;
}

TEST(MmioRegions, AddRefusesEmptyOverlappingAndFull)
{
    MmioRegions t;
    EXPECT_FALSE(t.add(region(0x1000, 0)));
    EXPECT_TRUE(t.add(region(0x1000, 0x1000)));
    EXPECT_FALSE(t.add(region(0x1800, 0x1000)));
    for (uint64_t i = 1; i < MmioRegions::kMaxRegions; ++i) EXPECT_TRUE(t.add(region(0x10000 * i, 0x100)));
    EXPECT_FALSE(t.add(region(0x900000, 0x100)));
}

TEST(MmioRegions, FindIsIndependentOfTheLastHit)
{
    MmioRegions t;
    ASSERT_TRUE(t.add(region(0x08000000, 0x10000)));  // GICD
    ASSERT_TRUE(t.add(region(0x08080000, 0x40000)));  // GICR
    ASSERT_TRUE(t.add(region(0x22000000, 0x1000)));   // vPL011
    const uint64_t probes[] = {0x22000018, 0x08000000, 0x220000fc, 0x22000ffc, 0x22001000,
                               0x080bfffc, 0x07ffffff, 0x08010000, 0x22000018, 0x0};
    for (int round = 0; round < 3; ++round) {
        for (uint64_t a : probes) {
            for (uint64_t size : {1u, 4u, 8u}) {
                const MmioRegion* r = t.find(GuestPhysAddr{a}, size);
                const MmioRegion* expect = nullptr;
                if (a >= 0x08000000 && a + size <= 0x08010000) expect = t.find(GuestPhysAddr{0x08000000}, 1);
                if (a >= 0x08080000 && a + size <= 0x080c0000) expect = t.find(GuestPhysAddr{0x08080000}, 1);
                if (a >= 0x22000000 && a + size <= 0x22001000) expect = t.find(GuestPhysAddr{0x22000000}, 1);
                EXPECT_EQ(r, expect) << std::hex << a << " size " << size;
                if (r != nullptr) {
                    EXPECT_LE(r->base.raw(), a);
                    EXPECT_LE(a + size, r->base.raw() + r->size);
                }
            }
        }
    }
}

}  // namespace
}  // namespace keel
