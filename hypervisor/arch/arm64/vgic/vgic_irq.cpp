// SPDX-License-Identifier: MIT
//
// arch/arm64/vgic/vgic_irq.cpp
// Owns the per-interrupt rules declared in vgic_irq.hpp: slots, routing,
// pending marking and the "anything to take?" test for WFI.
#include "arch/arm64/vgic/vgic_irq.hpp"

#include "arch/arm64/gic/gic_regs.hpp"
#include "core/boot/guest_layout.hpp"
#include "core/domain/domain.hpp"
#include "core/domain/vcpu.hpp"

namespace keel::arm64::vgic {

void reset_domain(Domain& d)
{
    VgicDomainState& s = d.vgic;
    s.enabled = false;
    // Hardware links survive a reset: they are the domain's configuration.
    for (auto& b : s.spi) b = VgicIrqBank{.hw = b.hw};
    for (uint32_t n = 0; n < kVgicMaxSpis; ++n) {
        s.irouter_aff[n] = 0;
        s.lr_owner[n] = kVgicNoVcpu;
    }
    for (auto& m : s.irm) m = 0;
    recompute_targets(d);
    s.logged_unimplemented = false;
}

void reset_vcpu(Vcpu& v)
{
    VgicCpuState& c = v.vgic;
    c.priv = VgicIrqBank{};
    c.priv.edge = 0xffff;  // GICR_ICFGR0: SGIs are always edge-triggered
    c.asleep = true;
    for (auto& lr : c.lr) lr = 0;
    c.lr_used = 0;
    c.loaded_cpu = kVgicNotLoaded;
    c.phys_timer_active = false;
    c.hw_spi_cpu = kVgicNotLoaded;  // its hardware-linked SPIs are routed again when it is loaded
    c.hcr = IchHcr::En::make(true);
    c.vmcr = 0;
    for (auto& r : c.ap0r) r = 0;
    for (auto& r : c.ap1r) r = 0;
}

IrqSlot irq_slot(Domain& d, Vcpu& v, uint32_t intid)
{
    if (is_private(intid)) return {&v.vgic.priv, uint32_t{1} << intid, intid};
    if (!is_spi(d.vgic, intid)) return {};
    const uint32_t n = spi_index(intid);
    return {&d.vgic.spi[n / 32], uint32_t{1} << (n % 32), n % 32};
}

uint64_t vcpu_affinity(const Vcpu& v)
{
    return v.vmpidr != 0 ? mpidr_affinity(v.vmpidr) : vcpu_mpidr_affinity(v.id);
}

uint8_t route_target(const Domain& d, uint64_t irouter)
{
    // GICv3 spec (IHI 0069), GICD_IROUTER<n>.Interrupt_Routing_Mode: 1 = any
    // participating PE; like Xen, keel always picks the first vCPU.
    if (gicd::IrouterBits::InterruptRoutingMode::get(irouter)) {
        return d.vcpu_count > 0 ? 0 : kVgicNoVcpu;
    }
    const uint64_t aff = mpidr_affinity(irouter);
    for (uint32_t i = 0; i < d.vcpu_count && i < kMaxVcpusPerDomain; ++i) {
        const Vcpu* v = d.vcpus[i];
        if (v != nullptr && vcpu_affinity(*v) == aff) return static_cast<uint8_t>(i);
    }
    return kVgicNoVcpu;
}

void recompute_targets(Domain& d)
{
    for (uint32_t n = 0; n < kVgicMaxSpis; ++n) d.vgic.target[n] = route_target(d, irouter_of(d.vgic, n));
}

uint64_t irouter_of(const VgicDomainState& s, uint32_t n)
{
    const uint32_t aff = s.irouter_aff[n];
    return gicd::IrouterBits::InterruptRoutingMode::make(((s.irm[n / 32] >> (n % 32)) & 1u) != 0) |
           Mpidr::Aff3::make(static_cast<uint8_t>(aff >> 24)) |
           Mpidr::Aff2::make(static_cast<uint8_t>(aff >> 16)) |
           Mpidr::Aff1::make(static_cast<uint8_t>(aff >> 8)) |
           Mpidr::Aff0::make(static_cast<uint8_t>(aff));
}

void set_irouter(Domain& d, uint32_t n, uint64_t value)
{
    VgicDomainState& s = d.vgic;
    s.irouter_aff[n] = mpidr_affinity32(value);
    const uint32_t bit = uint32_t{1} << (n % 32);
    if (gicd::IrouterBits::InterruptRoutingMode::get(value)) {
        s.irm[n / 32] |= bit;
    } else {
        s.irm[n / 32] &= ~bit;
    }
    s.target[n] = route_target(d, irouter_of(s, n));
}

uint8_t mark_pending(Domain& d, Vcpu* v, uint32_t intid)
{
    if (is_private(intid)) {
        if (v == nullptr) return kVgicNoVcpu;
        v->vgic.priv.pending |= uint32_t{1} << intid;
        return static_cast<uint8_t>(v->id);
    }
    if (!is_spi(d.vgic, intid)) return kVgicNoVcpu;
    const uint32_t n = spi_index(intid);
    VgicIrqBank& b = d.vgic.spi[n / 32];
    const uint32_t bit = uint32_t{1} << (n % 32);
    b.pending |= bit;
    // An SPI already in a list register merges there: its holder re-evaluates.
    if (b.in_lr & bit) return d.vgic.lr_owner[n];
    return d.vgic.target[n];
}

uint8_t set_line(Domain& d, Vcpu* v, uint32_t intid, bool high)
{
    IrqSlot s;
    if (is_private(intid)) {
        if (v == nullptr) return kVgicNoVcpu;
        s = irq_slot(d, *v, intid);
    } else if (is_spi(d.vgic, intid)) {
        const uint32_t n = spi_index(intid);
        s = {&d.vgic.spi[n / 32], uint32_t{1} << (n % 32), n % 32};
    } else {
        return kVgicNoVcpu;
    }
    s.bank->sourced |= s.bit;
    if (high) {
        s.bank->line |= s.bit;
        return mark_pending(d, v, intid);
    }
    s.bank->line &= ~s.bit;
    if (!(follows_line(*s.bank) & s.bit)) return kVgicNoVcpu;  // edge: the pending latch stays
    s.bank->pending &= ~s.bit;
    if (!(s.bank->in_lr & s.bit)) return kVgicNoVcpu;
    return is_spi(intid) ? d.vgic.lr_owner[spi_index(intid)] : static_cast<uint8_t>(v->id);
}

uint32_t offerable(const Domain& d, const VgicIrqBank& b)
{
    return d.vgic.enabled ? (b.enabled & b.pending & ~b.in_lr) : 0;
}

uint32_t spi_targets_mask(const Domain& d, uint32_t bank, uint8_t vcpu)
{
    uint32_t mask = 0;
    for (uint32_t i = 0; i < 32; ++i) {
        if (d.vgic.target[bank * 32 + i] == vcpu) mask |= uint32_t{1} << i;
    }
    return mask;
}

LrState lr_snapshot_state(const VgicCpuState& c, uint32_t intid)
{
    for (uint32_t i = 0; i < kVgicMaxLrs; ++i) {
        if ((c.lr_used & (uint32_t{1} << i)) && lr_intid(c.lr[i]) == intid)
            return lr_state(c.lr[i]);
    }
    return LrState::Invalid;
}

namespace {

// Some bit of `mask` in bank `b` has a priority above (numerically below) `pmr`.
bool any_above(const VgicIrqBank& b, uint32_t mask, uint32_t pmr)
{
    for (uint32_t i = 0; mask != 0; ++i, mask >>= 1) {
        if ((mask & 1u) && b.priority[i] < pmr) return true;
    }
    return false;
}

}  // namespace

bool has_deliverable(const Domain& d, const Vcpu& v, uint64_t vmcr)
{
    if (!IchVmcr::Veng1::get(vmcr)) return false;
    const uint32_t pmr = IchVmcr::Vpmr::get(vmcr);
    const VgicCpuState& c = v.vgic;
    for (uint32_t i = 0; i < kVgicMaxLrs; ++i) {
        if (!(c.lr_used & (uint32_t{1} << i))) continue;
        if (lr_state_pending(lr_state(c.lr[i])) && lr_priority(c.lr[i]) < pmr) return true;
    }
    if (any_above(c.priv, offerable(d, c.priv), pmr)) return true;
    for (uint32_t b = 0; b < spi_banks(d.vgic); ++b) {
        const uint32_t pending = offerable(d, d.vgic.spi[b]);
        if (pending == 0) continue;  // the common case: spi_targets_mask's scan skipped
        const uint32_t mask = pending & spi_targets_mask(d, b, static_cast<uint8_t>(v.id));
        if (any_above(d.vgic.spi[b], mask, pmr)) return true;
    }
    return false;
}

}  // namespace keel::arm64::vgic
