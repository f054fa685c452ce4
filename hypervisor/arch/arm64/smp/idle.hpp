// SPDX-License-Identifier: MIT
//
// arch/arm64/smp/idle.hpp
// Owns how a CPU waits: the idle loop every CPU ends in, and bounded waits for a
// condition that keep the CPU responsive (they take interrupts and drain pending
// work while waiting). EL2 runs with IRQs masked; these are the only places that
// open them.
#pragma once
#include <cstdint>

#include "core/time/timer_queue.hpp"

namespace keel::arm64 {

/// Waits for an interrupt once and handles it: WFI with IRQs still masked (a WFI
/// wakes on a pending interrupt whatever PSTATE.I says, so one that arrives
/// between the last check and the WFI is not lost), then IRQs open for the
/// handlers, closed again, and pending work drained. Returns no later than
/// `wake_by` (a keel timer is armed for it) unless it is TimerQueue::kNever.
void wait_once(Ticks wake_by);

/// Never returns: wait_once() forever.
[[noreturn]] void idle_loop();

/// Waits until pred() is true or `timeout` ticks passed; true when pred() held.
/// pred() is checked after every wake-up and at least once per millisecond.
template <typename Pred>
bool wait_until(Pred pred, Ticks timeout);

// ---- implementation ----
Ticks wait_now();
Ticks wait_poll_interval();

template <typename Pred>
bool wait_until(Pred pred, Ticks timeout)
{
    const Ticks start = wait_now();
    for (;;) {
        if (pred()) return true;
        const Ticks now = wait_now();
        if (now - start >= timeout) return pred();
        const Ticks end = start + timeout;
        const Ticks poll = now + wait_poll_interval();
        wait_once(poll < end ? poll : end);
    }
}

}  // namespace keel::arm64
