// SPDX-License-Identifier: MIT
//
// tests/fuzz/support/fake_sched.hpp
// Owns the handler harness's one fake CPU (fake_sched.cpp, fake_cpu.cpp):
// which vCPU is loaded and its trap frame, the scheduler calls keel's handlers
// make (start, wake, block, yield, kill: recorded as vCPU state changes, as
// the round-robin scheduler would leave them), the preemption answers long
// hypercalls poll (from a pattern the input gives), vGIC injections (counted
// per vCPU), the EL2 timer over a fake clock with CPU 0's real TimerQueue,
// cross-CPU calls run in place, and keel's log (silent unless
// FUZZ_HANDLERS_LOG is set in the environment).
#pragma once
#include <cstdint>

#include "arch/arm64/entry/trap_frame.hpp"
#include "core/time/timer_queue.hpp"

namespace keel {
struct Vcpu;
}

namespace keel::fuzz {

/// Loads v on the fake CPU (state Running) for one hypercall; nullptr unloads.
void set_current_vcpu(Vcpu* v);
arm64::TrapFrame& fake_frame();

/// The next preemption checks answer bit 0, 1, ... of `pattern` (then false).
void set_preempt_pattern(uint32_t pattern);
/// How many checks answered true since the last set_preempt_pattern.
unsigned preempt_hits();

/// vcpu_kill of a Running vCPU: true when it was asked (and clears the request).
bool take_kill_request(Vcpu& v);

/// Event PPIs injected into v since the last call (cleared).
uint32_t take_injections(Vcpu& v);

/// The fake clock; advancing it runs CPU 0's expired timers.
Ticks fake_now();
void advance_time(Ticks by);

}  // namespace keel::fuzz
