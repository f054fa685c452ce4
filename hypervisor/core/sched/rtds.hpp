// SPDX-License-Identifier: MIT
//
// core/sched/rtds.hpp
// Owns Rtds, the real-time policy for a cpupool (after Xen's RTDS, sched=rtds):
// each vCPU holds a reservation of `budget` ticks every `period` ticks; the
// vCPU with budget left and the earliest deadline (the end of its current
// period) runs — global EDF over the pool's CPUs; a vCPU that spent its budget
// waits for its next period (not work-conserving, as Xen's default); at each
// period boundary the budget is replenished, and a vCPU that wanted to run but
// still had budget at its deadline counts a deadline miss. Defaults as Xen's:
// period 10 ms, budget 4 ms. Pure; host-tested with a fake clock.
#pragma once
#include "core/sched/pool_scheduler.hpp"

namespace keel {

class Rtds final : public PoolScheduler {
public:
    constexpr Rtds() = default;

    static constexpr Ticks kDefaultPeriodUs = 10000;
    static constexpr Ticks kDefaultBudgetUs = 4000;

    const char* name() const override { return "rtds"; }

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

    /// Moves v's period forward to the one holding `now` (budget refilled);
    /// `wanted`: it was runnable, so budget left at a deadline is a miss.
    static void replenish(Vcpu& v, Ticks now, bool wanted);
    static Ticks remaining_now(const Vcpu& running, Ticks now);
    /// The earliest deadline (replenishment) among queued vCPUs that may run on cpu.
    Ticks next_replenishment(CpuIndex cpu) const;

    Vcpu* head_ = nullptr;  // runnable vCPUs (unordered; EDF is decided at choose)
};

}  // namespace keel
