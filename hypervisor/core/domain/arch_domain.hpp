// SPDX-License-Identifier: MIT
//
// core/domain/arch_domain.hpp
// Owns the architecture interface the domain builders (core/boot/domain_builder,
// dom0_builder, build_steps) and the control domain's host facts
// (core/hypercall/ctl_facts) use for a domain's CPU-specific parts: the
// virtual interrupt controller (layout, vCPU reset, hardware-linked SPIs), the
// CPU features a domain sees, vCPU 0's reset state, the counter a domain's
// virtual time starts from and its rate, and the stage-2 input size. core/ reaches them
// through this one header; on arm64 they are the vGIC, the ID-register view,
// the EL1 reset state and VTCR_EL2 (x86-64 will supply its own).
#pragma once
#include <cstdint>

#include "arch/arm64/hw/sysreg.hpp"
#include "arch/arm64/mmu/stage2_control.hpp"
#include "arch/arm64/timer/hyp_timer.hpp"
#include "arch/arm64/vcpu/id_reg_trap.hpp"
#include "arch/arm64/vcpu/initial_state.hpp"
#include "arch/arm64/vgic/vgic.hpp"
#include "core/memory/p2m.hpp"

namespace keel {

// The vGIC's functions are in namespace keel already (arch/arm64/vgic/vgic.hpp).
using arm64::cpu_features_domain_init;
using arm64::reset_vcpu_context;

/// The counter value a new domain's virtual time is measured from (CNTVOFF_EL2).
inline uint64_t arch_counter_now() { return arm64::CntpctEl0::read(); }

/// The counter's rate in Hz (physinfo's cpu_khz comes from it).
inline uint64_t arch_counter_hz() { return arm64::timer::rate().hz(); }

/// The stage-2 input-address size every guest gets on this machine.
inline unsigned arch_guest_ipa_bits() { return arm64::vtcr_ipa_bits(p2m_vtcr()); }

}  // namespace keel
