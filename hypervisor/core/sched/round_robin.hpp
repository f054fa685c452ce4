// SPDX-License-Identifier: MIT
//
// core/sched/round_robin.hpp
// Owns RoundRobin, keel's first scheduler: one FIFO run queue per physical CPU
// (each behind its own lock), a fixed time slice, a CPU with an empty queue
// steals the head of another CPU's queue (so vCPUs move between CPUs), and a
// wake-up names an idle CPU to poke. Blocked vCPUs sit in no queue and cost
// nothing. Pure; the host tests drive it with a fake clock.
//
// Locking: the lock of queue q protects the queue and the state of every vCPU
// whose `processor` is q. A vCPU's `processor` changes only under the lock of
// its old queue (when it is stolen), so lock_for() re-checks it after locking.
// Locks of two queues are never held together. Nothing else is taken inside.
#pragma once
#include <atomic>
#include <cstddef>

#include "arch/arm64/hw/spinlock.hpp"
#include "build_config.hpp"
#include "core/sched/scheduler.hpp"

namespace keel {

class RoundRobin final : public Scheduler {
public:
    constexpr RoundRobin() = default;

    /// Before first use: how many CPUs have queues (<= config::kMaxCpus) and the slice.
    void configure(size_t cpus, Ticks slice);
    size_t cpus() const { return cpus_; }
    Ticks slice() const { return slice_; }

    const char* name() const override { return "round-robin"; }
    Placement start(Vcpu& v, PrepareFn prepare, void* ctx, CpuIndex self) override;
    Placement wake(Vcpu& v, CpuIndex self) override;
    bool leave(Vcpu& v, LeaveReason why, CpuIndex self) override;
    Decision pick_next(CpuIndex cpu, Ticks now) override;
    bool should_preempt(CpuIndex cpu) override;
    bool take_boost(CpuIndex cpu) override;
    bool kill(Vcpu& v) override;
    void set_idle(CpuIndex cpu, bool idle) override;

    /// Number of vCPUs waiting in `cpu`'s queue (racy snapshot; tests, diagnostics).
    size_t queued(CpuIndex cpu) const;
    /// Whether take_boost(cpu) may find a boost: the relaxed look it starts with,
    /// inline for the scheduling point's fast path (false means take_boost is false).
    bool boost_hint(CpuIndex cpu) const
    {
        return queues_[cpu].boosted.load(std::memory_order_relaxed);
    }

private:
    struct Queue {
        SpinLock lock;
        Vcpu* head = nullptr;
        Vcpu* tail = nullptr;
        std::atomic<size_t> length{0};
        std::atomic<bool> idle{false};
        std::atomic<bool> boosted{false};  // a woken vCPU was queued at the head
    };

    Queue& lock_for(Vcpu& v);
    static void push(Queue& q, Vcpu& v);
    static void push_front(Queue& q, Vcpu& v);
    static Vcpu* pop(Queue& q);
    static bool unlink(Queue& q, Vcpu& v);
    Vcpu* steal(CpuIndex thief);
    CpuIndex idle_cpu_other_than(CpuIndex a, CpuIndex b) const;
    Placement placed(CpuIndex queue, CpuIndex self) const;

    Queue queues_[config::kMaxCpus];
    size_t cpus_ = 1;
    Ticks slice_ = 1;
};

}  // namespace keel
