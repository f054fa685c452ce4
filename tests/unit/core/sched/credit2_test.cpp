// SPDX-License-Identifier: MIT
//
// tests/unit/core/sched/credit2_test.cpp
// Checks the credit2-style policy on a simulated clock: CPU time follows the
// weights (1:3 within 10%), equal weights share evenly across CPUs, the pool
// is work-conserving, caps hold a vCPU to its share even on an idle CPU, hard
// affinity is obeyed, a woken vCPU with credit left preempts at once, and
// vCPUs are killed in every state.
#include "core/sched/credit2.hpp"

#include <gtest/gtest.h>

#include "pool_sim.hpp"

namespace keel {
namespace {

using test::kSimTicksPerMs;
using test::PoolSim;
using test::SimVcpu;

constexpr Ticks kSecond = 1000 * kSimTicksPerMs;

double ratio(const SimVcpu& a, const SimVcpu& b)
{
    return static_cast<double>(a.v->sched.run_time) / static_cast<double>(b.v->sched.run_time);
}

TEST(Credit2, WeightsOneToThreeSplitOneCpuOneToThree)
{
    auto s = std::make_unique<Credit2>();
    PoolSim sim{*s, 0x1};
    SimVcpu& light = sim.vcpu(sim.domain());
    SimVcpu& heavy = sim.vcpu(sim.domain());
    heavy.v->sched.weight = 3 * kSchedDefaultWeight;
    sim.start(light);
    sim.start(heavy);
    sim.run_until(2 * kSecond);
    sim.finish();
    EXPECT_NEAR(ratio(heavy, light), 3.0, 0.3);
    EXPECT_NEAR(static_cast<double>(heavy.v->sched.run_time + light.v->sched.run_time),
                static_cast<double>(2 * kSecond), 0.01 * 2 * kSecond);
}

TEST(Credit2, EqualWeightsShareTwoCpusEvenly)
{
    auto s = std::make_unique<Credit2>();
    PoolSim sim{*s, 0x3};
    Domain& d = sim.domain();
    SimVcpu* v[3] = {&sim.vcpu(d), &sim.vcpu(d), &sim.vcpu(sim.domain())};
    for (SimVcpu* x : v) sim.start(*x);
    sim.run_until(3 * kSecond);
    sim.finish();
    for (SimVcpu* x : v)
        EXPECT_NEAR(static_cast<double>(x->v->sched.run_time), 2.0 * kSecond, 0.1 * 2 * kSecond);
}

TEST(Credit2, AVcpuAloneRunsAllTheTime)
{
    auto s = std::make_unique<Credit2>();
    PoolSim sim{*s, 0x1};
    SimVcpu& only = sim.vcpu(sim.domain());
    sim.start(only);
    sim.run_until(kSecond);
    sim.finish();
    EXPECT_GE(only.v->sched.run_time, kSecond - kSimTicksPerMs);
    EXPECT_LT(only.v->sched.credit, 0) << "runs on past its credit: work-conserving";
}

TEST(Credit2, ACapHoldsAVcpuToItsShareOnAnIdleCpu)
{
    auto s = std::make_unique<Credit2>();
    PoolSim sim{*s, 0x1};
    SimVcpu& capped = sim.vcpu(sim.domain());
    capped.v->sched.cap_percent = 25;
    sim.start(capped);
    sim.run_until(kSecond);
    sim.finish();
    EXPECT_NEAR(static_cast<double>(capped.v->sched.run_time), 0.25 * kSecond, 0.02 * kSecond);
}

TEST(Credit2, HardAffinityIsObeyedUnderLoad)
{
    auto s = std::make_unique<Credit2>();
    PoolSim sim{*s, 0x3};
    Domain& d = sim.domain();
    SimVcpu& pinned = sim.vcpu(d);
    pinned.v->sched.hard_affinity = 0x2;
    SimVcpu& a = sim.vcpu(d);
    SimVcpu& b = sim.vcpu(sim.domain());
    sim.start(pinned);
    sim.start(a);
    sim.start(b);
    sim.run_until(kSecond);
    sim.finish();
    ASSERT_FALSE(pinned.cpus_seen.empty());
    for (CpuIndex c : pinned.cpus_seen) EXPECT_EQ(c, 1u);
    EXPECT_GT(pinned.v->sched.run_time, kSecond / 4);
    bool a_on_0 = false;
    for (CpuIndex c : a.cpus_seen) a_on_0 |= c == 0;
    EXPECT_TRUE(a_on_0);
}

TEST(Credit2, AWokenVcpuWithCreditLeftTakesTheCpuAtOnce)
{
    auto s = std::make_unique<Credit2>();
    PoolSim sim{*s, 0x1};
    // The sleeper runs 1 ms in every 20: it keeps its credit and, on each wake,
    // takes the CPU from the busy vCPU at once.
    SimVcpu& busy = sim.vcpu(sim.domain());
    SimVcpu& sleeper = sim.vcpu(sim.domain(), kSimTicksPerMs, 19 * kSimTicksPerMs);
    sim.start(busy);
    sim.start(sleeper);
    sim.run_until(kSecond);
    sim.finish();
    EXPECT_LE(sim.worst_wake_latency(), 200u) << "woken vCPU waited";
    EXPECT_NEAR(static_cast<double>(sleeper.v->sched.run_time), 0.05 * kSecond, 0.01 * kSecond);

}

TEST(Credit2, KillInEveryState)
{
    auto s = std::make_unique<Credit2>();
    PoolSim sim{*s, 0x1};
    Domain& d = sim.domain();
    SimVcpu& runnable = sim.vcpu(d);
    SimVcpu& running = sim.vcpu(d);
    SimVcpu& offline = sim.vcpu(d);
    sim.start(running);
    sim.start(runnable);
    const Decision dec = s->pick_next(0, 0);
    ASSERT_EQ(dec.next, running.v);
    EXPECT_TRUE(s->kill(*runnable.v));
    EXPECT_EQ(runnable.v->state.load(), VcpuState::Dead);
    EXPECT_TRUE(s->kill(*offline.v));
    EXPECT_FALSE(s->kill(*running.v));
    d.state.store(DomainState::ShuttingDown);
    EXPECT_TRUE(s->leave(*running.v, LeaveReason::Preempted, 0));
    EXPECT_EQ(s->runnable(), 0u);
    EXPECT_EQ(s->pick_next(0, 1).next, nullptr);
}

}  // namespace
}  // namespace keel
