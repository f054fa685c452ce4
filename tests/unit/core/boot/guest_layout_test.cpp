// SPDX-License-Identifier: MIT
//
// tests/unit/core/boot/guest_layout_test.cpp
// Checks the dom0less domU RAM split, virtual MPIDRs and image placement
// against the rules of Xen 4.17 allocate_memory() and kernel.c place_modules().
#include "core/boot/guest_layout.hpp"

#include <gtest/gtest.h>

namespace keel {
namespace {

constexpr uint64_t kMiB = uint64_t{1} << 20;

Arm64ImageInfo debian_image()
{
    Arm64ImageInfo i;
    i.text_offset = 0;
    i.image_size = 0x2010000;
    i.file_size = 0x1f7a200;
    i.flags = 0xa;
    return i;
}

TEST(GuestLayout, RamSplit)
{
    auto small = split_guest_ram(256 * kMiB);
    ASSERT_TRUE(small.ok());
    EXPECT_EQ(small.value().count, 1u);
    EXPECT_EQ(small.value().bank[0].base, GuestPhysAddr{0x40000000});
    EXPECT_EQ(small.value().bank[0].size, 256 * kMiB);

    auto three = split_guest_ram(3072 * kMiB);
    ASSERT_TRUE(three.ok());
    EXPECT_EQ(three.value().count, 1u);

    auto big = split_guest_ram(5120 * kMiB);
    ASSERT_TRUE(big.ok());
    ASSERT_EQ(big.value().count, 2u);
    EXPECT_EQ(big.value().bank[0].size, 0xc0000000u);
    EXPECT_EQ(big.value().bank[1].base, GuestPhysAddr{0x200000000});
    EXPECT_EQ(big.value().bank[1].size, 2048 * kMiB);
    EXPECT_EQ(big.value().total(), 5120 * kMiB);

    EXPECT_EQ(split_guest_ram(0).error(), Errno::Inval);
    EXPECT_EQ(split_guest_ram(4097).error(), Errno::Inval);
    EXPECT_EQ(split_guest_ram(kGuestRam0Size + kGuestRam1Size + kPageSize).error(), Errno::NoMem);
}

TEST(GuestLayout, VcpuAffinity)
{
    EXPECT_EQ(vcpu_mpidr_affinity(0), 0u);
    EXPECT_EQ(vcpu_mpidr_affinity(15), 0xfu);
    EXPECT_EQ(vcpu_mpidr_affinity(16), 0x100u);
    EXPECT_EQ(vcpu_mpidr_affinity(127), 0x70fu);
}

TEST(GuestLayout, AnchorDomUModulesAt128MiB)
{
    // 256 MiB domU, Debian kernel, the anchor's 1.7 MB initramfs, a 4 KiB DTB.
    auto ram = split_guest_ram(256 * kMiB);
    ASSERT_TRUE(ram.ok());
    auto plan = place_dom0less_images(ram.value(), debian_image(), 0x1000, 0x1a3b2c);
    ASSERT_TRUE(plan.ok());
    const GuestLoadPlan& p = plan.value();
    EXPECT_EQ(p.entry, GuestPhysAddr{0x40000000});
    EXPECT_EQ(p.kernel.base, GuestPhysAddr{0x40000000});
    EXPECT_EQ(p.kernel.size, 0x2010000u);
    EXPECT_EQ(p.dtb.base, GuestPhysAddr{0x48000000});  // RAM + 128 MiB, DTB first
    EXPECT_EQ(p.dtb.size, 0x1000u);
    EXPECT_EQ(p.initrd.base, GuestPhysAddr{0x48200000});  // after the 2 MiB-padded DTB
    EXPECT_EQ(p.initrd.size, 0x1a3b2cu);
}

TEST(GuestLayout, TextOffsetMovesTheKernel)
{
    auto ram = split_guest_ram(256 * kMiB);
    Arm64ImageInfo legacy = debian_image();
    legacy.text_offset = 0x80000;
    auto plan = place_dom0less_images(ram.value(), legacy, 0x1000, 0);
    ASSERT_TRUE(plan.ok());
    EXPECT_EQ(plan.value().entry, GuestPhysAddr{0x40080000});
    EXPECT_EQ(plan.value().initrd.size, 0u);
}

TEST(GuestLayout, SmallRamPutsModulesAtTheTop)
{
    // 128 MiB: no room above the 128 MiB mark, so the top of the bank.
    auto ram = split_guest_ram(128 * kMiB);
    auto plan = place_dom0less_images(ram.value(), debian_image(), 0x1000, 3 * kMiB);
    ASSERT_TRUE(plan.ok());
    // modsize = 2 MiB (DTB) + 4 MiB (initrd) below 0x48000000.
    EXPECT_EQ(plan.value().dtb.base, GuestPhysAddr{0x48000000 - 6 * kMiB});
    EXPECT_EQ(plan.value().initrd.base, GuestPhysAddr{0x48000000 - 4 * kMiB});
}

TEST(GuestLayout, LargeKernelPastTheMarkUsesTheTop)
{
    auto ram = split_guest_ram(512 * kMiB);
    Arm64ImageInfo huge = debian_image();
    huge.image_size = 130 * kMiB;  // ends above RAM + 128 MiB
    auto plan = place_dom0less_images(ram.value(), huge, 0x1000, 0);
    ASSERT_TRUE(plan.ok());
    EXPECT_EQ(plan.value().dtb.base, GuestPhysAddr{0x40000000 + 512 * kMiB - 2 * kMiB});
}

TEST(GuestLayout, NothingFits)
{
    auto ram = split_guest_ram(32 * kMiB);
    auto plan = place_dom0less_images(ram.value(), debian_image(), 0x1000, 30 * kMiB);
    EXPECT_EQ(plan.error(), Errno::NoMem);
    // The kernel alone larger than the bank.
    Arm64ImageInfo huge = debian_image();
    huge.image_size = 64 * kMiB;
    EXPECT_EQ(place_dom0less_images(ram.value(), huge, 0x1000, 0).error(), Errno::NoMem);
    // A DTB above Linux's 2 MiB limit.
    auto big = split_guest_ram(256 * kMiB);
    EXPECT_EQ(place_dom0less_images(big.value(), debian_image(), 2 * kMiB + 1, 0).error(),
              Errno::Inval);
    EXPECT_EQ(place_dom0less_images(GuestRamBanks{}, debian_image(), 0x1000, 0).error(),
              Errno::Inval);
}

}  // namespace
}  // namespace keel
