// SPDX-License-Identifier: MIT
//
// core/sched/null_sched.cpp
// Owns the null policy's rules (see null_sched.hpp): CPU assignment, the
// waiting list, handing a freed CPU to the first waiting vCPU that may use it.
#include "core/sched/null_sched.hpp"

#include "core/domain/vcpu.hpp"

namespace keel {

bool NullSched::assign(Vcpu& v)
{
    for (CpuIndex c = 0; c < config::kMaxCpus; ++c) {
        if (owner_[c] != nullptr || !may_run_on(v, c)) continue;
        owner_[c] = &v;
        v.sched.owned_cpu = c;
        return true;
    }
    return false;
}

void NullSched::admit(Vcpu& v, Ticks)
{
    v.sched.owned_cpu = SchedVcpu::kNoOwnedCpu;
    (void)assign(v);
}

void NullSched::enqueue(Vcpu& v, bool, Ticks)
{
    if (v.sched.owned_cpu != SchedVcpu::kNoOwnedCpu || assign(v)) {
        ready_[v.sched.owned_cpu] = &v;
        return;
    }
    v.next_in_queue = nullptr;
    (wait_tail_ != nullptr ? wait_tail_->next_in_queue : wait_head_) = &v;
    wait_tail_ = &v;
    ++waiting_;
}

void NullSched::dequeue(Vcpu& v)
{
    if (v.sched.owned_cpu != SchedVcpu::kNoOwnedCpu) {
        ready_[v.sched.owned_cpu] = nullptr;
        return;
    }
    Vcpu* prev = nullptr;
    for (Vcpu* it = wait_head_; it != nullptr; prev = it, it = it->next_in_queue) {
        if (it != &v) continue;
        (prev != nullptr ? prev->next_in_queue : wait_head_) = it->next_in_queue;
        if (wait_tail_ == it) wait_tail_ = prev;
        it->next_in_queue = nullptr;
        --waiting_;
        return;
    }
}

Vcpu* NullSched::choose(CpuIndex cpu, Ticks, Ticks& slice)
{
    slice = TimerQueue::kNever;  // never preempted
    if (owner_[cpu] == nullptr) {
        // A free CPU: the first waiting runnable vCPU that may run here takes it.
        Vcpu* prev = nullptr;
        for (Vcpu* it = wait_head_; it != nullptr; prev = it, it = it->next_in_queue) {
            if (!may_run_on(*it, cpu)) continue;
            (prev != nullptr ? prev->next_in_queue : wait_head_) = it->next_in_queue;
            if (wait_tail_ == it) wait_tail_ = prev;
            it->next_in_queue = nullptr;
            owner_[cpu] = it;
            it->sched.owned_cpu = cpu;
            --waiting_;
            return it;
        }
        return nullptr;
    }
    Vcpu* v = ready_[cpu];
    ready_[cpu] = nullptr;
    return v;
}

void NullSched::stopped(Vcpu&, Ticks, Ticks) {}

void NullSched::retire(Vcpu& v)
{
    // Offline or dead: its CPU is free for a waiting vCPU (taken at that CPU's
    // next pick); if it comes back (CPU_ON) it looks for a CPU again.
    if (v.sched.owned_cpu == SchedVcpu::kNoOwnedCpu) return;
    owner_[v.sched.owned_cpu] = nullptr;
    ready_[v.sched.owned_cpu] = nullptr;
    v.sched.owned_cpu = SchedVcpu::kNoOwnedCpu;
}

bool NullSched::should_yield(CpuIndex, const Vcpu&, Ticks) { return false; }

Ticks NullSched::next_slice(CpuIndex, const Vcpu&, Ticks) { return TimerQueue::kNever; }

bool NullSched::preempts(const Vcpu&, const Vcpu&, Ticks) { return false; }

}  // namespace keel
