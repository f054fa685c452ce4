// SPDX-License-Identifier: MIT
//
// tests/unit/core/sched/rt_policies_test.cpp
// Checks the real-time pool policies on a simulated clock. RTDS: each vCPU gets
// its budget every period, no deadline miss at 90% load on one CPU and 45% on two, EDF
// order, misses counted when overloaded, a woken vCPU with the earlier deadline
// preempts. Null: a vCPU never leaves its CPU, surplus vCPUs wait and take a CPU
// that frees. ARINC653: windows on time within one simulation step (0.1 ms),
// an absent or blocked owner leaves its window idle, bad tables refused.
#include <gtest/gtest.h>

#include "core/sched/arinc653.hpp"
#include "core/sched/null_sched.hpp"
#include "core/sched/rtds.hpp"
#include "pool_sim.hpp"

namespace keel {
namespace {

using test::g_sim_now;
using test::kSimTicksPerMs;
using test::PoolSim;
using test::SimVcpu;

constexpr Ticks kMs = kSimTicksPerMs;
constexpr Ticks kSecond = 1000 * kMs;

void reserve(SimVcpu& v, Ticks period_ms, Ticks budget_ms)
{
    v.v->sched.period = period_ms * kMs;
    v.v->sched.budget = budget_ms * kMs;
}

TEST(Rtds, BudgetsHonouredWithoutMissesAtNinetyPercentLoad)
{
    auto s = std::make_unique<Rtds>();
    PoolSim sim{*s, 0x1};
    SimVcpu& a = sim.vcpu(sim.domain());
    SimVcpu& b = sim.vcpu(sim.domain());
    SimVcpu& noisy = sim.vcpu(sim.domain());
    reserve(a, 10, 3);   // 30%
    reserve(b, 20, 4);   // 20%
    reserve(noisy, 100, 40);  // 40%, busy: together 90%
    sim.start(a);
    sim.start(b);
    sim.start(noisy);
    sim.run_until(kSecond);
    sim.finish();
    EXPECT_NEAR(static_cast<double>(a.v->sched.run_time), 0.3 * kSecond, 0.01 * kSecond);
    EXPECT_NEAR(static_cast<double>(b.v->sched.run_time), 0.2 * kSecond, 0.01 * kSecond);
    EXPECT_NEAR(static_cast<double>(noisy.v->sched.run_time), 0.4 * kSecond, 0.01 * kSecond);
    EXPECT_EQ(a.v->sched.deadline_misses, 0u);
    EXPECT_EQ(b.v->sched.deadline_misses, 0u);
    EXPECT_EQ(noisy.v->sched.deadline_misses, 0u);
}

TEST(Rtds, NotWorkConservingAVcpuAloneGetsOnlyItsBudget)
{
    auto s = std::make_unique<Rtds>();
    PoolSim sim{*s, 0x1};
    SimVcpu& a = sim.vcpu(sim.domain());
    reserve(a, 10, 5);
    sim.start(a);
    sim.run_until(kSecond);
    sim.finish();
    EXPECT_NEAR(static_cast<double>(a.v->sched.run_time), 0.5 * kSecond, 0.01 * kSecond);
    EXPECT_EQ(a.v->sched.deadline_misses, 0u);
}

TEST(Rtds, TwoCpusHalfLoadNoMisses)
{
    auto s = std::make_unique<Rtds>();
    PoolSim sim{*s, 0x3};
    SimVcpu* v[4];
    for (auto& x : v) {
        x = &sim.vcpu(sim.domain());
        reserve(*x, 10, 2);  // 4 x 20% = 80% of two CPUs... half of both is 100%
        sim.start(*x);
    }
    reserve(*v[0], 10, 3);
    sim.run_until(kSecond);
    sim.finish();
    for (auto* x : v) EXPECT_EQ(x->v->sched.deadline_misses, 0u);
    EXPECT_NEAR(static_cast<double>(v[1]->v->sched.run_time), 0.2 * kSecond, 0.01 * kSecond);
}

TEST(Rtds, OverloadCountsDeadlineMisses)
{
    auto s = std::make_unique<Rtds>();
    PoolSim sim{*s, 0x1};
    SimVcpu& a = sim.vcpu(sim.domain());
    SimVcpu& b = sim.vcpu(sim.domain());
    reserve(a, 10, 6);
    reserve(b, 10, 6);  // 120% of one CPU
    sim.start(a);
    sim.start(b);
    sim.run_until(kSecond);
    sim.finish();
    EXPECT_GT(a.v->sched.deadline_misses + b.v->sched.deadline_misses, 50u);
}

TEST(Rtds, AWokenVcpuWithTheEarlierDeadlineRunsAtOnce)
{
    auto s = std::make_unique<Rtds>();
    PoolSim sim{*s, 0x1};
    SimVcpu& busy = sim.vcpu(sim.domain());
    reserve(busy, 100, 70);  // 70% + 20%: feasible under EDF
    SimVcpu& periodic = sim.vcpu(sim.domain(), 1 * kMs, 9 * kMs);  // 1 ms of work every 10 ms
    reserve(periodic, 10, 2);
    sim.start(busy);
    sim.start(periodic);
    sim.run_until(kSecond);
    sim.finish();
    EXPECT_LE(sim.worst_wake_latency(), 100u);
    EXPECT_EQ(periodic.v->sched.deadline_misses, 0u);
}

TEST(NullSched, AVcpuNeverLeavesItsCpuAndSurplusVcpusWait)
{
    auto s = std::make_unique<NullSched>();
    PoolSim sim{*s, 0x3};
    Domain& d = sim.domain();
    SimVcpu& a = sim.vcpu(d);
    SimVcpu& b = sim.vcpu(d);
    SimVcpu& c = sim.vcpu(sim.domain());
    sim.start(a);
    sim.start(b);
    sim.start(c);
    EXPECT_EQ(s->waiting(), 1u);
    sim.run_until(kSecond);
    EXPECT_EQ(a.v->sched.runs, 1u) << "picked once, never descheduled";
    EXPECT_EQ(b.v->sched.runs, 1u);
    EXPECT_EQ(a.v->sched.preemptions + b.v->sched.preemptions, 0u);
    EXPECT_EQ(c.v->sched.runs, 0u);
    EXPECT_EQ(s->waiting(), 1u);
    EXPECT_EQ(a.cpus_seen, std::vector<CpuIndex>{0});
    EXPECT_EQ(b.cpus_seen, std::vector<CpuIndex>{1});

    // b goes offline (PSCI CPU_OFF): c takes CPU 1.
    const Vcpu* on1 = sim.current(1);
    ASSERT_EQ(on1, b.v);
    sim.finish();  // a and b leave (as if preempted); put them back as the glue would
    EXPECT_EQ(s->pick_next(0, g_sim_now).next, a.v);
    EXPECT_EQ(s->pick_next(1, g_sim_now).next, b.v);
    EXPECT_FALSE(s->leave(*b.v, LeaveReason::Off, 1));
    EXPECT_EQ(s->pick_next(1, g_sim_now).next, c.v);
    EXPECT_EQ(s->waiting(), 0u);
    EXPECT_EQ(c.v->sched.owned_cpu, 1u);
}

TEST(NullSched, HardAffinityPicksTheCpu)
{
    auto s = std::make_unique<NullSched>();
    PoolSim sim{*s, 0x3};
    SimVcpu& a = sim.vcpu(sim.domain());
    a.v->sched.hard_affinity = 0x2;
    sim.start(a);
    EXPECT_EQ(a.v->sched.owned_cpu, 1u);
    EXPECT_EQ(s->pick_next(0, 0).next, nullptr);
    EXPECT_EQ(s->pick_next(1, 0).next, a.v);
}

TEST(Arinc653, WindowsOnTimeAndNeverLent)
{
    auto s = std::make_unique<Arinc653>();
    PoolSim sim{*s, 0x1};
    Domain& d1 = sim.domain();  // domain ids 1 and 2
    Domain& d2 = sim.domain();
    SimVcpu& a = sim.vcpu(d1);
    SimVcpu& b = sim.vcpu(d2);
    const Arinc653Window table[] = {{1, 0, 5 * kMs}, {2, 0, 3 * kMs}, {7, 0, 2 * kMs}};
    ASSERT_TRUE(s->set_schedule(table, 3, 0));
    sim.start(a);
    sim.start(b);
    // Check at every step which vCPU holds the CPU against the table.
    for (Ticks t = 0; t < kSecond; t += 100) {
        sim.run_until(t + 100);  // decides at t, then runs [t, t + 100)
        const Ticks in_frame = t % (10 * kMs);
        const Vcpu* cur = sim.current(0);
        if (in_frame < 5 * kMs) {
            EXPECT_EQ(cur, a.v) << "at " << t;
        } else if (in_frame < 8 * kMs) {
            EXPECT_EQ(cur, b.v) << "at " << t;
        } else {
            EXPECT_EQ(cur, nullptr) << "domain 7's window stays idle, at " << t;
        }
        if (HasFailure()) break;
    }
    sim.finish();
    EXPECT_NEAR(static_cast<double>(a.v->sched.run_time), 0.5 * kSecond, 0.002 * kSecond);
    EXPECT_NEAR(static_cast<double>(b.v->sched.run_time), 0.3 * kSecond, 0.002 * kSecond);
}

TEST(Arinc653, BadTablesAreRefused)
{
    auto s = std::make_unique<Arinc653>();
    const Arinc653Window zero[] = {{1, 0, 0}};
    EXPECT_FALSE(s->set_schedule(zero, 1, 0));
    EXPECT_FALSE(s->set_schedule(nullptr, 0, 0));
    const Arinc653Window huge[] = {{1, 0, ~Ticks{0}}, {2, 0, 2}};
    EXPECT_FALSE(s->set_schedule(huge, 2, 0));
}

TEST(Arinc653, DefaultTableGivesEachVcpuTenMilliseconds)
{
    auto s = std::make_unique<Arinc653>();
    PoolSim sim{*s, 0x1};
    SimVcpu& a = sim.vcpu(sim.domain());
    SimVcpu& b = sim.vcpu(sim.domain());
    sim.start(a);
    sim.start(b);
    sim.run_until(kSecond);
    sim.finish();
    EXPECT_NEAR(static_cast<double>(a.v->sched.run_time), 0.5 * kSecond, 0.002 * kSecond);
    Ticks ends = 0;
    EXPECT_EQ(s->window_at(15 * kMs, ends), 1u);
    EXPECT_EQ(ends, 20 * kMs);
}

}  // namespace
}  // namespace keel
