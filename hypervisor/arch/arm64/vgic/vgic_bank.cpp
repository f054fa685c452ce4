// SPDX-License-Identifier: MIT
//
// arch/arm64/vgic/vgic_bank.cpp
// Owns the shared register semantics declared in vgic_bank.hpp.
#include "arch/arm64/vgic/vgic_bank.hpp"

#include "arch/arm64/vgic/vgic_irq.hpp"
#include "arch/arm64/vgic/vgic_mmio.hpp"
#include "core/domain/domain.hpp"
#include "core/domain/vcpu.hpp"

namespace keel::arm64::vgic {

bool width_ok(const MmioAccess& a, uint8_t widths)
{
    const bool size_ok =
        (a.size == 1 || a.size == 2 || a.size == 4 || a.size == 8) && (a.size & widths) != 0;
    return size_ok && (a.offset % a.size) == 0;
}

uint64_t read64(uint64_t reg, const MmioAccess& a)
{
    if (a.size == 8) return reg;
    return (reg >> ((a.offset & 4) * 8)) & 0xffff'ffffu;
}

uint64_t write64(uint64_t reg, const MmioAccess& a)
{
    if (a.size == 8) return a.value;
    const unsigned shift = static_cast<unsigned>((a.offset & 4) * 8);
    const uint64_t mask = uint64_t{0xffff'ffff} << shift;
    return (reg & ~mask) | ((a.value & 0xffff'ffffu) << shift);
}

BankReg bank_reg_at(uint32_t offset)
{
    // 0x100 ISENABLER, 0x180 ICENABLER, 0x200 ISPENDR, 0x280 ICPENDR,
    // 0x300 ISACTIVER, 0x380 ICACTIVER (the same in GICD and GICR SGI_base).
    return static_cast<BankReg>((offset - 0x100) / 0x80);
}

namespace {

// Bits of `b` held in list registers whose last-seen state is pending (or active).
uint32_t lr_bits(const Domain& d, const VgicIrqBank& b, uint32_t first_intid, const Vcpu* owner,
                 bool want_active)
{
    uint32_t out = 0;
    for (uint32_t i = 0; i < 32; ++i) {
        if (!(b.in_lr & (uint32_t{1} << i))) continue;
        const uint32_t intid = first_intid + i;
        const Vcpu* holder = owner;
        if (is_spi(intid)) {
            const uint8_t o = d.vgic.lr_owner[spi_index(intid)];
            holder = o < kMaxVcpusPerDomain ? d.vcpus[o] : nullptr;
        }
        if (holder == nullptr) continue;
        const LrState s = lr_snapshot_state(holder->vgic, intid);
        if (want_active ? lr_state_active(s) : lr_state_pending(s)) out |= uint32_t{1} << i;
    }
    return out;
}

}  // namespace

uint32_t bank_read(const Domain& d, const VgicIrqBank& b, uint32_t first_intid, const Vcpu* owner,
                   BankReg r)
{
    switch (r) {
        case BankReg::SetEnable:
        case BankReg::ClearEnable: return b.enabled;
        case BankReg::SetPending:
        case BankReg::ClearPending: return b.pending | lr_bits(d, b, first_intid, owner, false);
        case BankReg::SetActive:
        case BankReg::ClearActive: return b.active | lr_bits(d, b, first_intid, owner, true);
    }
    return 0;
}

uint32_t bank_write(VgicIrqBank& b, BankReg r, uint32_t value)
{
    switch (r) {
        case BankReg::SetEnable: {
            const uint32_t newly = value & ~b.enabled;
            b.enabled |= value;
            return newly & b.pending;
        }
        case BankReg::ClearEnable: b.enabled &= ~value; return 0;
        case BankReg::SetPending: {
            // Hardware-linked SPIs become pending through their physical SPI
            // (HwSpiEffect::set_pending), never in the bank directly.
            const uint32_t sw = value & ~b.hw;
            b.pending |= sw;
            return sw & b.enabled;
        }
        case BankReg::ClearPending:
            // A level interrupt whose line is still high stays pending (IHI 0069,
            // GICD_ICPENDR: the write does not affect an asserted level input).
            b.pending &= ~(value & ~(follows_line(b) & b.line));
            return 0;
        case BankReg::SetActive: b.active |= value & ~b.in_lr; return value & ~b.in_lr;
        case BankReg::ClearActive: b.active &= ~value; return 0;
    }
    return 0;
}

void priority_access(VgicIrqBank& b, uint32_t index, MmioAccess& a)
{
    if (a.write) {
        for (uint32_t k = 0; k < a.size && index + k < 32; ++k) {
            b.priority[index + k] = static_cast<uint8_t>((a.value >> (8 * k)) & kVgicPriorityMask);
        }
    } else {
        uint64_t v = 0;
        for (uint32_t k = 0; k < a.size && index + k < 32; ++k) {
            v |= uint64_t{b.priority[index + k]} << (8 * k);
        }
        a.value = v;
    }
}

// GICD_ICFGR<n> / GICR_ICFGR<n>: two bits per INTID, Int_config[1] (the odd
// bit) = edge-triggered; Int_config[0] is RES0.
uint32_t icfgr_read(const VgicIrqBank& b, uint32_t half)
{
    uint32_t v = 0;
    for (uint32_t i = 0; i < 16; ++i) {
        if (b.edge & (uint32_t{1} << (half * 16 + i))) v |= uint32_t{2} << (2 * i);
    }
    return v;
}

void icfgr_write(VgicIrqBank& b, uint32_t half, uint32_t value)
{
    for (uint32_t i = 0; i < 16; ++i) {
        const uint32_t bit = uint32_t{1} << (half * 16 + i);
        if (value & (uint32_t{2} << (2 * i))) {
            b.edge |= bit;
        } else {
            b.edge &= ~bit;
        }
    }
}

}  // namespace keel::arm64::vgic
