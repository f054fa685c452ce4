// SPDX-License-Identifier: MIT
//
// tests/unit/arch/arm64/vgic/vgic_layout_test.cpp
// Checks the per-domain vGIC layout: Xen's domU layout unchanged, dom0's from
// the host GIC (QEMU virt: GICD 0x08000000, redistributors from 0x080A0000,
// 256 SPIs), the SPI cap, refused layouts, and that guest addresses in a
// non-default layout decode to the right distributor / redistributor register
// (the windows registered as vgic_domain_init registers them), with
// GICR_TYPER.Last on the last vCPU's frame and the frames past it RAZ/WI.
#include <gtest/gtest.h>

#include "arch/arm64/vgic/vgic_layout.hpp"
#include "core/boot/boot_info.hpp"
#include "vgic_fixture.hpp"

namespace keel::arm64::vgic {
namespace {

using test::VgicWorld;

constexpr uint64_t kHostGicd = 0x08000000, kHostGicr = 0x080a0000, kHostGicrSize = 0xf60000;

GicInfo qemu_virt_gic()
{
    GicInfo g;
    g.version = 3;
    g.dist = PhysRange{PhysAddr{kHostGicd}, 0x10000};
    g.redist[0] = PhysRange{PhysAddr{kHostGicr}, kHostGicrSize};
    g.redist_count = 1;
    return g;
}

TEST(VgicLayout, DomuIsXensVirtualPlatform)
{
    const VgicLayout l = vgic_domu_layout();
    EXPECT_EQ(l.gicd_base.raw(), 0x03001000u);
    EXPECT_EQ(l.gicr_base.raw(), 0x03020000u);
    EXPECT_EQ(l.gicr_size, 0x01000000u);
    EXPECT_EQ(l.nr_spis, 32u);
    EXPECT_TRUE(vgic_layout_valid(l, 1));
    EXPECT_TRUE(vgic_layout_valid(l, kMaxVcpusPerDomain));
}

TEST(VgicLayout, HostLayoutIsTheHostGic)
{
    const auto l = vgic_host_layout_of(qemu_virt_gic(), 288, 2);  // QEMU virt: ITLinesNumber 8
    ASSERT_TRUE(l.ok());
    EXPECT_EQ(l.value().gicd_base.raw(), kHostGicd);
    EXPECT_EQ(l.value().gicr_base.raw(), kHostGicr);
    EXPECT_EQ(l.value().gicr_size, kHostGicrSize);
    EXPECT_EQ(l.value().nr_spis, 256u);
    EXPECT_TRUE(vgic_layout_valid(l.value(), 2));
}

TEST(VgicLayout, HostSpisCappedAtKeelsMaximum)
{
    EXPECT_EQ(vgic_host_spis(288).spis, 256u);
    EXPECT_FALSE(vgic_host_spis(288).capped);
    EXPECT_EQ(vgic_host_spis(64).spis, 32u);
    EXPECT_EQ(vgic_host_spis(1020).spis, kVgicMaxSpis);  // ITLinesNumber 31
    EXPECT_TRUE(vgic_host_spis(1020).capped);
    EXPECT_EQ(vgic_host_spis(0).spis, 0u);
    const auto l = vgic_host_layout_of(qemu_virt_gic(), 1020, 1);
    ASSERT_TRUE(l.ok());
    EXPECT_EQ(l.value().nr_spis, kVgicMaxSpis);
}

TEST(VgicLayout, HostLayoutRefusals)
{
    GicInfo g = qemu_virt_gic();
    g.version = 2;
    EXPECT_EQ(vgic_host_layout_of(g, 288, 1).error(), Errno::NoDev);
    g = qemu_virt_gic();
    g.redist_count = 0;
    EXPECT_EQ(vgic_host_layout_of(g, 288, 1).error(), Errno::NoDev);
    g = qemu_virt_gic();
    g.redist[0].size = 2 * kVgicRedistFrameSize;  // room for two redistributors
    EXPECT_TRUE(vgic_host_layout_of(g, 288, 2).ok());
    EXPECT_EQ(vgic_host_layout_of(g, 288, 3).error(), Errno::Range);
}

TEST(VgicLayout, InvalidLayouts)
{
    VgicLayout l = vgic_domu_layout();
    l.nr_spis = 48;  // not whole registers
    EXPECT_FALSE(vgic_layout_valid(l, 1));
    l.nr_spis = kVgicMaxSpis + 32;
    EXPECT_FALSE(vgic_layout_valid(l, 1));
    l.nr_spis = 0;
    EXPECT_FALSE(vgic_layout_valid(l, 1));
    l = vgic_domu_layout();
    l.gicr_base = GuestPhysAddr{0x03021000};  // redistributors 64 KiB aligned
    EXPECT_FALSE(vgic_layout_valid(l, 1));
    l = vgic_domu_layout();
    l.gicd_base = GuestPhysAddr{0x03020000 + 0x20000};  // inside the redistributor window
    EXPECT_FALSE(vgic_layout_valid(l, 1));
    l = vgic_domu_layout();
    l.gicr_size = kVgicRedistFrameSize;
    EXPECT_TRUE(vgic_layout_valid(l, 1));
    EXPECT_FALSE(vgic_layout_valid(l, 2));
    EXPECT_FALSE(vgic_layout_valid(l, 0));
    l = vgic_domu_layout();
    l.gicr_base = GuestPhysAddr{~uint64_t{0} - 0xffff};  // wraps
    EXPECT_FALSE(vgic_layout_valid(l, 1));
}

// A dom0-like domain: two vCPUs, 256 SPIs, the host layout's windows in its
// MMIO table, accesses decoded by guest physical address as a data abort is.
struct HostWorld {
    VgicWorld w{2, 256};
    MmioRegions regions;
    VgicLayout layout = vgic_host_layout_of(qemu_virt_gic(), 288, 2).value();

