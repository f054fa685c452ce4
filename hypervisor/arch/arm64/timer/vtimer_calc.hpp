// SPDX-License-Identifier: MIT
//
// arch/arm64/timer/vtimer_calc.hpp
// Owns the arithmetic of a guest's EL1 virtual timer (Arm ARM DDI 0487,
// "Operation of the AArch64 EL1 virtual timer"): the guest's virtual count is
// the physical count minus CNTVOFF_EL2, and the timer condition is
// "virtual count >= CNTV_CVAL_EL0"; it asserts the interrupt while
// CNTV_CTL_EL0.ENABLE = 1 and IMASK = 0. Pure.
#pragma once
#include <cstdint>

#include "arch/arm64/regs/generic_timer.hpp"
#include "core/time/timer_queue.hpp"

namespace keel::arm64 {

/// Whether a timer with this CNTV_CTL_EL0 value can assert its interrupt.
constexpr bool vtimer_can_fire(uint64_t ctl)
{
    return TimerCtl::Enable::get(ctl) && !TimerCtl::Imask::get(ctl);
}

/// The physical count (CNTPCT_EL0) at which the guest's virtual timer fires,
/// or TimerQueue::kNever when it cannot fire. A deadline beyond the counter's
/// range never comes.
constexpr Ticks vtimer_deadline_of(uint64_t ctl, uint64_t cval, uint64_t cntvoff)
{
    if (!vtimer_can_fire(ctl)) return TimerQueue::kNever;
    const uint64_t deadline = cval + cntvoff;
    if (deadline < cval) return TimerQueue::kNever;  // wrapped
    return deadline;
}

/// The timer condition (what CNTV_CTL_EL0.ISTATUS reports) at physical count `now`.
constexpr bool vtimer_condition(uint64_t cval, uint64_t cntvoff, Ticks now)
{
    return now - cntvoff >= cval;
}

static_assert(vtimer_deadline_of(1, 100, 50) == 150);
static_assert(vtimer_deadline_of(3, 100, 50) == TimerQueue::kNever);  // masked
static_assert(vtimer_deadline_of(0, 100, 50) == TimerQueue::kNever);  // disabled

}  // namespace keel::arm64
