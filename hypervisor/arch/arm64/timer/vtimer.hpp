// SPDX-License-Identifier: MIT
//
// arch/arm64/timer/vtimer.hpp
// Owns the guests' EL1 virtual timers (Arm ARM DDI 0487, CNTV_CTL_EL0,
// CNTV_CVAL_EL0, CNTVOFF_EL2): the hardware timer belongs to the loaded vCPU
// while it runs, and its physical PPI (27 on QEMU virt) is forwarded to the
// guest through a hardware-linked list register; while a vCPU is off its CPU, a
// keel timer stands in for its timer and makes the virtual PPI pending (and
// wakes the vCPU) at the deadline. Target only; the arithmetic is vtimer_calc.hpp.
#pragma once
#include <cstdint>

#include "core/time/timer_queue.hpp"

namespace keel {
struct Vcpu;
}  // namespace keel

namespace keel::arm64 {

/// Registers the handler of the physical virtual-timer PPI `pintid`. Boot CPU,
/// once, before any vCPU runs (vgic_domain_init does it).
void vtimer_global_init(uint32_t pintid);

/// v's timer disabled, its stand-in timers bound to v. Before v first runs.
void vtimer_vcpu_init(Vcpu& v);

/// v is being loaded on this CPU (after vgic_restore): stand-in timers
/// cancelled, CNTVOFF_EL2 / CNTV_CVAL_EL0 / CNTV_CTL_EL0 from v.
void vtimer_restore(Vcpu& v);

/// v leaves this CPU (before vgic_save): CNTV_* saved into v and the hardware
/// timer disabled; when it is enabled and unmasked, a keel timer on this CPU
/// fires at its deadline, makes the virtual timer PPI pending and kicks v.
void vtimer_save(Vcpu& v);

/// v is Dead and about to be freed: returns once no keel timer or cross-CPU
/// request refers to it any more.
void vtimer_vcpu_destroy(Vcpu& v);

/// While v is off its CPU: the physical count (CNTPCT_EL0) at which its
/// virtual timer fires, or TimerQueue::kNever.
Ticks vtimer_deadline(const Vcpu& v);

}  // namespace keel::arm64
