// SPDX-License-Identifier: MIT
//
// arch/arm64/timer/hyp_timer.hpp
// Owns keel's own clock and timer on arm64: the system counter (CNTPCT_EL0, at
// CNTFRQ_EL0 Hz) as keel's time base, and the EL2 physical timer (CNTHP_*_EL2,
// PPI INTID BootInfo.timer.hyp_intid, normally 26) programmed to the earliest
// deadline of the calling CPU's TimerQueue. Also sets CNTHCTL_EL2 so that later
// guests read the counter freely but use the virtual timer (the EL1 physical
// timer traps, as in Xen).
#pragma once
#include <cstdint>

#include "core/boot/boot_info.hpp"
#include "core/time/tick_rate.hpp"
#include "core/time/timer_queue.hpp"
#include "lib/result.hpp"

namespace keel::arm64::timer {

/// Reads the counter frequency (CNTFRQ_EL0, or the DT's "clock-frequency" when the
/// register reads 0), records the EL2 timer INTID and registers its handler.
/// Boot CPU, once, after the GIC distributor is up.
Result<void> init(const TimerInfo& info);

/// Per-CPU part: CNTHCTL_EL2, the EL2 timer off, its PPI enabled. Every CPU,
/// after gic::init_cpu().
void init_cpu();

/// The system counter now (ordered after earlier instructions).
Ticks now();
/// The counter frequency and ns/us conversions.
const TickRate& rate();
uint32_t intid();

/// Arms `t` on the calling CPU's queue at `deadline` and reprograms the hardware.
void arm(Timer& t, Ticks deadline);
/// Disarms `t` (calling CPU's queue) and reprograms; false when it was not armed.
bool cancel(Timer& t);
/// Runs this CPU's expired timers and programs the next deadline (the IRQ
/// handler's body; also safe to call from any preemption point).
void run_expired();

}  // namespace keel::arm64::timer
