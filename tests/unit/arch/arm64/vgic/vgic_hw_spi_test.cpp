// SPDX-License-Identifier: MIT
//
// tests/unit/arch/arm64/vgic/vgic_hw_spi_test.cpp
// Checks the pure side of hardware-linked SPIs (VgicIrqBank::hw, a physical SPI
// given 1:1): their list registers carry HW = 1 and pINTID = the INTID (no EOI
// maintenance, no modelled line), the guest's deactivation frees the LR without
// touching the timer's bookkeeping, new pending state while the LR holds one is
// dropped, folding keeps the HW link, and the guest's distributor accesses ask
// for the right physical actions (HwSpiEffect): enable/disable, the pending
// latch through the physical SPI, releasing a physical SPI keel held active,
// and following GICD_IROUTER.
#include <gtest/gtest.h>

#include "vgic_fixture.hpp"

namespace keel::arm64::vgic {
namespace {

using test::VgicWorld;

constexpr uint32_t kSpi = 100;  // a host device's SPI (INTID 100: bank 2, bit 4)

// A dom0-like domain with SPI kSpi linked to the physical one.
VgicWorld hw_world()
{
    VgicWorld w{2, 256};
    w.d->vgic.spi[(kSpi - 32) / 32].hw |= 1u << (kSpi % 32);
    w.d->vgic.hw_count = 1;
    w.d->vgic.enabled = true;
    return w;
}

VgicIrqBank& bank_of(VgicWorld& w) { return w.d->vgic.spi[(kSpi - 32) / 32]; }
constexpr uint32_t kBit = 1u << (kSpi % 32);

TEST(VgicHwSpi, ListRegisterIsHardwareLinked)
{
    VgicWorld w = hw_world();
    bank_of(w).enabled |= kBit;
    bank_of(w).priority[kSpi % 32] = 0xa0;
    EXPECT_EQ(mark_pending(*w.d, nullptr, kSpi), 0u);  // IROUTER 0: vCPU 0
    LrFile f = w.lrs(0);
    const FillResult r = lr_fill(*w.d, w.v[0], f, HwLink{kGuestTimerVirtPpi, 27});
    EXPECT_EQ(r.hw_placed, 0u);  // not the timer's link
    ASSERT_EQ(w.v[0].vgic.lr_used, 1u);
    const uint64_t lr = f.lr[0];
    EXPECT_EQ(lr, make_lr(kSpi, 0xa0, LrState::Pending, kSpi));
    EXPECT_TRUE(lr_hw(lr));
    EXPECT_EQ(IchLr::PIntid::get(lr), kSpi);
    EXPECT_EQ(IchLr::VIntid::get(lr), kSpi);
    EXPECT_FALSE(IchLr::Eoi::get(lr));  // level or edge: no line modelled, no EOI maintenance
    EXPECT_EQ((lr >> 61) & 1u, 1u);     // HW is bit 61, pINTID bits 44:32
    EXPECT_EQ((lr >> 32) & 0x1fff, kSpi);
    EXPECT_EQ(w.d->vgic.lr_owner[kSpi - 32], 0u);

    // The guest takes it (active), and the device fires again meanwhile: the
    // physical SPI cannot (it is active), so nothing new; a stray pending bit is dropped.
    f.lr[0] = lr_with_state(lr, LrState::Active);
    (void)mark_pending(*w.d, nullptr, kSpi);
    f.dirty = 0;
    (void)lr_fill(*w.d, w.v[0], f, HwLink{});
    EXPECT_EQ(lr_state(f.lr[0]), LrState::Active);  // never pending+active with HW = 1
    EXPECT_EQ(bank_of(w).pending & kBit, 0u);

    // The guest deactivates it (the LR reads Invalid): LR free, the timer's bookkeeping untouched.
    f.lr[0] = lr_with_state(f.lr[0], LrState::Invalid);
    const SyncResult s = lr_sync(*w.d, w.v[0], f);
    EXPECT_EQ(s.released, 1u);
    EXPECT_FALSE(s.hw_released);
    EXPECT_EQ(w.v[0].vgic.lr_used, 0u);
    EXPECT_EQ(bank_of(w).in_lr & kBit, 0u);
}

TEST(VgicHwSpi, FoldKeepsTheLinkAcrossADeschedule)
{
    VgicWorld w = hw_world();
    bank_of(w).enabled |= kBit;
    (void)mark_pending(*w.d, nullptr, kSpi);
    LrFile f = w.lrs(0);
    (void)lr_fill(*w.d, w.v[0], f, HwLink{});
    f.lr[0] = lr_with_state(f.lr[0], LrState::Active);  // taken, not yet deactivated
    lr_fold_all(*w.d, w.v[0], f);
    EXPECT_NE(bank_of(w).active & kBit, 0u);
    // Loaded again (any CPU): back in a list register, HW = 1, active.
    LrFile g;
    g.count = 4;
    (void)lr_fill(*w.d, w.v[0], g, HwLink{});
    EXPECT_EQ(g.lr[0], make_lr(kSpi, 0, LrState::Active, kSpi));
}

TEST(VgicHwSpi, TargetOnAnotherVcpuWaitsInTheBank)
{
    VgicWorld w = hw_world();
    bank_of(w).enabled |= kBit;
    (void)w.gicd_write(0x6000 + 8 * kSpi, 1, 8);  // IROUTER: vCPU 1
    EXPECT_EQ(mark_pending(*w.d, nullptr, kSpi), 1u);
    LrFile f0 = w.lrs(0);
    (void)lr_fill(*w.d, w.v[0], f0, HwLink{});
    EXPECT_EQ(w.v[0].vgic.lr_used, 0u);
    LrFile f1 = w.lrs(1);
    (void)lr_fill(*w.d, w.v[1], f1, HwLink{});
    EXPECT_EQ(f1.lr[0], make_lr(kSpi, 0, LrState::Pending, kSpi));
}

TEST(VgicHwSpi, EnableAndDisableReachThePhysicalSpi)
{
    VgicWorld w = hw_world();
    const uint64_t isenabler = 0x100 + 4 * (kSpi / 32), icenabler = 0x180 + 4 * (kSpi / 32);
    MmioOutcome o = w.gicd_write(isenabler, kBit | 1u);  // INTID 96 too: not linked
    EXPECT_EQ(o.hw.first_intid, 96u);
    EXPECT_EQ(o.hw.enable, kBit);
    EXPECT_EQ(o.hw.disable, 0u);
    EXPECT_EQ(bank_of(w).enabled, kBit | 1u);
    o = w.gicd_write(icenabler, kBit);
    EXPECT_EQ(o.hw.disable, kBit);
    EXPECT_EQ(o.hw.enable, 0u);
    o = w.gicd_write(isenabler, 1u);  // only a software SPI: nothing physical
    EXPECT_FALSE(o.hw.any());
}

TEST(VgicHwSpi, PendingLatchGoesThroughThePhysicalSpi)
{
    VgicWorld w = hw_world();
    const uint64_t ispendr = 0x200 + 4 * (kSpi / 32), icpendr = 0x280 + 4 * (kSpi / 32);
    bank_of(w).enabled |= kBit;
    MmioOutcome o = w.gicd_write(ispendr, kBit);
    EXPECT_EQ(o.hw.set_pending, kBit);  // the physical SPI fires, and that makes it pending
    EXPECT_EQ(bank_of(w).pending & kBit, 0u);
    EXPECT_EQ(o.update, 0u);

    // keel took the physical SPI (pending in the bank, physical active): a clear
    // releases the physical one as well.
    (void)mark_pending(*w.d, nullptr, kSpi);
    o = w.gicd_write(icpendr, kBit);
    EXPECT_EQ(o.hw.clear_pending, kBit);
    EXPECT_EQ(o.hw.release, kBit);
    EXPECT_EQ(bank_of(w).pending & kBit, 0u);
    // Nothing held: the latch is cleared, nothing released.
    o = w.gicd_write(icpendr, kBit);
    EXPECT_EQ(o.hw.release, 0u);

    // Active in the bank (folded) and cleared by the guest: released too.
    bank_of(w).active |= kBit;
    o = w.gicd_write(0x380 + 4 * (kSpi / 32), kBit);
    EXPECT_EQ(o.hw.release, kBit);
    EXPECT_EQ(bank_of(w).active & kBit, 0u);
}

TEST(VgicHwSpi, IrouterMovesThePhysicalSpi)
{
    VgicWorld w = hw_world();
    MmioOutcome o = w.gicd_write(0x6000 + 8 * kSpi, 1, 8);
    EXPECT_EQ(o.hw.first_intid, 96u);
    EXPECT_EQ(o.hw.route, kBit);
    EXPECT_EQ(w.d->vgic.target[kSpi - 32], 1u);
    o = w.gicd_write(0x6000 + 8 * (kSpi + 1), 1, 8);  // a software SPI
    EXPECT_FALSE(o.hw.any());
}

TEST(VgicHwSpi, ResetKeepsTheLinks)
{
    VgicWorld w = hw_world();
    bank_of(w).enabled |= kBit;
    reset_domain(*w.d);
    EXPECT_EQ(bank_of(w).hw, kBit);
    EXPECT_EQ(bank_of(w).enabled, 0u);
}

TEST(VgicHwSpi, IrouterReadsBackWhatWasWritten)
{
    VgicWorld w{2, 256};
    const uint64_t value = (uint64_t{0x12} << 32) | (1u << 31) | 0x345678;  // Aff3, IRM, Aff2..0
    (void)w.gicd_write(0x6000 + 8 * 200, value, 8);
    EXPECT_EQ(w.gicd_read(0x6000 + 8 * 200, 8), value);
    EXPECT_EQ(w.d->vgic.target[200 - 32], 0u);  // IRM = 1: vCPU 0
    (void)w.gicd_write(0x6000 + 8 * 200 + 4, 0, 4);  // upper half: Aff3 = 0
    EXPECT_EQ(w.gicd_read(0x6000 + 8 * 200, 8), value & 0xffff'ffffu);
    (void)w.gicd_write(0x6000 + 8 * 200, ~uint64_t{0}, 8);  // RES0 bits dropped
    EXPECT_EQ(w.gicd_read(0x6000 + 8 * 200, 8), 0xff'80ff'ffffull);
}

}  // namespace
}  // namespace keel::arm64::vgic
