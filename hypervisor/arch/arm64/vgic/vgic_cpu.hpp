// SPDX-License-Identifier: MIT
//
// arch/arm64/vgic/vgic_cpu.hpp
// Owns the vGIC-internal interface of vgic_cpu.cpp (this CPU's virtual CPU
// interface) that the domain side (vgic.cpp) uses. Target only.
#pragma once
#include <cstdint>

namespace keel {
struct Domain;
struct Vcpu;
}  // namespace keel

namespace keel::arm64::vgic {

/// Records the host's virtual-timer PPI and registers the maintenance
/// interrupt (INTID 25). Boot CPU, once, before any vCPU runs.
void cpu_interface_init(uint32_t timer_pintid);

/// The vCPUs in `mask` (bit i: d.vcpus[i]) may have something new to take:
/// straight into the list registers of one loaded on this CPU, a vcpu_kick for
/// the others. Domain vGIC lock NOT held.
void update_vcpus(Domain& d, uint32_t mask);

/// Before the guest reads its vGIC's state: when v is loaded here, its list
/// registers are synced (what the guest deactivated is released, level lines
/// resampled) and a pending-only virtual timer LR whose timer no longer asserts
/// is withdrawn, so GICR/GICD_IS{PEND,ACTIVE}R report the state now. Domain
/// vGIC lock held.
void refresh_for_read(Domain& d, Vcpu& v);

}  // namespace keel::arm64::vgic
