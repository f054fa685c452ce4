// SPDX-License-Identifier: MIT
//
// core/sched/arinc653.hpp
// Owns Arinc653, the strictly time-driven policy for a cpupool (after Xen's
// ARINC 653 scheduler, sched=arinc653): a major frame of fixed minor frames
// (windows), each naming one vCPU (domain id, vCPU id) and a length, repeated
// forever from the moment the schedule is set. In its window that vCPU runs if
// it is runnable; otherwise the CPU idles — no other vCPU ever uses another's
// window. The schedule runs on the pool's first CPU; the pool's other CPUs
// stay idle (as Xen's, which runs a pool of one CPU). Without a schedule
// (before set_schedule), every vCPU of the pool gets a 10 ms window in the
// order it joined. Pure; host-tested with a fake clock.
#pragma once
#include "core/sched/pool_scheduler.hpp"

namespace keel {

struct Arinc653Window {
    uint16_t domid = 0;
    uint32_t vcpu = 0;
    Ticks length = 0;
};

class Arinc653 final : public PoolScheduler {
public:
    constexpr Arinc653() = default;

    static constexpr size_t kMaxWindows = 64;
    static constexpr Ticks kDefaultWindowMs = 10;

    const char* name() const override { return "arinc653"; }

    /// Sets the major frame (windows of non-zero length, at most kMaxWindows);
    /// it starts at `epoch`. false (schedule unchanged) for a bad table.
    bool set_schedule(const Arinc653Window* windows, size_t count, Ticks epoch);
    /// The window index active at `now` and when it ends (tests, reports).
    size_t window_at(Ticks now, Ticks& ends) const;

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

    CpuIndex first_cpu() const;
    bool owns_window(const Vcpu& v, size_t window) const;

    Arinc653Window windows_[kMaxWindows] = {};
    size_t count_ = 0;
    Ticks major_ = 0;
    Ticks epoch_ = 0;
    bool explicit_ = false;  // set_schedule was called (else: the default table)
    Vcpu* ready_[kMaxPoolVcpus] = {};  // runnable vCPUs (unordered)
    size_t ready_count_ = 0;
};

}  // namespace keel
