// SPDX-License-Identifier: MIT
//
// arch/arm64/vgic/vgic_dist.cpp
// Owns the emulated distributor (GICD_*, GICv3 spec IHI 0069, "The GIC
// Distributor register map"): every register Linux's GICv3 driver touches, with
// the SGI/PPI halves (INTIDs 0-31) reserved as they are with affinity routing
// on (they live in the redistributors).
#include "arch/arm64/gic/gic_regs.hpp"
#include "arch/arm64/vgic/vgic_bank.hpp"
#include "arch/arm64/vgic/vgic_irq.hpp"
#include "arch/arm64/vgic/vgic_mmio.hpp"
#include "core/domain/domain.hpp"

namespace keel::arm64::vgic {
namespace {

// Offsets (IHI 0069, "Distributor register map").
constexpr uint32_t kCtlr = 0x0000, kTyper = 0x0004, kIidr = 0x0008, kTyper2 = 0x000c,
                   kStatusr = 0x0010;
constexpr uint32_t kIgroupr = 0x0080, kBankRegs = 0x0100, kIpriorityr = 0x0400, kItargetsr = 0x0800,
                   kIcfgr = 0x0c00, kIgrpmodr = 0x0d00, kNsacr = 0x0e00, kSgir = 0x0f00,
                   kCpendsgir = 0x0f10, kIrouter = 0x6000, kIrouterEnd = 0x8000, kIdRegs = 0xffd0,
                   kPidr2 = 0xffe8;

// GICD_CTLR, Non-secure view with DS = 0 (IHI 0069, GICD_CTLR).
using CtlrEnableGrp1A = Bit<1>;
using CtlrAreNs = Bit<4>;
// GICD_TYPER.
using TyperItLines = BitField<4, 0, uint32_t>;
using TyperCpuNumber = BitField<7, 5, uint32_t>;
using TyperIdBits = BitField<23, 19, uint32_t>;

// A 32-bit register with fixed contents (reads `value`, ignores writes).
MmioOutcome fixed32(MmioAccess& a, uint32_t value)
{
    if (!width_ok(a, kW32)) return {MmioStatus::BadAccess};
    if (!a.write) a.value = value;
    return {};
}

MmioOutcome unimplemented(MmioAccess& a)
{
    if (!a.write) a.value = 0;
    return {MmioStatus::Unimplemented};
}

uint32_t all_vcpus(const Domain& d)
{
    return d.vcpu_count >= 32 ? ~uint32_t{0} : (uint32_t{1} << d.vcpu_count) - 1;
}

// vCPUs that should look at the SPIs in `bits` of bank `bank`.
uint32_t spi_update_mask(const Domain& d, uint32_t bank, uint32_t bits)
{
    uint32_t mask = 0;
    for (uint32_t i = 0; i < 32; ++i) {
        if (!(bits & (uint32_t{1} << i))) continue;
        const uint32_t n = bank * 32 + i;
        const bool held = d.vgic.spi[bank].in_lr & (uint32_t{1} << i);
        const uint8_t who = held ? d.vgic.lr_owner[n] : d.vgic.target[n];
        if (who < 32) mask |= uint32_t{1} << who;
    }
    return mask;
}

MmioOutcome ctlr(Domain& d, MmioAccess& a)
{
    if (!width_ok(a, kW32)) return {MmioStatus::BadAccess};
    if (!a.write) {
        // ARE_NS reads 1 and cannot be cleared; RWP is always 0 (writes take effect at once).
        a.value = CtlrAreNs::make(true) | CtlrEnableGrp1A::make(d.vgic.enabled);
        return {};
    }
    const bool was = d.vgic.enabled;
    d.vgic.enabled = CtlrEnableGrp1A::get(a.value);
    return {MmioStatus::Ok, (!was && d.vgic.enabled) ? all_vcpus(d) : 0};
}

uint32_t typer(const Domain& d)
{
    const uint32_t cpus = d.vcpu_count == 0 ? 1 : (d.vcpu_count > 8 ? 8 : d.vcpu_count);
    // No LPIs, no message-based SPIs, no extended SPIs, no Aff3; SecurityExtn 0 as under Xen.
    // ITLinesNumber N: INTIDs up to 32 * (N + 1) - 1 (domU: 1, dom0: the host's, capped).
    return static_cast<uint32_t>(TyperItLines::make(spi_banks(d.vgic)) |
                                 TyperCpuNumber::make(cpus - 1) |
                                 TyperIdBits::make(kVgicIdBits - 1));
}

// The physical side of a bank register write to hardware-linked SPIs, from the
// bank's state before the write.
HwSpiEffect hw_bank_effect(const VgicIrqBank& b, BankReg r, uint32_t value, uint32_t first_intid)
{
    HwSpiEffect e;
    const uint32_t hw = value & b.hw;
    if (hw == 0) return e;
    e.first_intid = first_intid;
    switch (r) {
        case BankReg::SetEnable: e.enable = hw; break;
        case BankReg::ClearEnable: e.disable = hw; break;
        case BankReg::SetPending: e.set_pending = hw; break;
        case BankReg::ClearPending:
            // Pending in the bank = keel took the physical SPI and holds it active.
            e.clear_pending = hw;
            e.release = hw & b.pending;
            break;
        case BankReg::ClearActive: e.release = hw & b.active; break;
        case BankReg::SetActive: break;
    }
    return e;
}

MmioOutcome bank(Domain& d, MmioAccess& a)
{
    if (!width_ok(a, kW32)) return {MmioStatus::BadAccess};
    const uint32_t off = static_cast<uint32_t>(a.offset);
    const uint32_t n = (off % 0x80) / 4;    // register index: INTIDs 32n..32n+31
    if (n == 0 || n > spi_banks(d.vgic)) {  // SGIs/PPIs (ARE = 1) or not implemented: RAZ/WI
        if (!a.write) a.value = 0;
        return {};
    }
    VgicIrqBank& b = d.vgic.spi[n - 1];
    const BankReg r = bank_reg_at(off);
    if (!a.write) {
        a.value = bank_read(d, b, 32 * n, nullptr, r);
        return {};
    }
    const uint32_t value = static_cast<uint32_t>(a.value);
    const HwSpiEffect hw = hw_bank_effect(b, r, value, 32 * n);
    const uint32_t changed = bank_write(b, r, value);
    return {MmioStatus::Ok, spi_update_mask(d, n - 1, changed), hw};
}

MmioOutcome priority(Domain& d, MmioAccess& a)
{
    if (!width_ok(a, kW8 | kW32)) return {MmioStatus::BadAccess};
    const uint32_t intid = static_cast<uint32_t>(a.offset) - kIpriorityr;
    if (!is_spi(d.vgic, intid)) {  // SGIs/PPIs (ARE = 1) or beyond the implemented SPIs: RAZ/WI
        if (!a.write) a.value = 0;
        return {};
    }
    const uint32_t n = spi_index(intid);
    priority_access(d.vgic.spi[n / 32], n % 32, a);
    return {};
}

MmioOutcome icfgr(Domain& d, MmioAccess& a)
{
    if (!width_ok(a, kW32)) return {MmioStatus::BadAccess};
    const uint32_t reg = (static_cast<uint32_t>(a.offset) - kIcfgr) / 4;  // 16 INTIDs each
    const uint32_t first = reg * 16;
    if (!is_spi(d.vgic, first)) {
        if (!a.write) a.value = 0;
        return {};
    }
    VgicIrqBank& b = d.vgic.spi[spi_index(first) / 32];
    const uint32_t half = (spi_index(first) % 32) / 16;
    if (a.write) {
        icfgr_write(b, half, static_cast<uint32_t>(a.value));
    } else {
        a.value = icfgr_read(b, half);
    }
    return {};
}

MmioOutcome irouter(Domain& d, MmioAccess& a)
{
    if (!width_ok(a, kW32 | kW64)) return {MmioStatus::BadAccess};
    const uint32_t intid = static_cast<uint32_t>(a.offset - kIrouter) / 8;
    if (!is_spi(d.vgic, intid)) {  // IROUTER<0..31> are reserved; beyond: not implemented SPIs
        if (!a.write) a.value = 0;
        return {};
    }
    const uint32_t n = spi_index(intid);
    if (!a.write) {
        a.value = read64(irouter_of(d.vgic, n), a);
        return {};
    }
    set_irouter(d, n, write64(irouter_of(d.vgic, n), a));
    const VgicIrqBank& b = d.vgic.spi[n / 32];
    const uint32_t bit = uint32_t{1} << (n % 32);
    HwSpiEffect hw;
    if (b.hw & bit) {
        hw.first_intid = 32 + n / 32 * 32;
        hw.route = bit;
    }
    return {MmioStatus::Ok, spi_update_mask(d, n / 32, offerable(d, b) & bit), hw};
}

}  // namespace

MmioOutcome vgicd_access(Domain& d, MmioAccess& a)
{
    const uint64_t off = a.offset;
    if (off == kCtlr) return ctlr(d, a);
    if (off == kTyper) return fixed32(a, typer(d));
    if (off == kIidr) return fixed32(a, kVgicIidr);
    if (off == kTyper2 || off == kStatusr) return fixed32(a, 0);
    if (off >= kIgroupr && off < kBankRegs) return fixed32(a, 0);  // Secure-only (DS = 0)
    if (off >= kBankRegs && off < kIpriorityr) return bank(d, a);
    if (off >= kIpriorityr && off < kItargetsr) return priority(d, a);
    if (off >= kItargetsr && off < kIcfgr) {  // ARE = 1: RAZ/WI
        if (!width_ok(a, kW8 | kW32)) return {MmioStatus::BadAccess};
        if (!a.write) a.value = 0;
        return {};
    }
    if (off >= kIcfgr && off < kIgrpmodr) return icfgr(d, a);
    if (off >= kIgrpmodr && off < kIgrpmodr + 0x80) return fixed32(a, 0);  // Secure-only
    if (off >= kNsacr && off < kSgir) return fixed32(a, 0);                // Secure-only
    if (off == kSgir) return fixed32(a, 0);              // ARE = 1: SGIs come through ICC_SGI1R_EL1
    if (off >= kCpendsgir && off < kCpendsgir + 0x20) {  // ARE = 1: RAZ/WI
        if (!width_ok(a, kW8 | kW32)) return {MmioStatus::BadAccess};
        if (!a.write) a.value = 0;
        return {};
    }
    if (off >= kIrouter && off < kIrouterEnd) return irouter(d, a);
    if (off == kPidr2) return fixed32(a, kVgicPidr2);
    if (off >= kIdRegs && off <= 0xfffc) return fixed32(a, 0);  // other ID registers: RAZ
    return unimplemented(a);
}

}  // namespace keel::arm64::vgic
