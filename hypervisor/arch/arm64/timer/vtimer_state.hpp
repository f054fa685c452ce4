// SPDX-License-Identifier: MIT
//
// arch/arm64/timer/vtimer_state.hpp
// Owns VtimerState: one vCPU's EL1 virtual timer (CNTV_CTL_EL0/CNTV_CVAL_EL0)
// while it is not on a CPU, its emulated EL1 physical timer (PtimerState), and
// the keel timers that stand in for both while it is off its CPU: one stand-in
// is armed for the earlier deadline and re-arms itself for the later one.
//
// Two stand-in timers: the one armed at deschedule stays in the queue of the
// CPU that armed it until that CPU cancels it (a queue is touched only by its
// own CPU), so a vCPU that moved on and is descheduled again elsewhere before
// that cancel ran arms the other one.
#pragma once
#include <atomic>
#include <cstdint>

#include "arch/arm64/timer/ptimer_state.hpp"
#include "core/time/timer_queue.hpp"

namespace keel {

inline constexpr int32_t kVtimerIdle = -1;

struct VtimerSlot {
    Timer timer{nullptr, nullptr};           // callback set by vtimer_vcpu_init()
    std::atomic<int32_t> cpu{kVtimerIdle};   // CPU whose queue holds it, kVtimerIdle: none
    std::atomic<bool> cancel_wanted{false};  // a cancel was posted to `cpu` for this arming
    // What this arming is for (touched only by the CPU in `cpu`): the physical
    // counts at which the virtual timer fires and the physical timer's line
    // rises; TimerQueue::kNever once delivered or not wanted.
    Ticks virt_due = TimerQueue::kNever;
    Ticks phys_due = TimerQueue::kNever;
};

struct VtimerState {
    uint64_t ctl = 0;   // CNTV_CTL_EL0 while descheduled
    uint64_t cval = 0;  // CNTV_CVAL_EL0 while descheduled
    VtimerSlot slot[2];
    std::atomic<uint32_t> cancels_in_flight{0};  // cross-CPU cancels posted, not yet run
    PtimerState phys;                            // the emulated EL1 physical timer (ptimer.cpp)
};

}  // namespace keel
