// SPDX-License-Identifier: MIT
//
// tests/unit/arch/arm64/vgic/vgic_irq_test.cpp
// Checks the per-interrupt rules: reset state, routing by GICD_IROUTER affinity
// (IHI 0069, GICD_IROUTER<n>), marking pending (and who must look), the WFI
// "anything to take?" test with priority mask and group enable (ICH_VMCR_EL2),
// and the guest's ICC_SGI1R_EL1 target decode.
#include <gtest/gtest.h>

#include "arch/arm64/gic/gic_regs.hpp"
#include "arch/arm64/vgic/vgic_sgi.hpp"
#include "vgic_fixture.hpp"

namespace keel::arm64::vgic {
namespace {

using test::make_pending;
using test::VgicWorld;

constexpr uint64_t vmcr(uint32_t pmr, bool grp1)
{
    return IchVmcr::Vpmr::make(pmr) | IchVmcr::Veng1::make(grp1);
}

TEST(VgicIrq, ResetState)
{
    VgicWorld w{2};
    EXPECT_FALSE(w.d->vgic.enabled);
    EXPECT_EQ(w.d->vgic.target[0], 0u);  // IROUTER 0 = vCPU 0
    EXPECT_EQ(w.v[1].vgic.priv.edge, 0xffffu);
    EXPECT_TRUE(w.v[1].vgic.asleep);
    EXPECT_EQ(w.v[1].vgic.hcr, IchHcr::En::make(true));
    EXPECT_EQ(w.v[1].vgic.loaded_cpu, kVgicNotLoaded);
}

TEST(VgicIrq, RouteTarget)
{
    VgicWorld w;
    EXPECT_EQ(route_target(*w.d, 0), 0u);
    EXPECT_EQ(route_target(*w.d, 3), 3u);
    EXPECT_EQ(route_target(*w.d, 4), kVgicNoVcpu);
    EXPECT_EQ(route_target(*w.d, 0x100), kVgicNoVcpu);  // Aff1 = 1: vCPU 16, not here
    EXPECT_EQ(route_target(*w.d, uint64_t{1} << 31 | 3), 0u);
}

TEST(VgicIrq, MarkPendingSaysWhoLooks)
{
    VgicWorld w;
    EXPECT_EQ(mark_pending(*w.d, &w.v[2], 7), 2u);
    EXPECT_EQ(w.v[2].vgic.priv.pending, 1u << 7);
    EXPECT_EQ(mark_pending(*w.d, nullptr, 7), kVgicNoVcpu);
    w.d->vgic.target[0] = 3;
    EXPECT_EQ(mark_pending(*w.d, nullptr, 32), 3u);
    EXPECT_EQ(mark_pending(*w.d, nullptr, 64), kVgicNoVcpu);  // not implemented
    EXPECT_EQ(mark_pending(*w.d, nullptr, 1023), kVgicNoVcpu);
    w.d->vgic.spi[0].in_lr |= 1;  // held by vCPU 1's LR: it merges there
    w.d->vgic.lr_owner[0] = 1;
    EXPECT_EQ(mark_pending(*w.d, nullptr, 32), 1u);
}

TEST(VgicIrq, HasDeliverable)
{
    VgicWorld w;
    w.d->vgic.enabled = true;
    make_pending(w, 0, 27, 0xa0);
    EXPECT_TRUE(has_deliverable(*w.d, w.v[0], vmcr(0xf0, true)));
    EXPECT_FALSE(has_deliverable(*w.d, w.v[0], vmcr(0xf0, false)));  // Group 1 off
    EXPECT_FALSE(has_deliverable(*w.d, w.v[0], vmcr(0xa0, true)));   // masked by PMR
    EXPECT_FALSE(has_deliverable(*w.d, w.v[1], vmcr(0xf0, true)));   // someone else's
    w.d->vgic.enabled = false;
    EXPECT_FALSE(has_deliverable(*w.d, w.v[0], vmcr(0xf0, true)));
    w.d->vgic.enabled = true;

    // In a list register, pending: counts; active only: does not.
    LrFile f = w.lrs(0);
    (void)lr_fill(*w.d, w.v[0], f, HwLink{});
    EXPECT_TRUE(has_deliverable(*w.d, w.v[0], vmcr(0xf0, true)));
    f.lr[0] = lr_with_state(f.lr[0], LrState::Active);
    (void)lr_sync(*w.d, w.v[0], f);
    EXPECT_FALSE(has_deliverable(*w.d, w.v[0], vmcr(0xf0, true)));

    // An SPI routed to vCPU 1.
    set_irouter(*w.d, 0, 1);
    recompute_targets(*w.d);
    make_pending(w, 1, 32, 0x80);
    EXPECT_TRUE(has_deliverable(*w.d, w.v[1], vmcr(0xf0, true)));
    EXPECT_FALSE(has_deliverable(*w.d, w.v[2], vmcr(0xf0, true)));
}

TEST(VgicSgi, TargetList)
{
    VgicWorld w;
    // SGI 5 to Aff0 1 and 3 in cluster 0 (Linux's gic_send_sgi()).
    const SgiTargets t = decode_sgi1r(*w.d, w.v[0], sgi1r_for(1, 5) | sgi1r_for(3, 5));
    EXPECT_EQ(t.intid, 5u);
    EXPECT_EQ(t.vcpus, (1u << 1) | (1u << 3));
    // To itself.
    EXPECT_EQ(decode_sgi1r(*w.d, w.v[2], sgi1r_for(2, 0)).vcpus, 1u << 2);
    // IRM = 1: everyone but the sender.
    EXPECT_EQ(decode_sgi1r(*w.d, w.v[2], sgi1r_broadcast(7)).vcpus, 0xbu);
    // Wrong cluster (Aff1 = 1) or range selector: nobody.
    EXPECT_EQ(decode_sgi1r(*w.d, w.v[0], sgi1r_for(0x101, 1)).vcpus, 0u);
    EXPECT_EQ(decode_sgi1r(*w.d, w.v[0], sgi1r_for(17, 1)).vcpus, 0u);  // RS = 1
    // A target list bit beyond the vCPUs: ignored.
    EXPECT_EQ(decode_sgi1r(*w.d, w.v[0], sgi1r_for(9, 1)).vcpus, 0u);
}

}  // namespace
}  // namespace keel::arm64::vgic
