// SPDX-License-Identifier: MIT
//
// core/sched/null_sched.hpp
// Owns NullSched, the static-partitioning policy for a cpupool (after Xen's
// null scheduler, sched=null): each vCPU is given one CPU of the pool (within
// its hard affinity) when it first starts and runs only there, never
// preempted and never sharing it; a vCPU for which no CPU is free waits (is
// reported by waiting()) until a vCPU gives its CPU up by going offline or
// dying. No slice timer: a CPU switches only when its vCPU blocks or ends.
// Pure; host-tested with a fake clock.
#pragma once
#include "core/sched/pool_scheduler.hpp"

namespace keel {

class NullSched final : public PoolScheduler {
public:
    constexpr NullSched() = default;

    const char* name() const override { return "null"; }
    /// Runnable vCPUs waiting for a CPU of their own (racy snapshot; reports, tests).
    size_t waiting() const { return waiting_; }

private:
    void admit(Vcpu& v, Ticks now) override;
    void enqueue(Vcpu& v, bool woken, Ticks now) override;
    void dequeue(Vcpu& v) override;
    Vcpu* choose(CpuIndex cpu, Ticks now, Ticks& slice) override;
    void stopped(Vcpu& v, Ticks ran, Ticks now) override;
    void retire(Vcpu& v) override;
    bool should_yield(CpuIndex cpu, const Vcpu& running, Ticks now) override;
    Ticks next_slice(CpuIndex cpu, const Vcpu& running, Ticks now) override;
    bool preempts(const Vcpu& woken, const Vcpu& running, Ticks now) override;

    bool assign(Vcpu& v);  // gives v a free CPU; false when none is free

    Vcpu* owner_[config::kMaxCpus] = {};     // the vCPU each CPU belongs to
    Vcpu* ready_[config::kMaxCpus] = {};     // that vCPU, while it is runnable
    Vcpu* wait_head_ = nullptr;              // runnable vCPUs without a CPU, FIFO
    Vcpu* wait_tail_ = nullptr;
    size_t waiting_ = 0;                     // length of the waiting list
};

}  // namespace keel
