// SPDX-License-Identifier: MIT
//
// core/sched/pool_scheduler.hpp
// Owns PoolScheduler: the part every cpupool's scheduler shares — the vCPU
// state machine of the Scheduler interface (start, wake, leave, kill) for the
// vCPUs of one pool on the CPUs of that pool, behind one lock per pool; which
// vCPU runs where; which CPUs idle; the pokes a start or wake needs (an idle
// CPU the vCPU may run on, else a CPU whose running vCPU the policy says it
// preempts); hard affinity. What differs between policies (credit2-style,
// RTDS, null, ARINC653) are the hooks below, all called with the pool lock
// held. Pure: time comes from the clock given to configure() (the EL2 counter
// on target, a fake in the host tests).
//
// One run queue per pool rather than per CPU: pools are small (embedded
// partitions of a few CPUs), and one queue makes the policies exact (EDF over
// the whole pool, one credit order) at the cost of one lock per pool.
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>

#include "build_config.hpp"
#include "core/sched/scheduler.hpp"  // SpinLock through core/percpu.hpp

namespace keel {

inline constexpr size_t kMaxPoolVcpus = 256;  // vCPUs one pool can hold

class PoolScheduler : public Scheduler {
public:
    using Clock = Ticks (*)();

    /// Before first use: the pool's CPUs (bit n = CPU n, within config::kMaxCpus),
    /// the clock and its rate (ticks per millisecond, for the policies' periods).
    void configure(uint64_t cpus, Clock clock, Ticks ticks_per_ms);
    uint64_t cpus() const { return cpus_; }
    bool has_cpu(CpuIndex c) const { return c < config::kMaxCpus && ((cpus_ >> c) & 1) != 0; }

    Placement start(Vcpu& v, PrepareFn prepare, void* ctx, CpuIndex self) final;
    Placement wake(Vcpu& v, CpuIndex self) final;
    bool leave(Vcpu& v, LeaveReason why, CpuIndex self) final;
    Decision pick_next(CpuIndex cpu, Ticks now) final;
    bool should_preempt(CpuIndex cpu) final;
    bool take_boost(CpuIndex cpu) final;
    bool kill(Vcpu& v) final;
    void set_idle(CpuIndex cpu, bool idle) final;

    /// The vCPU running on `cpu` was not preempted at its slice end: how much
    /// longer it may run before should_preempt() is asked again.
    Ticks continue_slice(CpuIndex cpu);

    /// vCPUs waiting to run (racy snapshot; tests, reports).
    size_t runnable() const { return runnable_.load(std::memory_order_relaxed); }
    /// The vCPU running on `cpu` (racy snapshot), or nullptr.
    const Vcpu* running_on(CpuIndex cpu) const { return running_[cpu]; }

protected:
    constexpr PoolScheduler() = default;
    ~PoolScheduler() = default;

    // Policy hooks; the pool lock is held.
    /// v joins the pool (its first start): set its policy state.
    virtual void admit(Vcpu& v, Ticks now) = 0;
    /// v became runnable (`woken`: it was blocked; else started or preempted).
    virtual void enqueue(Vcpu& v, bool woken, Ticks now) = 0;
    /// A runnable v leaves the queue without running (its domain ends).
    virtual void dequeue(Vcpu& v) = 0;
    /// Takes a runnable vCPU for `cpu` out of the queue and says for how long it
    /// may run (TimerQueue::kNever: until it leaves). nullptr when none may run
    /// now; then `slice` says when to ask again (kNever: at the next wake).
    virtual Vcpu* choose(CpuIndex cpu, Ticks now, Ticks& slice) = 0;
    /// v stopped running after `ran` ticks (accounting).
    virtual void stopped(Vcpu& v, Ticks ran, Ticks now) = 0;
    /// v will not run again until started (CPU_OFF) or ever (dead).
    virtual void retire(Vcpu& v) = 0;
    /// Whether `running` (on `cpu` since v.sched.ran_from) should give way now.
    virtual bool should_yield(CpuIndex cpu, const Vcpu& running, Ticks now) = 0;
    /// How much longer `running` may run when it was not preempted at its slice end.
    virtual Ticks next_slice(CpuIndex cpu, const Vcpu& running, Ticks now) = 0;
    /// Whether `woken` should take `cpu` from `running` at once (wake boost).
    virtual bool preempts(const Vcpu& woken, const Vcpu& running, Ticks now) = 0;

    /// Whether v may run on `cpu` (hard affinity within the pool).
    bool may_run_on(const Vcpu& v, CpuIndex cpu) const;
    Ticks ticks_per_ms() const { return ticks_per_ms_; }
    Ticks now() const { return clock_(); }
    /// Every vCPU of the pool (for policies that look at all of them).
    Vcpu* const* members() const { return members_; }
    size_t member_count() const { return member_count_; }

private:
    Placement placed(Vcpu& v, CpuIndex self, bool woken);
    void add_member(Vcpu& v);
    void remove_member(Vcpu& v);

    mutable SpinLock lock_;
    uint64_t cpus_ = 0;
    Clock clock_ = nullptr;
    Ticks ticks_per_ms_ = 1;
    Vcpu* running_[config::kMaxCpus] = {};
    std::atomic<bool> idle_[config::kMaxCpus] = {};
    std::atomic<bool> boost_[config::kMaxCpus] = {};
    std::atomic<size_t> runnable_{0};
    Vcpu* members_[kMaxPoolVcpus] = {};
    size_t member_count_ = 0;
};

}  // namespace keel