    static bool gicd(Vcpu&, MmioAccess& a, void* ctx)
    {
        return vgicd_access(*static_cast<Domain*>(ctx), a).status == MmioStatus::Ok;
    }
    static bool gicr(Vcpu&, MmioAccess& a, void* ctx)
    {
        return vgicr_access(*static_cast<Domain*>(ctx), a).status == MmioStatus::Ok;
    }

    HostWorld()
    {
        EXPECT_TRUE(regions.add({layout.gicd_base, kVgicDistSize, gicd, w.d.get(), "vGICD"}));
        EXPECT_TRUE(regions.add({layout.gicr_base, layout.gicr_size, gicr, w.d.get(), "vGICR"}));
    }

    // A guest access at IPA `ipa`, as the stage-2 abort path makes it.
    uint64_t read(uint64_t ipa, uint8_t size = 4, const char** which = nullptr)
    {
        const MmioRegion* r = regions.find(GuestPhysAddr{ipa}, size);
        EXPECT_NE(r, nullptr) << std::hex << ipa;
        if (r == nullptr) return ~uint64_t{0};
        if (which != nullptr) *which = r->name;
        MmioAccess a{GuestPhysAddr{ipa}, ipa - r->base.raw(), size, false, 0};
        EXPECT_TRUE(r->handler(w.v[0], a, r->ctx)) << std::hex << ipa;
        return a.value;
    }
    void write(uint64_t ipa, uint64_t value, uint8_t size = 4)
    {
        const MmioRegion* r = regions.find(GuestPhysAddr{ipa}, size);
        ASSERT_NE(r, nullptr) << std::hex << ipa;
        MmioAccess a{GuestPhysAddr{ipa}, ipa - r->base.raw(), size, true, value};
        EXPECT_TRUE(r->handler(w.v[0], a, r->ctx)) << std::hex << ipa;
    }
};

TEST(VgicLayout, HostAddressesDecodeToTheirRegisters)
{
    HostWorld h;
    const char* which = nullptr;
    const uint64_t typer = h.read(kHostGicd + 0x4, 4, &which);
    EXPECT_STREQ(which, "vGICD");
    EXPECT_EQ(typer & 0x1f, 8u);           // ITLinesNumber 8: INTIDs up to 287, as the host
    EXPECT_EQ((typer >> 19) & 0x1f, 9u);   // IDbits as for a domU
    EXPECT_EQ((typer >> 5) & 7, 1u);       // two vCPUs
    EXPECT_EQ(h.read(kHostGicd + 0xffe8) & 0xf0, 0x30u);

    // vCPU 0's RD_base, vCPU 1's RD_base and SGI_base: 128 KiB apart.
    const uint64_t t0 = h.read(kHostGicr + 0x8, 8, &which);
    EXPECT_STREQ(which, "vGICR");
    EXPECT_EQ(t0 >> 32, 0u);                     // Affinity_Value: vCPU 0
    EXPECT_EQ(t0 & (1u << 4), 0u);               // not Last
    const uint64_t t1 = h.read(kHostGicr + kVgicRedistFrameSize + 0x8, 8);
    EXPECT_EQ(t1 >> 32, 1u);                     // vCPU 1 (Aff0 = 1)
    EXPECT_EQ((t1 >> 8) & 0xffff, 1u);           // Processor_Number
    EXPECT_NE(t1 & (1u << 4), 0u);               // Last: dom0's last vCPU
    h.write(kHostGicr + kVgicRedistFrameSize + 0x10000 + 0x100, 1u << 16);  // vCPU 1: enable PPI 16
    EXPECT_EQ(h.w.v[1].vgic.priv.enabled, 1u << 16);
    EXPECT_EQ(h.w.v[0].vgic.priv.enabled, 0u);
}

TEST(VgicLayout, RedistributorFramesPastTheVcpusReadAsZero)
{
    HostWorld h;
    const uint64_t past = kHostGicr + 2 * kVgicRedistFrameSize;
    EXPECT_EQ(h.read(past + 0x8, 8), 0u);  // GICR_TYPER of a frame no vCPU has
    h.write(past + 0x10000 + 0x100, ~0u);  // ignored
    EXPECT_EQ(h.read(past + 0x10000 + 0x100), 0u);
    EXPECT_EQ(h.read(kHostGicr + kHostGicrSize - 4), 0u);  // the window's last word
    EXPECT_EQ(h.regions.find(GuestPhysAddr{kHostGicr + kHostGicrSize}, 4), nullptr);
    EXPECT_EQ(h.regions.find(GuestPhysAddr{kGuestGicv3GicdBase}, 4), nullptr);  // no domU window
}

TEST(VgicLayout, SpisBeyond63)
{
    HostWorld h;
    // SPI 287 (the host's last): ISENABLER8 bit 31, IPRIORITYR byte 287, IROUTER287.
    h.write(kHostGicd + 0x100 + 4 * 8, 1u << 31);
    EXPECT_EQ(h.read(kHostGicd + 0x180 + 4 * 8), 1u << 31);
    EXPECT_NE(h.w.d->vgic.spi[7].enabled & (1u << 31), 0u);
    h.write(kHostGicd + 0x400 + 287, 0x80, 1);
    EXPECT_EQ(h.read(kHostGicd + 0x400 + 284) >> 24, 0x80u);
    h.write(kHostGicd + 0x6000 + 8 * 287, 1, 8);  // Aff0 = 1: vCPU 1
    EXPECT_EQ(h.read(kHostGicd + 0x6000 + 8 * 287, 8), 1u);
    EXPECT_EQ(h.w.d->vgic.target[255], 1u);
    // Past the host's SPIs (INTID 288 on): RAZ/WI.
    h.write(kHostGicd + 0x100 + 4 * 9, ~0u);
    EXPECT_EQ(h.read(kHostGicd + 0x100 + 4 * 9), 0u);
    EXPECT_EQ(h.read(kHostGicd + 0x6000 + 8 * 288, 8), 0u);

    // Pending SPI 287 reaches vCPU 1's list registers; INTID 288 is nobody's.
    h.w.d->vgic.enabled = true;
    EXPECT_EQ(mark_pending(*h.w.d, nullptr, 287), 1u);
    EXPECT_EQ(mark_pending(*h.w.d, nullptr, 288), kVgicNoVcpu);
    LrFile f = h.w.lrs(1);
    (void)lr_fill(*h.w.d, h.w.v[1], f, HwLink{});
    EXPECT_EQ(lr_intid(f.lr[0]), 287u);
    EXPECT_EQ(lr_priority(f.lr[0]), 0x80u);
    EXPECT_FALSE(lr_hw(f.lr[0]));
}

TEST(VgicLayout, DomuStillStopsAt63)
{
    VgicWorld w{1};
    EXPECT_TRUE(is_spi(w.d->vgic, 63));
    EXPECT_FALSE(is_spi(w.d->vgic, 64));
    EXPECT_EQ(mark_pending(*w.d, &w.v[0], 64), kVgicNoVcpu);
    EXPECT_EQ(w.gicd_read(0x0004) & 0x1f, 1u);
    (void)w.gicd_write(0x0108, ~0u);
    EXPECT_EQ(w.gicd_read(0x0108), 0u);
    EXPECT_EQ(w.d->vgic.spi[1].enabled, 0u);
}

}  // namespace
}  // namespace keel::arm64::vgic
