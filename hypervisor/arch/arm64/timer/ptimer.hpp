// SPDX-License-Identifier: MIT
//
// arch/arm64/timer/ptimer.hpp
// Owns the guests' EL1 physical timer, emulated as Xen does (xen/arch/arm/
// vtimer.c, facts only): CNTHCTL_EL2.EL1PCEN = 0 traps every CNTP_CTL_EL0 /
// CNTP_CVAL_EL0 / CNTP_TVAL_EL0 access to keel, which keeps the registers per
// vCPU and raises the timer's interrupt, PPI 30 (GUEST_TIMER_PHYS_NS_PPI, as the
// guest DT's timer node says), from a keel timer. The counter is the physical
// one the guest reads itself (CNTPCT_EL0, EL1PCTEN = 1, no offset), as under
// Xen, so CVAL/TVAL mean the same to guest and keel.
//
// Unlike Xen, PPI 30 is a level line (vgic_set_line): it is high while ENABLE,
// the condition (count >= CVAL) and !IMASK hold, so the guest's write that
// disables, masks or moves the timer withdraws a pending interrupt, and one
// still asserted after the guest's EOI is pending again. ISTATUS is computed at
// each read (Xen's only changes when its timer fires). Target only; the
// arithmetic is ptimer_calc.hpp.
#pragma once
#include <cstdint>

#include "core/time/timer_queue.hpp"

namespace keel {
struct Vcpu;
}  // namespace keel

namespace keel::arm64 {

/// v's physical timer disabled, its keel timer bound to v. Before v first runs.
void ptimer_vcpu_init(Vcpu& v);

/// A trapped access by v (running here) to CNTP_CTL_EL0, CNTP_CVAL_EL0 or
/// CNTP_TVAL_EL0 (`key`, as sysreg_iss.hpp encodes it). A read fills `value`.
void ptimer_access(Vcpu& v, uint32_t key, bool read, uint64_t& value);

/// v is being loaded on this CPU: its keel timer armed here at its deadline.
void ptimer_restore(Vcpu& v);

/// v leaves this CPU: its keel timer cancelled. Returns the physical count at
/// which a stand-in must raise its line (TimerQueue::kNever: none needed).
Ticks ptimer_save(Vcpu& v);

/// A stand-in timer for v fired: raises PPI 30 if the timer asserts it now
/// (a stale stand-in finds it does not, and does nothing). Any CPU.
void ptimer_check(Vcpu& v);

/// v is Dead; on the CPU it last ran on: its keel timer is not armed any more.
void ptimer_vcpu_destroy(Vcpu& v);

}  // namespace keel::arm64
