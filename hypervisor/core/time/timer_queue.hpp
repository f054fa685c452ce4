// SPDX-License-Identifier: MIT
//
// core/time/timer_queue.hpp
// Owns keel's one-shot timers: a Timer is an intrusive node (no allocation) that
// a CPU's TimerQueue keeps sorted by deadline. The queue knows nothing about
// hardware: the caller passes `now` and programs the hardware timer with
// next_deadline() (arch/arm64/timer/ does that for the EL2 physical timer).
//
// Concurrency: a TimerQueue belongs to one CPU and is touched only by that CPU,
// with interrupts masked (keel's normal state at EL2), so it has no lock. Another
// CPU that wants a timer armed here sends a cross-CPU call instead.
#pragma once
#include <cstddef>
#include <cstdint>

namespace keel {

/// Time in ticks of the system counter (CNTPCT_EL0 on arm64); see core/time/tick_rate.hpp.
using Ticks = uint64_t;

class TimerQueue;

/// One one-shot timer. Owned by whoever embeds it; must stay alive while armed.
class Timer {
public:
    /// Runs on the queue's CPU with interrupts masked, after the timer has been
    /// removed from its queue (it may re-arm itself). Must be short and must not wait.
    using Callback = void (*)(Timer& timer, void* context);

    constexpr Timer(Callback fn, void* context) : fn_{fn}, context_{context} {}
    Timer(const Timer&) = delete;
    Timer& operator=(const Timer&) = delete;

    /// Replaces callback and context; only while not armed. (For timers in static
    /// arrays: GCC 12 zero-fills a constinit array whose elements' initialisers
    /// use `this`, so such timers get their context here instead.)
    void set_callback(Callback fn, void* context)
    {
        fn_ = fn;
        context_ = context;
    }

    /// True while queued (added and neither expired nor cancelled).
    bool armed() const { return state_ != State::Idle; }
    Ticks deadline() const { return deadline_; }
    void* context() const { return context_; }

private:
    friend class TimerQueue;
    enum class State : uint8_t { Idle, Queued, Due };  // Due: taken out by expire(), not yet run

    Callback fn_;
    void* context_;
    Ticks deadline_ = 0;
    Timer* next_ = nullptr;
    Timer* prev_ = nullptr;
    TimerQueue* queue_ = nullptr;
    State state_ = State::Idle;
};

/// The timers of one CPU, sorted by deadline (earliest first; equal deadlines
/// keep the order they were added in).
class TimerQueue {
public:
    /// "No deadline": what next_deadline() returns when the queue is empty.
    static constexpr Ticks kNever = ~Ticks{0};

    constexpr TimerQueue() = default;
    TimerQueue(const TimerQueue&) = delete;
    TimerQueue& operator=(const TimerQueue&) = delete;

    /// Arms `t` to fire at `deadline`; re-arms it (moves it) when already armed,
    /// including from inside its own or another timer's callback.
    void add(Timer& t, Ticks deadline);

    /// Disarms `t`; returns false when it was not armed (already fired or never added).
    /// A timer that expire() has taken out but not yet run is cancelled too.
    bool cancel(Timer& t);

    /// Runs the callback of every timer whose deadline is <= now, earliest first.
    /// Timers (re-)armed by those callbacks wait for the next call even when already
    /// due, so one call always ends. Returns how many callbacks ran.
    size_t expire(Ticks now);

    /// The earliest deadline, or kNever when nothing is armed.
    Ticks next_deadline() const { return head_ != nullptr ? head_->deadline_ : kNever; }
    bool empty() const { return head_ == nullptr; }
    /// Number of armed timers (walks the list; for tests and diagnostics).
    size_t size() const;

private:
    static void unlink(Timer*& head, Timer& t);

    Timer* head_ = nullptr;  // sorted by deadline
    Timer* due_ = nullptr;   // taken out by the running expire(), in deadline order
};

}  // namespace keel
