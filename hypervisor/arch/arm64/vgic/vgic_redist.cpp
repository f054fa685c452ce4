// SPDX-License-Identifier: MIT
//
// arch/arm64/vgic/vgic_redist.cpp
// Owns the emulated redistributors (GICR_*, GICv3 spec IHI 0069, "The GIC
// Redistributor register map"): one 128 KiB pair of frames per vCPU, RD_base
// (control, identification, power) then SGI_base (its SGIs and PPIs). No LPIs:
// GICR_TYPER.PLPIS = 0, and the LPI registers read as zero and ignore writes.
#include "arch/arm64/gic/gic_regs.hpp"
#include "arch/arm64/vgic/vgic_bank.hpp"
#include "arch/arm64/vgic/vgic_irq.hpp"
#include "arch/arm64/vgic/vgic_mmio.hpp"
#include "core/domain/domain.hpp"
#include "core/domain/vcpu.hpp"

namespace keel::arm64::vgic {
namespace {

constexpr uint64_t kSgiFrame = 0x10000;
// RD_base offsets.
constexpr uint32_t kCtlr = 0x0000, kIidr = 0x0004, kTyper = 0x0008, kStatusr = 0x0010,
                   kWaker = 0x0014, kSetlpir = 0x0040, kClrlpir = 0x0048, kPropbaser = 0x0070,
                   kPendbaser = 0x0078, kInvlpir = 0x00a0, kInvallr = 0x00b0, kSyncr = 0x00c0,
                   kIdRegs = 0xffd0, kPidr2 = 0xffe8;
// SGI_base offsets.
constexpr uint32_t kIgroupr0 = 0x0080, kIpriorityr = 0x0400, kIcfgr0 = 0x0c00, kIcfgr1 = 0x0c04,
                   kIgrpmodr0 = 0x0d00, kNsacr = 0x0e00;

// GICR_WAKER (IHI 0069): ChildrenAsleep follows ProcessorSleep at once.
using WakerProcessorSleep = gicr::WakerBits::ProcessorSleep;
using WakerChildrenAsleep = gicr::WakerBits::ChildrenAsleep;

MmioOutcome raz_wi(MmioAccess& a, uint8_t widths)
{
    if (!width_ok(a, widths)) return {MmioStatus::BadAccess};
    if (!a.write) a.value = 0;
    return {};
}

MmioOutcome read_only32(MmioAccess& a, uint32_t value)
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

uint64_t typer(const Domain& d, const Vcpu& v)
{
    // Affinity = the vCPU's VMPIDR, Processor_Number = its index (as Xen), Last on
    // the final vCPU's frame so the guest's scan stops there.
    const bool last = v.id + 1 >= d.vcpu_count;
    return gicr::TyperBits::AffinityValue::make(mpidr_affinity32(vcpu_affinity(v))) |
           gicr::TyperBits::ProcessorNumber::make(v.id) | gicr::TyperBits::Last::make(last);
}

MmioOutcome rd_frame(Domain& d, Vcpu& v, uint32_t off, MmioAccess& a)
{
    switch (off) {
        case kCtlr: return raz_wi(a, kW32);  // EnableLPIs RAZ/WI (no LPIs), RWP = UWP = 0
        case kIidr: return read_only32(a, kVgicIidr);
        case kTyper:
        case kTyper + 4:
            if (!width_ok(a, kW32 | kW64)) return {MmioStatus::BadAccess};
            if (!a.write) a.value = read64(typer(d, v), a);
            return {};
        case kStatusr: return raz_wi(a, kW32);
        case kWaker:
            if (!width_ok(a, kW32)) return {MmioStatus::BadAccess};
            if (a.write) {
                v.vgic.asleep = WakerProcessorSleep::get(a.value);
            } else {
                a.value = WakerProcessorSleep::make(v.vgic.asleep) |
                          WakerChildrenAsleep::make(v.vgic.asleep);
            }
            return {};
        case kSetlpir:
        case kSetlpir + 4:
        case kClrlpir:
        case kClrlpir + 4:
        case kPropbaser:
        case kPropbaser + 4:
        case kPendbaser:
        case kPendbaser + 4:
        case kInvlpir:
        case kInvlpir + 4:
        case kInvallr:
        case kInvallr + 4: return raz_wi(a, kW32 | kW64);
        case kSyncr: return raz_wi(a, kW32);  // Busy = 0
        case kPidr2: return read_only32(a, kVgicPidr2);
        default: break;
    }
    if (off >= kIdRegs && off <= 0xfffc) return read_only32(a, 0);
    return unimplemented(a);
}

MmioOutcome sgi_frame(Domain& d, Vcpu& v, uint32_t off, MmioAccess& a)
{
    VgicIrqBank& b = v.vgic.priv;
    const uint32_t self = uint32_t{1} << v.id;
    if (off == kIgroupr0 || off == kIgrpmodr0 || off == kNsacr)
        return raz_wi(a, kW32);  // Secure-only
    if (off >= 0x100 && off < 0x400 && off % 0x80 == 0) {
        if (!width_ok(a, kW32)) return {MmioStatus::BadAccess};
        const BankReg r = bank_reg_at(off);
        if (!a.write) {
            a.value = bank_read(d, b, 0, &v, r);
            return {};
        }
        const uint32_t changed = bank_write(b, r, static_cast<uint32_t>(a.value));
        return {MmioStatus::Ok, changed != 0 ? self : 0};
    }
    if (off >= kIpriorityr && off < kIpriorityr + 32) {
        if (!width_ok(a, kW8 | kW32)) return {MmioStatus::BadAccess};
        priority_access(b, off - kIpriorityr, a);
        return {};
    }
    if (off == kIcfgr0) return read_only32(a, 0xaaaa'aaaau);  // SGIs: always edge-triggered
    if (off == kIcfgr1) {                                     // PPIs: configurable
        if (!width_ok(a, kW32)) return {MmioStatus::BadAccess};
        if (a.write) {
            icfgr_write(b, 1, static_cast<uint32_t>(a.value));
        } else {
            a.value = icfgr_read(b, 1);
        }
        return {};
    }
    return unimplemented(a);
}

}  // namespace

MmioOutcome vgicr_access(Domain& d, MmioAccess& a)
{
    const uint64_t frame = a.offset / kVgicRedistStride;
    const uint32_t off = static_cast<uint32_t>(a.offset % kVgicRedistStride);
    Vcpu* v = frame < d.vcpu_count && frame < kMaxVcpusPerDomain ? d.vcpus[frame] : nullptr;
    if (v == nullptr) {  // no redistributor here (past the Last frame): RAZ/WI
        if (!a.write) a.value = 0;
        return {};
    }
    if (off < kSgiFrame) return rd_frame(d, *v, off, a);
    return sgi_frame(d, *v, static_cast<uint32_t>(off - kSgiFrame), a);
}

}  // namespace keel::arm64::vgic
