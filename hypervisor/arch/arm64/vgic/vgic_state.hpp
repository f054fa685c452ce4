// SPDX-License-Identifier: MIT
//
// arch/arm64/vgic/vgic_state.hpp
// Owns the state of keel's virtual GICv3: VgicDomainState (the emulated
// distributor: per-SPI enable/pending/active/priority/config/route, and the one
// lock that guards every vGIC field of the domain) and VgicCpuState (one vCPU:
// its redistributor's SGI/PPI state, which list registers hold what, and the
// saved ICH_* registers while it is off its CPU).
//
// Where an interrupt's pending/active state lives: while a vCPU is loaded on a
// CPU (between vgic_restore and vgic_save), an interrupt marked `in_lr` has its
// state in that CPU's list register; every other pending/active state is in the
// banks here. vgic_save folds the list registers back, so a vCPU that is not
// loaded has no `in_lr` interrupts.
//
// Level-triggered interrupts with a modelled source (`sourced`): outside a list
// register their pending bit equals `line`; in one, the pending part is dropped
// when the line falls (lr_fill) and re-made when the guest deactivates it while
// the line is still high (lr_sync, woken by the LR's EOI maintenance interrupt).
//
// Hardware-linked SPIs (`hw`, vgic_route_hw_spi: physical SPI n is the domain's
// virtual SPI n): their pending state outside a list register means keel took
// the physical interrupt and holds it active for the guest; in a list register
// they carry HW = 1 and pINTID = n, so the guest's deactivation deactivates the
// physical one. No line is modelled for them: a level the device still holds
// makes the physical GIC fire again after that deactivation.
//
// Size: a domain has room for kVgicMaxSpis SPIs (QEMU virt's GIC has 256); how
// many it shows is VgicDomainState::nr_spis (domU: 32, dom0: the host's).
#pragma once
#include <cstdint>

#include "arch/arm64/hw/spinlock.hpp"

namespace keel {

inline constexpr uint32_t kVgicDomuSpis = 32;                   // domU: INTIDs 32..63 (ITLinesNumber 1)
inline constexpr uint32_t kVgicMaxSpis = 256;                   // any domain: INTIDs 32..287
inline constexpr uint32_t kVgicIntidLimit = 32 + kVgicMaxSpis;  // INTIDs a domain can have, SGIs/PPIs included
inline constexpr uint32_t kVgicSpiBanks = kVgicMaxSpis / 32;
inline constexpr uint32_t kVgicMaxLrs = 16;  // ICH_LR<n>_EL2, n < 16
inline constexpr uint8_t kVgicNoVcpu = 0xff;
inline constexpr int32_t kVgicNotLoaded = -1;
static_assert(kVgicMaxSpis % 32 == 0 && kVgicDomuSpis % 32 == 0 && kVgicDomuSpis <= kVgicMaxSpis);

/// The state of 32 consecutive INTIDs (one GICD/GICR register's worth).
struct VgicIrqBank {
    uint32_t enabled = 0;  // GIC[DR]_ISENABLER
    uint32_t pending = 0;  // pending, not in a list register
    uint32_t active = 0;   // active, not in a list register
    uint32_t edge = 0;     // GIC[DR]_ICFGR Int_config[1]: 1 = edge-triggered, 0 = level
    uint32_t in_lr = 0;    // held by a list register of the vCPU that has it (loaded)
    // Interrupts driven by a device line keel models (vgic_set_line: the vPL011,
    // the emulated physical timer) and that line's level now. While such an
    // interrupt is level-triggered its pending state follows the line.
    uint32_t sourced = 0;
    uint32_t line = 0;
    uint32_t hw = 0;  // hardware-linked SPIs (pINTID = INTID); always 0 in a vCPU's private bank
    uint8_t priority[32] = {};
};

/// Bits of `b` whose pending state follows their line (sourced and level-triggered).
constexpr uint32_t follows_line(const VgicIrqBank& b) { return b.sourced & ~b.edge; }

struct VgicDomainState {
    SpinLock lock;  // every vGIC field of the domain, its vCPUs' VgicCpuState included

    bool enabled = false;        // GICD_CTLR.EnableGrp1A: forward pending interrupts at all
    uint16_t nr_spis = kVgicDomuSpis;  // SPIs shown (VgicLayout::nr_spis): banks past them stay unused
    uint16_t hw_count = 0;             // hardware-linked SPIs (bits set in spi[].hw)
    VgicIrqBank spi[kVgicSpiBanks];
    // GICD_IROUTER<32+n> as the guest wrote it, stored in 5 bytes: Aff3.Aff2.Aff1.Aff0
    // packed (mpidr_affinity32) and Interrupt_Routing_Mode as bit n%32 of irm[n/32].
    uint32_t irouter_aff[kVgicMaxSpis] = {};
    uint32_t irm[kVgicSpiBanks] = {};
    uint8_t target[kVgicMaxSpis] = {};    // vCPU index it routes to, kVgicNoVcpu: none
    uint8_t lr_owner[kVgicMaxSpis] = {};  // the vCPU whose list register holds it (in_lr)

    bool logged_unimplemented = false;  // an unimplemented register was reported (once)
    bool logged_bad_access = false;     // a refused access (width, alignment) was reported (once)
};

struct VgicCpuState {
    VgicIrqBank priv;    // SGIs 0-15 and PPIs 16-31 (this vCPU's redistributor)
    bool asleep = true;  // GICR_WAKER.ProcessorSleep (ChildrenAsleep follows it)

    // List registers. While loaded: lr[] is the last value keel read or wrote and
    // lr_used the ones keel placed an interrupt in (the hardware may since have
    // retired them). While not loaded: all zero.
    uint64_t lr[kVgicMaxLrs] = {};
    uint32_t lr_used = 0;
    int32_t loaded_cpu = kVgicNotLoaded;  // CPU whose ICH_* registers hold this vCPU
    bool phys_timer_active = false;       // keel left the physical virtual-timer PPI active for it
    int32_t hw_spi_cpu = kVgicNotLoaded;  // the CPU its hardware-linked SPIs were last routed to

    // ICH_* registers while not loaded.
    uint64_t hcr = 0;
    uint64_t vmcr = 0;
    uint64_t ap0r[4] = {};
    uint64_t ap1r[4] = {};
};

}  // namespace keel
