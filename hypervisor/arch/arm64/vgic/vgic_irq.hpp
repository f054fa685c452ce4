// SPDX-License-Identifier: MIT
//
// arch/arm64/vgic/vgic_irq.hpp
// Owns the per-interrupt rules of keel's virtual GICv3, independent of any
// hardware: where an INTID's state lives (a vCPU's private bank or the
// distributor's SPI banks), which vCPU an SPI routes to (GICD_IROUTER affinity),
// marking an interrupt pending, and what a vCPU has pending that it could take.
// Every function here expects the domain's vGIC lock held (VgicDomainState::lock).
#pragma once
#include <cstdint>

#include "arch/arm64/vgic/ich_regs.hpp"
#include "arch/arm64/vgic/vgic_state.hpp"

namespace keel {
struct Domain;
struct Vcpu;
}  // namespace keel

namespace keel::arm64::vgic {

// One INTID's place: the bank holding it and its bit there.
struct IrqSlot {
    VgicIrqBank* bank = nullptr;  // nullptr: not an INTID this vGIC implements
    uint32_t bit = 0;             // mask with one bit set
    uint32_t index = 0;           // bit number (= intid % 32)
};

/// An SPI some domain could have (an index into the SPI arrays).
constexpr bool is_spi(uint32_t intid) { return intid >= 32 && intid < kVgicIntidLimit; }
/// An SPI this domain shows (below 32 + nr_spis).
constexpr bool is_spi(const VgicDomainState& s, uint32_t intid)
{
    return intid >= 32 && intid - 32 < s.nr_spis && intid < kVgicIntidLimit;
}
constexpr bool is_private(uint32_t intid) { return intid < 32; }
constexpr uint32_t spi_index(uint32_t intid) { return intid - 32; }
/// SPI banks (32 SPIs each) the domain shows.
constexpr uint32_t spi_banks(const VgicDomainState& s)
{
    return s.nr_spis / 32 < kVgicSpiBanks ? s.nr_spis / 32 : kVgicSpiBanks;
}

/// GICD_IROUTER<32 + n> as the guest wrote it (its Aff fields and routing mode).
uint64_t irouter_of(const VgicDomainState& s, uint32_t n);
/// Stores GICD_IROUTER<32 + n> (fields other than Aff3..Aff0 and
/// Interrupt_Routing_Mode dropped) and recomputes its target.
void set_irouter(Domain& d, uint32_t n, uint64_t value);

/// The distributor's reset state: forwarding off, SPIs disabled, level,
/// priority 0, routed to vCPU 0 (GICD_IROUTER = 0).
void reset_domain(Domain& d);

/// A vCPU's reset state: SGIs/PPIs disabled, priority 0, SGIs edge and PPIs
/// level, redistributor asleep, no list register used, virtual CPU interface on
/// (ICH_HCR_EL2.En) with everything masked (ICH_VMCR_EL2 = 0).
void reset_vcpu(Vcpu& v);

/// The slot of `intid` as seen by vCPU v (SGIs/PPIs are v's own).
IrqSlot irq_slot(Domain& d, Vcpu& v, uint32_t intid);

/// vCPU v's affinity as the GIC sees it (Aff3..Aff0 of its VMPIDR; Xen's
/// numbering, Aff0 = id % 16, Aff1 = id / 16, when VMPIDR is not set yet).
uint64_t vcpu_affinity(const Vcpu& v);

/// The vCPU index an SPI with this GICD_IROUTER value goes to: the vCPU whose
/// affinity matches, vCPU 0 for Interrupt_Routing_Mode = 1 ("any PE"), or
/// kVgicNoVcpu when no vCPU matches (the SPI then stays pending, undelivered).
uint8_t route_target(const Domain& d, uint64_t irouter);

/// Recomputes every SPI's target (after vCPUs were added).
void recompute_targets(Domain& d);

/// Marks `intid` pending (SGI/PPI: on vCPU *v, which must be given; SPI: in the
/// distributor, v is ignored). Returns the index of the vCPU that should
/// re-evaluate its list registers, or kVgicNoVcpu when none (unknown INTID,
/// private INTID without a vCPU, unrouted SPI).
uint8_t mark_pending(Domain& d, Vcpu* v, uint32_t intid);

/// The device line driving `intid` is now `high` (SGI/PPI: v's, which must be
/// given; SPI: v is ignored). Rising: pending as mark_pending(). Falling, when the
/// interrupt is level-triggered: no longer pending (a list register holding it
/// drops its pending part at the holder's next lr_fill). Returns the vCPU that
/// should re-evaluate its list registers, or kVgicNoVcpu.
uint8_t set_line(Domain& d, Vcpu* v, uint32_t intid, bool high);

/// Whether an interrupt not yet in a list register may be offered to v:
/// enabled, pending and the distributor forwarding (GICD_CTLR.EnableGrp1A).
uint32_t offerable(const Domain& d, const VgicIrqBank& b);

/// Bits of SPI bank `b` routed to vCPU `vcpu`.
uint32_t spi_targets_mask(const Domain& d, uint32_t bank, uint8_t vcpu);

/// The state keel last saw in v's list registers for `intid` (Invalid when none).
LrState lr_snapshot_state(const VgicCpuState& c, uint32_t intid);

/// Whether v has an interrupt its virtual CPU interface would signal now, for
/// WFI: pending in a list register (as last synced) or offerable in the banks,
/// with priority above ICH_VMCR_EL2.VPMR and Group 1 enabled (VENG1).
bool has_deliverable(const Domain& d, const Vcpu& v, uint64_t vmcr);

}  // namespace keel::arm64::vgic
