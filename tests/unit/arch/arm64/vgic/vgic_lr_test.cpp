// SPDX-License-Identifier: MIT
//
// tests/unit/arch/arm64/vgic/vgic_lr_test.cpp
// Checks list-register management against the GICv3 rules (IHI 0069,
// ICH_LR<n>_EL2): LR encoding, placement by priority, overflow, eviction of a
// lower-priority pending LR, actives first and never evicted, retiring LRs the
// guest finished, merging new pending state, hardware-linked LRs for the virtual
// timer, and folding everything back on deschedule.
#include <gtest/gtest.h>

#include "arch/arm64/vgic/ich_regs.hpp"
#include "vgic_fixture.hpp"

namespace keel::arm64::vgic {
namespace {

using test::make_pending;
using test::VgicWorld;

constexpr HwLink kTimer{27, 27};

uint32_t intids_in(const LrFile& f, uint32_t used, uint32_t* out)
{
    uint32_t n = 0;
    for (uint32_t i = 0; i < f.count; ++i) {
        if (used & (1u << i)) out[n++] = lr_intid(f.lr[i]);
    }
    return n;
}

TEST(IchLr, Encoding)
{
    const uint64_t lr = make_lr(33, 0xa0, LrState::Pending);
    EXPECT_EQ(lr_intid(lr), 33u);
    EXPECT_EQ(lr_priority(lr), 0xa0);
    EXPECT_EQ(lr_state(lr), LrState::Pending);
    EXPECT_FALSE(lr_hw(lr));
    EXPECT_TRUE(IchLr::Group::get(lr));
    EXPECT_EQ(lr, uint64_t{1} << 62 | uint64_t{1} << 60 | uint64_t{0xa0} << 48 | 33);
    const uint64_t hw = make_lr(27, 0x80, LrState::Active, 27);
    EXPECT_TRUE(lr_hw(hw));
    EXPECT_EQ(IchLr::PIntid::get(hw), 27u);
    EXPECT_EQ(lr_state(lr_with_state(hw, LrState::Invalid)), LrState::Invalid);
    EXPECT_TRUE(lr_state_pending(LrState::PendingActive));
    EXPECT_TRUE(lr_state_active(LrState::PendingActive));
    EXPECT_EQ(lr_state_of(true, false), LrState::Pending);
}

TEST(IchVtr, ListRegistersAndAprs)
{
    EXPECT_EQ(vtr_list_regs(0x3), 4u);
    EXPECT_EQ(vtr_list_regs(0xf), 16u);
    EXPECT_EQ(vtr_apr_count(uint64_t{4} << 26), 1u);  // 5 preemption bits
    EXPECT_EQ(vtr_apr_count(uint64_t{5} << 26), 2u);
    EXPECT_EQ(vtr_apr_count(uint64_t{6} << 26), 4u);
}

TEST(VgicLr, PlacesByPriorityThenIntid)
{
    VgicWorld w;
    w.d->vgic.enabled = true;
    make_pending(w, 0, 5, 0xa0);   // SGI
    make_pending(w, 0, 30, 0x80);  // PPI, more urgent
    make_pending(w, 0, 32, 0xa0);  // SPI routed to vCPU 0
    make_pending(w, 0, 3, 0xa0);
    LrFile f = w.lrs(0);
    const FillResult r = lr_fill(*w.d, w.v[0], f, kTimer);
    EXPECT_FALSE(r.overflow);
    EXPECT_EQ(w.v[0].vgic.lr_used, 0xfu);
    EXPECT_EQ(f.dirty, 0xfu);
    uint32_t ids[4];
    ASSERT_EQ(intids_in(f, 0xf, ids), 4u);
    EXPECT_EQ(ids[0], 30u);
    EXPECT_EQ(ids[1], 3u);
    EXPECT_EQ(ids[2], 5u);
    EXPECT_EQ(ids[3], 32u);
    for (uint32_t i = 0; i < 4; ++i) EXPECT_EQ(lr_state(f.lr[i]), LrState::Pending);
    EXPECT_EQ(w.v[0].vgic.priv.pending, 0u);  // moved into the LRs
    EXPECT_EQ(w.v[0].vgic.priv.in_lr, (1u << 3) | (1u << 5) | (1u << 30));
    EXPECT_EQ(w.d->vgic.spi[0].in_lr, 1u);
    EXPECT_EQ(w.d->vgic.lr_owner[0], 0u);
}

TEST(VgicLr, OverflowAsksForMaintenance)
{
    VgicWorld w;
    w.d->vgic.enabled = true;
    for (uint32_t i = 0; i < 6; ++i) make_pending(w, 0, i, static_cast<uint8_t>(0x10 * (6 - i)));
    LrFile f = w.lrs(0);
    const FillResult r = lr_fill(*w.d, w.v[0], f, kTimer);
    EXPECT_TRUE(r.overflow);
    uint32_t ids[4];
    ASSERT_EQ(intids_in(f, w.v[0].vgic.lr_used, ids), 4u);
    EXPECT_EQ(ids[0], 5u);  // priorities 0x10, 0x20, 0x30, 0x40 win
    EXPECT_EQ(ids[3], 2u);
    EXPECT_EQ(w.v[0].vgic.priv.pending, 0x3u);  // INTIDs 0 and 1 wait

    // The guest takes and finishes two; sync frees them and a refill places the rest.
    f.lr[0] = lr_with_state(f.lr[0], LrState::Invalid);
    f.lr[1] = lr_with_state(f.lr[1], LrState::Invalid);
    const SyncResult s = lr_sync(*w.d, w.v[0], f);
    EXPECT_EQ(s.released, 0x3u);
    EXPECT_FALSE(s.hw_released);
    f.dirty = 0;
    const FillResult r2 = lr_fill(*w.d, w.v[0], f, kTimer);
    EXPECT_FALSE(r2.overflow);
    EXPECT_EQ(f.dirty, 0x3u);
    EXPECT_EQ(w.v[0].vgic.priv.pending, 0u);
}

TEST(VgicLr, EvictsLowerPriorityPending)
{
    VgicWorld w;
    w.d->vgic.enabled = true;
    for (uint32_t i = 0; i < 4; ++i) make_pending(w, 0, i, 0xc0);
    LrFile f = w.lrs(0);
    (void)lr_fill(*w.d, w.v[0], f, kTimer);
    f.lr[2] = lr_with_state(f.lr[2], LrState::Active);  // the guest acknowledged INTID 2
    f.lr[3] = make_lr(3, 0xe0, LrState::Pending);       // (pretend INTID 3 is the least urgent)
    (void)lr_sync(*w.d, w.v[0], f);

    make_pending(w, 0, 20, 0x40);
    f.dirty = 0;
    const FillResult r = lr_fill(*w.d, w.v[0], f, kTimer);
    EXPECT_TRUE(r.overflow);  // INTID 3 went back to the bank and does not fit now
    EXPECT_EQ(lr_intid(f.lr[3]), 20u);
    EXPECT_EQ(f.dirty, 1u << 3);
    EXPECT_EQ(lr_state(f.lr[2]), LrState::Active);  // actives stay
    EXPECT_TRUE(w.v[0].vgic.priv.pending & (1u << 3));
    EXPECT_FALSE(w.v[0].vgic.priv.in_lr & (1u << 3));

    // Something no more urgent than what the LRs hold waits instead of evicting.
    make_pending(w, 0, 21, 0xc0);
    f.dirty = 0;
    EXPECT_TRUE(lr_fill(*w.d, w.v[0], f, kTimer).overflow);
    EXPECT_EQ(f.dirty, 0u);
}

TEST(VgicLr, ActivesFirstAndNeverEvicted)
{
    VgicWorld w;
    w.d->vgic.enabled = true;
    for (uint32_t i = 0; i < 4; ++i) make_pending(w, 0, i, 0x10);
    w.v[0].vgic.priv.active |= 1u << 9;  // active, priority 0 (lowest value), not enabled
    LrFile f = w.lrs(0);
    (void)lr_fill(*w.d, w.v[0], f, kTimer);
    EXPECT_EQ(lr_intid(f.lr[0]), 9u);
    EXPECT_EQ(lr_state(f.lr[0]), LrState::Active);

    // All four LRs active: a new active interrupt cannot evict any of them.
    for (uint32_t i = 0; i < 4; ++i) f.lr[i] = lr_with_state(f.lr[i], LrState::Active);
    (void)lr_sync(*w.d, w.v[0], f);
    w.v[0].vgic.priv.active |= 1u << 10;
    EXPECT_TRUE(lr_fill(*w.d, w.v[0], f, kTimer).overflow);
}

TEST(VgicLr, MergesNewPendingIntoItsLr)
{
    VgicWorld w;
    w.d->vgic.enabled = true;
    make_pending(w, 0, 1, 0xa0);
    LrFile f = w.lrs(0);
    (void)lr_fill(*w.d, w.v[0], f, kTimer);
    f.lr[0] = lr_with_state(f.lr[0], LrState::Active);  // guest acknowledged it
    (void)lr_sync(*w.d, w.v[0], f);
    (void)mark_pending(*w.d, &w.v[0], 1);  // the SGI comes again
    f.dirty = 0;
    (void)lr_fill(*w.d, w.v[0], f, kTimer);
    EXPECT_EQ(lr_state(f.lr[0]), LrState::PendingActive);
    EXPECT_EQ(f.dirty, 1u);
    EXPECT_EQ(w.v[0].vgic.priv.pending, 0u);
    EXPECT_EQ(w.v[0].vgic.lr_used, 1u);  // still one LR
}

TEST(VgicLr, TimerIsHardwareLinkedAndNeverPendingActive)
{
    VgicWorld w;
    w.d->vgic.enabled = true;
    make_pending(w, 0, 27, 0xa0);
    LrFile f = w.lrs(0);
    const FillResult r = lr_fill(*w.d, w.v[0], f, HwLink{27, 26});
    EXPECT_EQ(r.hw_placed, 1u);
    EXPECT_TRUE(lr_hw(f.lr[0]));
    EXPECT_EQ(IchLr::PIntid::get(f.lr[0]), 26u);

    f.lr[0] = lr_with_state(f.lr[0], LrState::Active);
    (void)lr_sync(*w.d, w.v[0], f);
    (void)mark_pending(*w.d, &w.v[0], 27);  // pending again while active: the physical keeps it
    f.dirty = 0;
    (void)lr_fill(*w.d, w.v[0], f, HwLink{27, 26});
    EXPECT_EQ(lr_state(f.lr[0]), LrState::Active);
    EXPECT_EQ(f.dirty, 0u);
    EXPECT_EQ(w.v[0].vgic.priv.pending, 0u);

    f.lr[0] = lr_with_state(f.lr[0], LrState::Invalid);  // guest deactivated (and the physical)
    EXPECT_TRUE(lr_sync(*w.d, w.v[0], f).hw_released);
}

TEST(VgicLr, DisabledOrDistributorOffStaysInBank)
{
    VgicWorld w;
    make_pending(w, 0, 4, 0xa0);
    LrFile f = w.lrs(0);
    (void)lr_fill(*w.d, w.v[0], f, kTimer);  // GICD_CTLR.EnableGrp1A = 0
    EXPECT_EQ(w.v[0].vgic.lr_used, 0u);
    w.d->vgic.enabled = true;
    w.v[0].vgic.priv.enabled = 0;
    (void)lr_fill(*w.d, w.v[0], f, kTimer);
    EXPECT_EQ(w.v[0].vgic.lr_used, 0u);
    EXPECT_TRUE(w.v[0].vgic.priv.pending & (1u << 4));  // still pending, for when it is enabled
}

TEST(VgicLr, SpiGoesOnlyToItsTarget)
{
    VgicWorld w;
    w.d->vgic.enabled = true;
    set_irouter(*w.d, 1, vcpu_mpidr_affinity(2));
    recompute_targets(*w.d);
    make_pending(w, 0, 33, 0xa0);
    LrFile f0 = w.lrs(0);
    (void)lr_fill(*w.d, w.v[0], f0, kTimer);
    EXPECT_EQ(w.v[0].vgic.lr_used, 0u);
    LrFile f2 = w.lrs(2);
    (void)lr_fill(*w.d, w.v[2], f2, kTimer);
    EXPECT_EQ(w.v[2].vgic.lr_used, 1u);
    EXPECT_EQ(lr_intid(f2.lr[0]), 33u);
    EXPECT_EQ(w.d->vgic.lr_owner[1], 2u);
}

TEST(VgicLr, FoldAllReturnsStateToTheBanks)
{
    VgicWorld w;
    w.d->vgic.enabled = true;
    make_pending(w, 1, 2, 0xa0);
    make_pending(w, 1, 27, 0xa0);
    make_pending(w, 1, 32, 0xa0);
    set_irouter(*w.d, 0, vcpu_mpidr_affinity(1));
    recompute_targets(*w.d);
    LrFile f = w.lrs(1);
    (void)lr_fill(*w.d, w.v[1], f, kTimer);
    ASSERT_EQ(w.v[1].vgic.lr_used, 0x7u);
    f.lr[0] = lr_with_state(f.lr[0], LrState::Active);         // INTID 2 being handled
    f.lr[2] = lr_with_state(f.lr[2], LrState::PendingActive);  // SPI 32 active and pending again
    f.dirty = 0;
    lr_fold_all(*w.d, w.v[1], f);
    EXPECT_EQ(w.v[1].vgic.lr_used, 0u);
    EXPECT_EQ(f.dirty, 0x7u);
    for (uint32_t i = 0; i < 3; ++i) EXPECT_EQ(f.lr[i], 0u);
    EXPECT_EQ(w.v[1].vgic.priv.active, 1u << 2);
    EXPECT_EQ(w.v[1].vgic.priv.pending, 1u << 27);
    EXPECT_EQ(w.v[1].vgic.priv.in_lr, 0u);
    EXPECT_EQ(w.d->vgic.spi[0].active, 1u);
    EXPECT_EQ(w.d->vgic.spi[0].pending, 1u);
    EXPECT_EQ(w.d->vgic.spi[0].in_lr, 0u);

    // Reloaded: the active one comes back first, as Active; SPI 32 as pending+active.
    LrFile g = w.lrs(1);
    (void)lr_fill(*w.d, w.v[1], g, kTimer);
    EXPECT_EQ(lr_intid(g.lr[0]), 2u);
    EXPECT_EQ(lr_state(g.lr[0]), LrState::Active);
    EXPECT_EQ(lr_intid(g.lr[1]), 32u);
    EXPECT_EQ(lr_state(g.lr[1]), LrState::PendingActive);
    EXPECT_EQ(lr_intid(g.lr[2]), 27u);
}

}  // namespace
}  // namespace keel::arm64::vgic
