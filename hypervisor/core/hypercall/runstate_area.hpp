// SPDX-License-Identifier: MIT
//
// core/hypercall/runstate_area.hpp
// Owns the scheduler's two calls that keep each vCPU's runstate (ABI §1.6):
// when a vCPU leaves a CPU its time so far is accounted and it becomes
// runnable, blocked or offline; when it is switched in it becomes running and
// its registered area (VCPUOP_register_runstate_memory_area) is rewritten
// through its own translation, failures ignored (as Xen). Target only.
#pragma once
#include "core/sched/scheduler.hpp"

namespace keel {

struct Vcpu;

/// v was just saved and leaves this CPU for `why` (before Scheduler::leave).
void runstate_switch_out(Vcpu& v, LeaveReason why);
/// v was just loaded on this CPU and is current.
void runstate_switch_in(Vcpu& v);

/// Writes v's runstate into `area` (a guest VA) through the translation of
/// `writer`, the vCPU loaded on this CPU (v itself, or the vCPU registering
/// the area for v), with XEN_RUNSTATE_UPDATE around it when the domain
/// enabled VMASST_TYPE_runstate_update_flag.
void runstate_write(Vcpu& writer, Vcpu& v, uint64_t area);

}  // namespace keel
