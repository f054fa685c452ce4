// SPDX-License-Identifier: MIT
//
// core/sched/credit2.cpp
// Owns the credit2-style policy's rules (see credit2.hpp): credit burn by
// weight, the choice by credit, the new round, caps.
#include "core/sched/credit2.hpp"

#include "core/domain/vcpu.hpp"

namespace keel {

void Credit2::admit(Vcpu& v, Ticks)
{
    v.sched.credit = static_cast<int64_t>(kCreditMs * ticks_per_ms());
    v.sched.cap_used = 0;
    v.sched.cap_period = 0;
    if (v.sched.weight == 0) v.sched.weight = kSchedDefaultWeight;
}

void Credit2::enqueue(Vcpu& v, bool, Ticks)
{
    v.next_in_queue = nullptr;
    if (tail_ != nullptr) {
        tail_->next_in_queue = &v;
    } else {
        head_ = &v;
    }
    tail_ = &v;
}

void Credit2::dequeue(Vcpu& v)
{
    Vcpu* prev = nullptr;
    for (Vcpu* it = head_; it != nullptr; prev = it, it = it->next_in_queue) {
        if (it != &v) continue;
        (prev != nullptr ? prev->next_in_queue : head_) = it->next_in_queue;
        if (tail_ == it) tail_ = prev;
        it->next_in_queue = nullptr;
        return;
    }
}

int64_t Credit2::burn(const Vcpu& v, Ticks ran) const
{
    // A vCPU of weight w burns credit at kSchedDefaultWeight / w per tick, so over
    // a round CPU time follows the weights.
    return static_cast<int64_t>(ran * kSchedDefaultWeight / v.sched.weight);
}

int64_t Credit2::credit_now(const Vcpu& v, Ticks now) const
{
    const Ticks ran = now > v.sched.credit_from ? now - v.sched.credit_from : 0;
    return v.sched.credit - burn(v, ran);
}

Ticks Credit2::cap_budget(const Vcpu& v) const
{
    return kCapPeriodMs * ticks_per_ms() * v.sched.cap_percent / 100;
}

Ticks Credit2::cap_left(Vcpu& v, Ticks now) const
{
    if (v.sched.cap_percent == 0) return TimerQueue::kNever;
    const uint64_t period = now / (kCapPeriodMs * ticks_per_ms());
    if (period != v.sched.cap_period) {
        v.sched.cap_period = period;
        v.sched.cap_used = 0;
    }
    const Ticks budget = cap_budget(v);
    return v.sched.cap_used < budget ? budget - v.sched.cap_used : 0;
}

void Credit2::new_round(Ticks now)
{
    const auto round = static_cast<int64_t>(kCreditMs * ticks_per_ms());
    for (size_t i = 0; i < member_count(); ++i) {
        Vcpu& v = *members()[i];
        SchedVcpu& s = v.sched;
        if (v.state.load(std::memory_order_relaxed) == VcpuState::Running) {
            s.credit = credit_now(v, now);  // settle what it burned so far
            s.credit_from = now;
        }
        // Debt carries into the new round; unspent credit does not pile up.
        s.credit = s.credit + round < round ? s.credit + round : round;
    }
}

Vcpu* Credit2::choose(CpuIndex cpu, Ticks now, Ticks& slice)
{
    const Ticks cap_period = kCapPeriodMs * ticks_per_ms();
    for (int attempt = 0; attempt < 2; ++attempt) {
        Vcpu* best = nullptr;
        Vcpu* best_prev = nullptr;
        bool parked = false;
        Vcpu* prev = nullptr;
        for (Vcpu* it = head_; it != nullptr; prev = it, it = it->next_in_queue) {
            if (!may_run_on(*it, cpu)) continue;
            if (cap_left(*it, now) == 0) {
                parked = true;
                continue;
            }
            // Ties: the one queued first; then soft affinity for this CPU.
            const bool soft = ((it->sched.soft_affinity >> cpu) & 1) != 0;
            const bool best_soft = best != nullptr && ((best->sched.soft_affinity >> cpu) & 1) != 0;
            if (best == nullptr || it->sched.credit > best->sched.credit ||
                (it->sched.credit == best->sched.credit && soft && !best_soft)) {
                best = it;
                best_prev = prev;
            }
        }
        if (best == nullptr) {
            // Only parked vCPUs (or none) for this CPU: ask again at the next cap period.
            slice = parked ? cap_period - now % cap_period : TimerQueue::kNever;
            return nullptr;
        }
        if (best->sched.credit <= 0 && attempt == 0) {
            new_round(now);
            continue;
        }
        (best_prev != nullptr ? best_prev->next_in_queue : head_) = best->next_in_queue;
        if (tail_ == best) tail_ = best_prev;
        best->next_in_queue = nullptr;
        const Ticks left = cap_left(*best, now);
        const Ticks max = kSliceMs * ticks_per_ms();
        slice = left < max ? left : max;
        best->sched.credit_from = now;
        return best;
    }
    return nullptr;  // not reached: the second attempt always finds `best`
}

void Credit2::stopped(Vcpu& v, Ticks ran, Ticks now)
{
    v.sched.credit = credit_now(v, now);
    if (v.sched.cap_percent != 0) v.sched.cap_used += ran;
}

void Credit2::retire(Vcpu&) {}

Ticks Credit2::cap_left_running(const Vcpu& running, Ticks now) const
{
    if (running.sched.cap_percent == 0) return TimerQueue::kNever;
    const Ticks ran = now > running.sched.ran_from ? now - running.sched.ran_from : 0;
    const bool same_period = now / (kCapPeriodMs * ticks_per_ms()) == running.sched.cap_period;
    const Ticks used = (same_period ? running.sched.cap_used : 0) + ran;
    const Ticks budget = cap_budget(running);
    return used < budget ? budget - used : 0;
}

bool Credit2::should_yield(CpuIndex cpu, const Vcpu& running, Ticks now)
{
    // Its cap budget for this period is spent: give way even to nobody.
    if (cap_left_running(running, now) == 0) return true;
    const int64_t mine = credit_now(running, now);
    for (Vcpu* it = head_; it != nullptr; it = it->next_in_queue) {
        if (!may_run_on(*it, cpu) || cap_left(*it, now) == 0) continue;
        if (it->sched.credit >= mine || mine <= 0) return true;
    }
    return false;
}

Ticks Credit2::next_slice(CpuIndex, const Vcpu& running, Ticks now)
{
    const Ticks left = cap_left_running(running, now);
    const Ticks max = kSliceMs * ticks_per_ms();
    return left < max ? left : max;
}

bool Credit2::preempts(const Vcpu& woken, const Vcpu& running, Ticks now)
{
    return woken.sched.credit > credit_now(running, now);
}

}  // namespace keel
