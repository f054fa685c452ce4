// SPDX-License-Identifier: MIT
//
// arch/arm64/gic/gic.hpp
// Owns keel's GICv3 driver (GICv3/v4 spec, Arm IHI 0069): distributor bring-up,
// each CPU's redistributor and system-register CPU interface, per-INTID
// enable/disable/priority/routing/trigger, SGIs, and the acknowledge / priority
// drop / deactivate steps the IRQ dispatcher (irq.cpp) uses. All interrupts are
// Non-secure Group 1; ICC_CTLR_EL1.EOImode = 1, so EOIR only drops priority and
// DIR deactivates (later, guest-routed interrupts are deactivated by the guest
// through hardware list registers).
//
// INTIDs < 32 (SGIs, PPIs) are banked per CPU: the per-INTID calls act on the
// calling CPU's redistributor. SPIs act on the distributor.
#pragma once
#include <cstdint>

#include "core/boot/boot_info.hpp"
#include "core/percpu.hpp"
#include "lib/result.hpp"

namespace keel::arm64::gic {

/// What the distributor reported at bring-up.
struct GicdSummary {
    uint32_t arch_rev = 0;         // 3 or 4 (GICD_PIDR2.ArchRev)
    uint32_t intids = 0;           // implemented INTIDs, SGIs and PPIs included
    bool single_security = false;  // GICD_CTLR.DS == 1
};

/// Brings up the distributor: everything off, all SPIs Non-secure Group 1,
/// disabled, level-sensitive, default priority, routed to `boot_mpidr`; then
/// affinity routing and Group 1 on. Boot CPU, once, before any init_cpu().
Result<GicdSummary> init_distributor(const GicInfo& info, uint64_t boot_mpidr);

/// Finds and wakes the calling CPU's redistributor (recorded in `self`), puts its
/// SGIs/PPIs in Group 1, disabled, at the default priority, and turns on the
/// system-register CPU interface. Every CPU, with `self` == this_cpu().
Result<void> init_cpu(PerCpu& self);

/// True once the distributor is up (SGIs may be sent after init_cpu()).
bool ready();
/// INTIDs the distributor implements (32 * (GICD_TYPER.ITLinesNumber + 1), at
/// most 1020), SGIs and PPIs included; 0 before init_distributor().
uint32_t intid_count();

void enable(uint32_t intid);
void disable(uint32_t intid);  // returns once the disable took effect (RWP)
void set_priority(uint32_t intid, uint8_t priority);
/// Edge (true) or level (false) for a PPI or SPI; only while it is disabled.
void set_edge_triggered(uint32_t intid, bool edge);
/// Routes an SPI to the PE with this MPIDR.
void route(uint32_t intid, uint64_t mpidr);
/// An SPI's pending latch (GICD_ISPENDR / GICD_ICPENDR).
void set_spi_pending(uint32_t intid, bool pending);
/// Deactivates an SPI through the distributor (GICD_ICACTIVER), from any CPU:
/// for one keel acknowledged and left active for a guest that no longer will.
void clear_spi_active(uint32_t intid);
/// An SPI's enable and active state as the distributor reports them.
bool spi_enabled(uint32_t intid);
bool spi_active(uint32_t intid);

/// Sends SGI `sgi` (0-15) to the PE with this MPIDR; false when the GIC cannot
/// address it (Aff0 >= 16 without ICC_CTLR_EL1.RSS).
bool send_sgi(uint64_t mpidr, uint32_t sgi);
/// Sends SGI `sgi` to every PE except the caller.
void send_sgi_to_others(uint32_t sgi);

/// ICC_IAR1_EL1: the INTID of the highest-priority pending interrupt, now
/// active (1020-1023: nothing to handle).
uint32_t acknowledge();
/// ICC_EOIR1_EL1 (priority drop only, EOImode = 1).
void priority_drop(uint32_t intid);
/// ICC_DIR_EL1 (deactivation).
void deactivate(uint32_t intid);

}  // namespace keel::arm64::gic
