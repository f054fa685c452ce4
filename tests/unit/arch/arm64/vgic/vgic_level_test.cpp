// SPDX-License-Identifier: MIT
//
// tests/unit/arch/arm64/vgic/vgic_level_test.cpp
// Checks level-triggered interrupts driven by a modelled line (set_line: the
// vPL011's SPI, the emulated physical timer's PPI 30) against the GICv3 rules
// for level inputs (IHI 0069): pending follows the line outside a list
// register, a falling line withdraws the pending part of an LR, a deactivation
// while the line is still high makes the interrupt pending again (LR EOI bit,
// resample in lr_sync), and an edge-configured one keeps its latch. Also the
// withdrawal of a pending-only hardware-linked timer LR.
#include <gtest/gtest.h>

#include "arch/arm64/vgic/ich_regs.hpp"
#include "arch/arm64/vgic/vgic_bank.hpp"
#include "vgic_fixture.hpp"

namespace keel::arm64::vgic {
namespace {

using test::VgicWorld;

constexpr HwLink kTimer{27, 27};
constexpr uint32_t kSpi = 32;
constexpr uint32_t kPpi = 30;

void enable(VgicWorld& w, uint32_t intid)
{
    const IrqSlot s = irq_slot(*w.d, w.v[0], intid);
    s.bank->enabled |= s.bit;
    s.bank->priority[s.index] = 0xa0;
}

bool bank_pending(VgicWorld& w, uint32_t intid)
{
    const IrqSlot s = irq_slot(*w.d, w.v[0], intid);
    return (s.bank->pending & s.bit) != 0;
}

TEST(VgicLevel, PendingFollowsTheLineOutsideLrs)
{
    VgicWorld w;
    EXPECT_EQ(set_line(*w.d, nullptr, kSpi, true), 0);  // routed to vCPU 0
    EXPECT_TRUE(bank_pending(w, kSpi));
    EXPECT_EQ(set_line(*w.d, nullptr, kSpi, false), kVgicNoVcpu);  // not in an LR: nobody to tell
    EXPECT_FALSE(bank_pending(w, kSpi));
    // A private line needs its vCPU.
    EXPECT_EQ(set_line(*w.d, nullptr, kPpi, true), kVgicNoVcpu);
    EXPECT_EQ(set_line(*w.d, &w.v[1], kPpi, true), 1);
    EXPECT_TRUE(w.v[1].vgic.priv.pending & (1u << kPpi));
}

TEST(VgicLevel, FallingLineWithdrawsAPendingLr)
{
    VgicWorld w;
    w.d->vgic.enabled = true;
    enable(w, kSpi);
    (void)set_line(*w.d, nullptr, kSpi, true);
    LrFile f = w.lrs(0);
    (void)lr_fill(*w.d, w.v[0], f, kTimer);
    ASSERT_EQ(lr_intid(f.lr[0]), kSpi);
    EXPECT_TRUE(IchLr::Eoi::get(f.lr[0]));  // deactivation will be reported
    EXPECT_FALSE(w.d->vgic.spi[0].pending & 1u);

    EXPECT_EQ(set_line(*w.d, nullptr, kSpi, false), 0);  // its holder re-evaluates
    (void)lr_sync(*w.d, w.v[0], f);
    f.dirty = 0;
    (void)lr_fill(*w.d, w.v[0], f, kTimer);
    EXPECT_EQ(f.dirty, 1u);
    EXPECT_EQ(f.lr[0], 0u);
    EXPECT_EQ(w.v[0].vgic.lr_used, 0u);
    EXPECT_FALSE(w.d->vgic.spi[0].in_lr & 1u);
    EXPECT_FALSE(w.d->vgic.spi[0].pending & 1u);
}

TEST(VgicLevel, FallingLineLeavesAnActiveLrActive)
{
    VgicWorld w;
    w.d->vgic.enabled = true;
    enable(w, kSpi);
    (void)set_line(*w.d, nullptr, kSpi, true);
    LrFile f = w.lrs(0);
    (void)lr_fill(*w.d, w.v[0], f, kTimer);
    f.lr[0] = lr_with_state(f.lr[0], LrState::PendingActive);
    (void)lr_sync(*w.d, w.v[0], f);
    (void)set_line(*w.d, nullptr, kSpi, false);
    (void)lr_fill(*w.d, w.v[0], f, kTimer);
    EXPECT_EQ(lr_state(f.lr[0]), LrState::Active);
}

TEST(VgicLevel, DeactivationWhileHighMakesItPendingAgain)
{
    VgicWorld w;
    w.d->vgic.enabled = true;
    enable(w, kSpi);
    (void)set_line(*w.d, nullptr, kSpi, true);
    LrFile f = w.lrs(0);
    (void)lr_fill(*w.d, w.v[0], f, kTimer);
    // The guest acknowledged and deactivated it; the line is still high.
    f.lr[0] = lr_with_state(f.lr[0], LrState::Invalid);
    f.dirty = 0;
    const SyncResult s = lr_sync(*w.d, w.v[0], f);
    EXPECT_EQ(s.released, 1u);
    EXPECT_TRUE(s.repended);
    EXPECT_EQ(f.lr[0], 0u);  // the EOI-maintenance LR is rewritten
    EXPECT_EQ(f.dirty, 1u);
    EXPECT_TRUE(w.d->vgic.spi[0].pending & 1u);
    (void)lr_fill(*w.d, w.v[0], f, kTimer);
    EXPECT_EQ(lr_intid(f.lr[0]), kSpi);
    EXPECT_EQ(lr_state(f.lr[0]), LrState::Pending);

    // Cleared at the source, then deactivated: not pending.
    f.lr[0] = lr_with_state(f.lr[0], LrState::Active);
    (void)lr_sync(*w.d, w.v[0], f);
    (void)set_line(*w.d, nullptr, kSpi, false);
    (void)lr_fill(*w.d, w.v[0], f, kTimer);
    f.lr[0] = lr_with_state(f.lr[0], LrState::Invalid);
    EXPECT_FALSE(lr_sync(*w.d, w.v[0], f).repended);
    EXPECT_FALSE(w.d->vgic.spi[0].pending & 1u);
}

TEST(VgicLevel, FoldKeepsPendingOnlyWhileHigh)
{
    VgicWorld w;
    w.d->vgic.enabled = true;
    enable(w, kPpi);
    (void)set_line(*w.d, &w.v[0], kPpi, true);
    LrFile f = w.lrs(0);
    (void)lr_fill(*w.d, w.v[0], f, kTimer);
    f.lr[0] = lr_with_state(f.lr[0], LrState::Active);
    lr_fold_all(*w.d, w.v[0], f);
    // Active with the line still high: active and pending (IHI 0069, level inputs).
    EXPECT_TRUE(w.v[0].vgic.priv.active & (1u << kPpi));
    EXPECT_TRUE(w.v[0].vgic.priv.pending & (1u << kPpi));
}

TEST(VgicLevel, ClearPendingDoesNotClearAnAssertedLevel)
{
    VgicWorld w;
    (void)set_line(*w.d, nullptr, kSpi, true);
    VgicIrqBank& b = w.d->vgic.spi[0];
    (void)bank_write(b, BankReg::ClearPending, 1u);
    EXPECT_TRUE(b.pending & 1u);
    (void)set_line(*w.d, nullptr, kSpi, false);
    b.pending |= 1u;  // a guest's GICD_ISPENDR write
    (void)bank_write(b, BankReg::ClearPending, 1u);
    EXPECT_FALSE(b.pending & 1u);
}

TEST(VgicLevel, EdgeConfiguredKeepsItsLatch)
{
    VgicWorld w;
    w.d->vgic.spi[0].edge |= 1u;
    (void)set_line(*w.d, nullptr, kSpi, true);
    (void)set_line(*w.d, nullptr, kSpi, false);
    EXPECT_TRUE(w.d->vgic.spi[0].pending & 1u);
}

TEST(VgicLevel, UnsourcedLevelInterruptsAreUntouched)
{
    VgicWorld w;
    w.d->vgic.enabled = true;
    enable(w, 31);  // the event-channel PPI: injected, no modelled line
    (void)mark_pending(*w.d, &w.v[0], 31);
    LrFile f = w.lrs(0);
    (void)lr_fill(*w.d, w.v[0], f, kTimer);
    EXPECT_FALSE(IchLr::Eoi::get(f.lr[0]));
    f.dirty = 0;
    (void)lr_fill(*w.d, w.v[0], f, kTimer);
    EXPECT_EQ(lr_state(f.lr[0]), LrState::Pending);
    EXPECT_EQ(f.dirty, 0u);
}

TEST(VgicLevel, RetractsAPendingOnlyTimerLr)
{
    VgicWorld w;
    w.d->vgic.enabled = true;
    enable(w, 27);
    (void)mark_pending(*w.d, &w.v[0], 27);
    LrFile f = w.lrs(0);
    (void)lr_fill(*w.d, w.v[0], f, kTimer);
    f.dirty = 0;
    EXPECT_TRUE(lr_retract_hw(*w.d, w.v[0], f, 27));
    EXPECT_EQ(f.lr[0], 0u);
    EXPECT_EQ(f.dirty, 1u);
    EXPECT_EQ(w.v[0].vgic.lr_used, 0u);
    EXPECT_EQ(w.v[0].vgic.priv.pending & (1u << 27), 0u);
    // An active one (the guest is handling it) stays.
    (void)mark_pending(*w.d, &w.v[0], 27);
    (void)lr_fill(*w.d, w.v[0], f, kTimer);
    f.lr[0] = lr_with_state(f.lr[0], LrState::Active);
    (void)lr_sync(*w.d, w.v[0], f);
    EXPECT_FALSE(lr_retract_hw(*w.d, w.v[0], f, 27));
    EXPECT_EQ(w.v[0].vgic.lr_used, 1u);
}

}  // namespace
}  // namespace keel::arm64::vgic
