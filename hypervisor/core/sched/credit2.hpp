// SPDX-License-Identifier: MIT
//
// core/sched/credit2.hpp
// Owns Credit2, keel's credit2-style fair-share policy for a cpupool (after
// Xen's credit2, sched=credit2, Xen's default): every vCPU of the pool holds
// credit; running burns it at a rate inversely proportional to the vCPU's
// weight; the runnable vCPU with the most credit runs; when the one chosen has
// none left, every vCPU of the pool gets a new round of credit (so the pool
// never idles while a vCPU is runnable: work-conserving). A woken vCPU takes a
// CPU at once only from a vCPU with less credit (the wake boost is bounded by
// credit). Caps: a capped vCPU runs at most cap% of one CPU per 10 ms period
// and waits, parked, for the next period. Pure; host-tested with a fake clock.
#pragma once
#include "core/sched/pool_scheduler.hpp"

namespace keel {

class Credit2 final : public PoolScheduler {
public:
    constexpr Credit2() = default;

    static constexpr Ticks kSliceMs = 2;      // longest run before the credit order is looked at
    static constexpr Ticks kCreditMs = 10;    // a round's credit for a vCPU of the default weight
    static constexpr Ticks kCapPeriodMs = 10;

    const char* name() const override { return "credit2"; }

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

    int64_t burn(const Vcpu& v, Ticks ran) const;
    int64_t credit_now(const Vcpu& v, Ticks now) const;  // a running vCPU's credit so far
    Ticks cap_budget(const Vcpu& v) const;
    Ticks cap_left(Vcpu& v, Ticks now) const;  // 0: parked until the next cap period
    Ticks cap_left_running(const Vcpu& running, Ticks now) const;
    void new_round(Ticks now);

    Vcpu* head_ = nullptr;  // runnable vCPUs, FIFO (linked through Vcpu::next_in_queue)
    Vcpu* tail_ = nullptr;
};

}  // namespace keel
