// SPDX-License-Identifier: MIT
//
// tests/unit/core/sched/pool_sim.hpp
// Test-only: drives a PoolScheduler the way core/sched/schedule.cpp does on
// target — each CPU picks, runs its vCPU until the slice ends (then asks
// should_preempt), a boost or the vCPU blocking — in fixed time steps on a fake
// clock, with vCPUs that are always busy or that run/sleep in a fixed pattern.
#pragma once
#include <gtest/gtest.h>

#include <map>
#include <memory>
#include <vector>

#include "core/domain/domain.hpp"
#include "core/domain/vcpu.hpp"
#include "core/sched/pool_scheduler.hpp"

namespace keel::test {

inline Ticks g_sim_now = 0;
inline Ticks sim_clock() { return g_sim_now; }
inline constexpr Ticks kSimTicksPerMs = 1000;  // 1 tick = 1 us

struct SimVcpu {
    Vcpu* v = nullptr;
    Ticks busy = 0;   // 0: always busy; else runs `busy` ticks, then sleeps `sleep`
    Ticks sleep = 0;
    Ticks ran_in_burst = 0;
    Ticks wake_at = TimerQueue::kNever;
    std::vector<CpuIndex> cpus_seen;  // CPUs it ran on
};

class PoolSim {
public:
    explicit PoolSim(PoolScheduler& s, uint64_t cpus) : s_{s}, cpus_{cpus}
    {
        g_sim_now = 0;
        s_.configure(cpus, sim_clock, kSimTicksPerMs);
    }

    Domain& domain()
    {
        domains_.push_back(std::make_unique<Domain>());
        domains_.back()->state.store(DomainState::Running);
        domains_.back()->id = static_cast<DomId>(domains_.size());
        return *domains_.back();
    }
    SimVcpu& vcpu(Domain& d, Ticks busy = 0, Ticks sleep = 0)
    {
        vcpus_.push_back(std::make_unique<Vcpu>());
        Vcpu& v = *vcpus_.back();
        v.domain = &d;
        v.id = d.vcpu_count;
        d.vcpus[d.vcpu_count++] = &v;
        sims_.push_back(std::make_unique<SimVcpu>());
        sims_.back()->v = &v;
        sims_.back()->busy = busy;
        sims_.back()->sleep = sleep;
        return *sims_.back();
    }
    void start(SimVcpu& sv) { EXPECT_TRUE(s_.start(*sv.v, nullptr, nullptr, kNoCpu).done); }

    // Runs until `end` in steps of `step` ticks.
    void run_until(Ticks end, Ticks step = 100)
    {
        for (; g_sim_now < end; g_sim_now += step) {
            wake_sleepers();
            for (CpuIndex c = 0; c < 64; ++c) {
                if (((cpus_ >> c) & 1) == 0) continue;
                tick_cpu(c, step);
            }
        }
    }

    // Every running vCPU leaves (preempted), so its run time is accounted.
    void finish()
    {
        for (CpuIndex c = 0; c < 64; ++c) {
            if (cur_[c] == nullptr) continue;
            EXPECT_FALSE(s_.leave(*cur_[c], LeaveReason::Preempted, c));
            cur_[c] = nullptr;
        }
    }

    SimVcpu* sim_of(const Vcpu* v)
    {
        for (auto& s : sims_)
            if (s->v == v) return s.get();
        return nullptr;
    }
    Vcpu* current(CpuIndex c) const { return cur_[c]; }
    // Max ticks a woken vCPU waited from its wake to its next run.
    Ticks worst_wake_latency() const { return worst_latency_; }

private:
    void wake_sleepers()
    {
        for (auto& sv : sims_) {
            if (sv->wake_at > g_sim_now) continue;
            sv->wake_at = TimerQueue::kNever;
            woke_at_[sv->v] = g_sim_now;
            s_.wake(*sv->v, kNoCpu);
        }
    }
    void pick(CpuIndex c)
    {
        const Decision d = s_.pick_next(c, g_sim_now);
        cur_[c] = d.next;
        if (d.next == nullptr) return;
        slice_end_[c] = d.slice == TimerQueue::kNever ? TimerQueue::kNever : g_sim_now + d.slice;
        SimVcpu* sv = sim_of(d.next);
        sv->cpus_seen.push_back(c);
        auto it = woke_at_.find(d.next);
        if (it != woke_at_.end()) {
            const Ticks lat = g_sim_now - it->second;
            if (lat > worst_latency_) worst_latency_ = lat;
            woke_at_.erase(it);
        }
    }
    // Decisions at the start of the step (the clock reads g_sim_now), then the
    // vCPU on the CPU runs for the step.
    void tick_cpu(CpuIndex c, Ticks step)
    {
        if (Vcpu* v = cur_[c]) {
            SimVcpu* sv = sim_of(v);
            if (sv->busy != 0 && sv->ran_in_burst >= sv->busy) {
                sv->ran_in_burst = 0;
                cur_[c] = nullptr;
                EXPECT_FALSE(s_.leave(*v, LeaveReason::Blocked, c));
                sv->wake_at = g_sim_now + sv->sleep;
            } else if (s_.take_boost(c) || (g_sim_now >= slice_end_[c] && s_.should_preempt(c))) {
                cur_[c] = nullptr;
                EXPECT_FALSE(s_.leave(*v, LeaveReason::Preempted, c));
            } else if (g_sim_now >= slice_end_[c]) {
                const Ticks more = s_.continue_slice(c);
                slice_end_[c] = more == TimerQueue::kNever ? more : g_sim_now + more;
            }
        }
        if (cur_[c] == nullptr) pick(c);
        if (cur_[c] != nullptr) sim_of(cur_[c])->ran_in_burst += step;
    }

    PoolScheduler& s_;
    uint64_t cpus_;
    Vcpu* cur_[64] = {};
    Ticks slice_end_[64] = {};
    Ticks worst_latency_ = 0;
    std::map<Vcpu*, Ticks> woke_at_;
    std::vector<std::unique_ptr<Domain>> domains_;
    std::vector<std::unique_ptr<Vcpu>> vcpus_;
    std::vector<std::unique_ptr<SimVcpu>> sims_;
};

}  // namespace keel::test
