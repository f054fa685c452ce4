// SPDX-License-Identifier: MIT
//
// core/time/timer_queue.cpp
// Owns the sorted intrusive list behind TimerQueue: insertion by deadline,
// removal, and expiry in two phases (take every due timer out first, then run
// the callbacks) so a callback may freely add or cancel any timer.
#include "core/time/timer_queue.hpp"

namespace keel {

void TimerQueue::unlink(Timer*& head, Timer& t)
{
    if (t.prev_ != nullptr) {
        t.prev_->next_ = t.next_;
    } else {
        head = t.next_;
    }
    if (t.next_ != nullptr) t.next_->prev_ = t.prev_;
    t.next_ = nullptr;
    t.prev_ = nullptr;
}

void TimerQueue::add(Timer& t, Ticks deadline)
{
    if (t.armed()) t.queue_->cancel(t);

    t.deadline_ = deadline;
    t.queue_ = this;
    t.state_ = Timer::State::Queued;

    // Walk to the first timer with a later deadline: equal deadlines stay FIFO.
    Timer* prev = nullptr;
    Timer* cur = head_;
    while (cur != nullptr && cur->deadline_ <= deadline) {
        prev = cur;
        cur = cur->next_;
    }
    t.prev_ = prev;
    t.next_ = cur;
    if (prev != nullptr) {
        prev->next_ = &t;
    } else {
        head_ = &t;
    }
    if (cur != nullptr) cur->prev_ = &t;
}

bool TimerQueue::cancel(Timer& t)
{
    if (t.queue_ != this) return false;
    switch (t.state_) {
    case Timer::State::Idle: return false;
    case Timer::State::Queued: unlink(head_, t); break;
    case Timer::State::Due: unlink(due_, t); break;
    }
    t.state_ = Timer::State::Idle;
    t.queue_ = nullptr;
    return true;
}

size_t TimerQueue::expire(Ticks now)
{
    // Phase 1: move the due prefix of the sorted list to due_ (still sorted).
    // A nested expire() (a callback that waits) appends nothing twice: due_ holds
    // only timers not yet run, and each is run exactly once below.
    Timer* last_due = nullptr;
    for (Timer* t = head_; t != nullptr && t->deadline_ <= now; t = t->next_) {
        t->state_ = Timer::State::Due;
        last_due = t;
    }
    if (last_due != nullptr) {
        Timer* first = head_;
        head_ = last_due->next_;
        if (head_ != nullptr) head_->prev_ = nullptr;
        last_due->next_ = nullptr;
        // Append to whatever an outer expire() has not run yet, keeping order.
        if (due_ == nullptr) {
            due_ = first;
        } else {
            Timer* tail = due_;
            while (tail->next_ != nullptr) tail = tail->next_;
            tail->next_ = first;
            first->prev_ = tail;
        }
    }

    // Phase 2: run them one at a time; each is unlinked before its callback so
    // the callback sees it disarmed and may re-arm or cancel anything.
    size_t ran = 0;
    while (due_ != nullptr) {
        Timer& t = *due_;
        unlink(due_, t);
        t.state_ = Timer::State::Idle;
        t.queue_ = nullptr;
        t.fn_(t, t.context_);
        ++ran;
    }
    return ran;
}

size_t TimerQueue::size() const
{
    size_t n = 0;
    for (const Timer* t = head_; t != nullptr; t = t->next_) ++n;
    return n;
}

}  // namespace keel
