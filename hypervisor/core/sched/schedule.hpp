// SPDX-License-Identifier: MIT
//
// core/sched/schedule.hpp
// Owns running vCPUs on physical CPUs: the per-CPU scheduling state (which vCPU
// is current, its time slice on keel's EL2 timer), the scheduling point every
// guest trap ends in (switch to whatever the Scheduler picks, or wait for work
// inside the trap context), the first entry of each CPU into guests, and the
// vCPU state requests the rest of keel makes: start, wake, kick, block, yield,
// power off, kill. Cross-CPU effects are posted as work + SGI (style.md c.9).
// Target only; the policy itself is core/sched/round_robin (pure).
#pragma once
#include <cstddef>

#include "arch/arm64/entry/trap_frame.hpp"
#include "core/sched/scheduler.hpp"

namespace keel {

struct Vcpu;

// 2 ms, not 10: with more vCPUs than CPUs, a runnable (preempted, not blocked)
// vCPU waits up to a slice per vCPU ahead of it; measured on linux-2domu (4 vCPUs
// on 2 CPUs), 2 ms boots both guests ~15% sooner and keeps `sleep 1` closer to 1 s.
inline constexpr uint64_t kDefaultSliceMs = 2;

/// Configures the scheduler for the CPUs online now. Boot CPU, after the
/// secondaries are up and before any domain is built. (Called lazily with the
/// defaults if a vCPU is started first.)
void sched_init(uint64_t slice_ms = kDefaultSliceMs);

/// The CPU a new vCPU starts on: the online CPUs in turn (boot CPU, while
/// domains are built).
CpuIndex sched_place_vcpu();

/// Every online CPU stops idling and runs vCPUs from now on (the others through
/// a cross-CPU call, this one directly). Boot CPU, after the domains are built.
[[noreturn]] void sched_start_all_cpus();

/// The vCPU this CPU runs (whose trap is being handled), or nullptr.
Vcpu* current_vcpu();
/// The guest's registers of the trap being handled on this CPU (the top of its stack).
arm64::TrapFrame& current_frame();

/// Offline → Runnable: `prepare` runs under the scheduler's lock first (it
/// writes the entry state). False when v was not Offline or its domain is ending.
bool vcpu_start(Vcpu& v, PrepareFn prepare, void* ctx);
/// Blocked → Runnable (no effect in other states, but a WFI about to block sees it).
void vcpu_wake(Vcpu& v);
/// v has new pending virtual interrupts: wake it if blocked, and make the CPU
/// running it re-sync its list registers (vgic_save + vgic_restore) before it
/// next enters the guest, sending that CPU an SGI when it is another one.
void vcpu_kick(Vcpu& v);

// Requests for the current vCPU, carried out when its trap ends.
/// WFI: block until vcpu_wake() (the caller checked that nothing is pending).
void vcpu_block(Vcpu& v);
/// WFE: let another vCPU run if one waits.
void vcpu_yield(Vcpu& v);
/// PSCI CPU_OFF: Offline until another vCPU's CPU_ON.
void vcpu_power_off(Vcpu& v);

/// For long hypercalls (core/hypercall): the current vCPU should leave this CPU
/// soon — its slice is over or this CPU has pending work (a wake, a cross-CPU
/// call). Interrupts are masked in keel, so this looks at the deadline itself.
bool sched_preempt_pending();

/// Domain ending: any state but Running → Dead (true); a Running vCPU's CPU is
/// sent an SGI and stops it at its next scheduling point (false).
bool vcpu_kill(Vcpu& v);

/// The scheduling point at the end of every guest trap on this CPU: carries out
/// the current vCPU's request, its slice end or its domain's end; switches
/// `frame` (and the CPU's registers) to the next vCPU; waits inside the trap when
/// none is runnable. Returns with a vCPU loaded and in `frame`.
void schedule(arm64::TrapFrame& frame);

}  // namespace keel
