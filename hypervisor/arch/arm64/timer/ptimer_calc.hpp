// SPDX-License-Identifier: MIT
//
// arch/arm64/timer/ptimer_calc.hpp
// Owns the arithmetic of a guest's emulated EL1 physical timer (Arm ARM DDI
// 0487, "Operation of the AArch64 EL1 physical timer", CNTP_CTL_EL0,
// CNTP_CVAL_EL0, CNTP_TVAL_EL0) against the physical count the guest reads
// (CNTPCT_EL0, not trapped and not offset: CNTHCTL_EL2.EL1PCTEN = 1):
//  - the timer condition is "count >= CVAL"; CTL.ISTATUS shows it while ENABLE
//    is set (whatever IMASK), and reads 0 while the timer is disabled;
//  - the interrupt output is ENABLE && ISTATUS && !IMASK;
//  - TVAL reads (CVAL - count)[31:0], the upper half zero; a write sets CVAL to
//    count + TVAL[31:0] sign-extended.
// Pure.
#pragma once
#include <cstdint>

#include "arch/arm64/regs/generic_timer.hpp"
#include "core/time/timer_queue.hpp"

namespace keel::arm64 {

/// The CTL bits the guest can write and keel keeps (ENABLE, IMASK).
inline constexpr uint64_t kPtimerCtlWritable = TimerCtl::Enable::kMask | TimerCtl::Imask::kMask;

constexpr uint64_t ptimer_ctl_write(uint64_t value) { return value & kPtimerCtlWritable; }

constexpr bool ptimer_istatus(uint64_t ctl, uint64_t cval, Ticks now)
{
    return TimerCtl::Enable::get(ctl) && now >= cval;
}

/// CNTP_CTL_EL0 as the guest reads it at physical count `now`.
constexpr uint64_t ptimer_ctl_read(uint64_t ctl, uint64_t cval, Ticks now)
{
    return (ctl & kPtimerCtlWritable) | TimerCtl::Istatus::make(ptimer_istatus(ctl, cval, now));
}

/// The level of the timer's interrupt output at `now`.
constexpr bool ptimer_line(uint64_t ctl, uint64_t cval, Ticks now)
{
    return ptimer_istatus(ctl, cval, now) && !TimerCtl::Imask::get(ctl);
}

/// The physical count at which the output rises, or TimerQueue::kNever when
/// the timer is disabled or masked.
constexpr Ticks ptimer_deadline_of(uint64_t ctl, uint64_t cval)
{
    if (!TimerCtl::Enable::get(ctl) || TimerCtl::Imask::get(ctl)) return TimerQueue::kNever;
    return cval;
}

constexpr uint64_t ptimer_tval_read(uint64_t cval, Ticks now)
{
    return static_cast<uint32_t>(cval - now);
}

/// The CVAL a write of `value` to CNTP_TVAL_EL0 at `now` sets.
constexpr uint64_t ptimer_cval_from_tval(uint64_t value, Ticks now)
{
    const auto tval = static_cast<int32_t>(static_cast<uint32_t>(value));
    return now + static_cast<uint64_t>(static_cast<int64_t>(tval));
}

static_assert(ptimer_cval_from_tval(0xffff'ffffu, 100) == 99);
static_assert(ptimer_tval_read(99, 100) == 0xffff'ffffu);
static_assert(ptimer_ctl_read(3, 100, 100) == 7);  // enabled, masked, condition met
static_assert(ptimer_ctl_read(2, 100, 200) == 2);  // disabled: ISTATUS 0

}  // namespace keel::arm64
