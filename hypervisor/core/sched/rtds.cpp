// SPDX-License-Identifier: MIT
//
// core/sched/rtds.cpp
// Owns the RTDS rules (see rtds.hpp): replenishment, EDF choice, budget
// accounting, deadline misses.
#include "core/sched/rtds.hpp"

#include "core/domain/vcpu.hpp"

namespace keel {

void Rtds::admit(Vcpu& v, Ticks now)
{
    SchedVcpu& s = v.sched;
    if (s.period == 0) {
        s.period = kDefaultPeriodUs * ticks_per_ms() / 1000;
        s.budget = kDefaultBudgetUs * ticks_per_ms() / 1000;
    }
    if (s.budget > s.period) s.budget = s.period;
    s.deadline = now + s.period;
    s.remaining = s.budget;
}

void Rtds::replenish(Vcpu& v, Ticks now, bool wanted)
{
    SchedVcpu& s = v.sched;
    if (now < s.deadline) return;
    if (wanted && s.remaining > 0) ++s.deadline_misses;
    const Ticks periods = (now - s.deadline) / s.period + 1;
    s.deadline += periods * s.period;
    s.remaining = s.budget;
}

void Rtds::enqueue(Vcpu& v, bool woken, Ticks now)
{
    // A woken vCPU did not want the CPU while it slept: no miss for that time.
    replenish(v, now, !woken);
    v.next_in_queue = head_;
    head_ = &v;
}

void Rtds::dequeue(Vcpu& v)
{
    Vcpu* prev = nullptr;
    for (Vcpu* it = head_; it != nullptr; prev = it, it = it->next_in_queue) {
        if (it != &v) continue;
        (prev != nullptr ? prev->next_in_queue : head_) = it->next_in_queue;
        it->next_in_queue = nullptr;
        return;
    }
}

Ticks Rtds::next_replenishment(CpuIndex cpu) const
{
    Ticks next = TimerQueue::kNever;
    for (Vcpu* it = head_; it != nullptr; it = it->next_in_queue)
        if (may_run_on(*it, cpu) && it->sched.deadline < next) next = it->sched.deadline;
    return next;
}

Vcpu* Rtds::choose(CpuIndex cpu, Ticks now, Ticks& slice)
{
    Vcpu* best = nullptr;
    Vcpu* best_prev = nullptr;
    Vcpu* prev = nullptr;
    for (Vcpu* it = head_; it != nullptr; prev = it, it = it->next_in_queue) {
        replenish(*it, now, true);
        if (!may_run_on(*it, cpu) || it->sched.remaining == 0) continue;
        if (best == nullptr || it->sched.deadline < best->sched.deadline) {
            best = it;
            best_prev = prev;
        }
    }
    if (best == nullptr) {
        const Ticks next = next_replenishment(cpu);
        slice = next == TimerQueue::kNever ? next : next - now;
        return nullptr;
    }
    (best_prev != nullptr ? best_prev->next_in_queue : head_) = best->next_in_queue;
    best->next_in_queue = nullptr;
    // Until its budget is spent, or an earlier deadline may be replenished.
    slice = best->sched.remaining;
    const Ticks next = next_replenishment(cpu);
    if (next != TimerQueue::kNever && next - now < slice) slice = next - now;
    const Ticks own = best->sched.deadline - now;  // its own period ends
    if (own < slice) slice = own;
    return best;
}

void Rtds::stopped(Vcpu& v, Ticks ran, Ticks now)
{
    SchedVcpu& s = v.sched;
    s.remaining = ran < s.remaining ? s.remaining - ran : 0;
    replenish(v, now, true);
}

void Rtds::retire(Vcpu&) {}

Ticks Rtds::remaining_now(const Vcpu& running, Ticks now)
{
    const Ticks ran = now > running.sched.ran_from ? now - running.sched.ran_from : 0;
    return ran < running.sched.remaining ? running.sched.remaining - ran : 0;
}

bool Rtds::should_yield(CpuIndex cpu, const Vcpu& running, Ticks now)
{
    if (remaining_now(running, now) == 0 || now >= running.sched.deadline) return true;
    for (Vcpu* it = head_; it != nullptr; it = it->next_in_queue) {
        replenish(*it, now, true);
        if (may_run_on(*it, cpu) && it->sched.remaining > 0 &&
            it->sched.deadline < running.sched.deadline)
            return true;
    }
    return false;
}

Ticks Rtds::next_slice(CpuIndex cpu, const Vcpu& running, Ticks now)
{
    Ticks slice = remaining_now(running, now);
    const Ticks next = next_replenishment(cpu);
    if (next != TimerQueue::kNever && next > now && next - now < slice) slice = next - now;
    if (running.sched.deadline > now && running.sched.deadline - now < slice)
        slice = running.sched.deadline - now;
    return slice;
}

bool Rtds::preempts(const Vcpu& woken, const Vcpu& running, Ticks now)
{
    return woken.sched.remaining > 0 &&
           (woken.sched.deadline < running.sched.deadline || remaining_now(running, now) == 0);
}

}  // namespace keel
