// SPDX-License-Identifier: MIT
//
// tests/unit/core/sched/round_robin_test.cpp
// Checks the round-robin scheduler against a fake clock: FIFO order and the
// fixed slice, fairness with more vCPUs than CPUs (two 2-vCPU domains on two
// CPUs), blocking and waking (including the wake that races with a WFI),
// stealing between CPUs (vCPUs move), the idle-CPU poke, CPU_OFF / CPU_ON,
// killing a domain's vCPUs in every state, and concurrent use from threads.
#include "core/sched/round_robin.hpp"

#include <gtest/gtest.h>

#include <atomic>
#include <algorithm>
#include <map>
#include <set>
#include <memory>
#include <thread>
#include <vector>

#include "core/domain/domain.hpp"
#include "core/domain/vcpu.hpp"
#include "core/sched/vcpu_flags.hpp"

namespace keel {
namespace {

constexpr Ticks kSlice = 10;

struct Fixture {
    std::unique_ptr<RoundRobin> rr = std::make_unique<RoundRobin>();
    std::vector<std::unique_ptr<Domain>> domains;
    std::vector<std::unique_ptr<Vcpu>> vcpus;

    explicit Fixture(size_t cpus) { rr->configure(cpus, kSlice); }

    Domain& domain()
    {
        domains.push_back(std::make_unique<Domain>());
        domains.back()->state.store(DomainState::Running);
        return *domains.back();
    }
    Vcpu& vcpu(Domain& d, CpuIndex on)
    {
        vcpus.push_back(std::make_unique<Vcpu>());
        Vcpu& v = *vcpus.back();
        v.domain = &d;
        v.id = d.vcpu_count;
        d.vcpus[d.vcpu_count++] = &v;
        v.processor = on;
        return v;
    }
    Vcpu& started(Domain& d, CpuIndex on)
    {
        Vcpu& v = vcpu(d, on);
        EXPECT_TRUE(rr->start(v, nullptr, nullptr, on).done);
        return v;
    }
};

TEST(RoundRobin, FifoOrderAndSlice)
{
    Fixture f{1};
    Domain& d = f.domain();
    Vcpu& a = f.started(d, 0);
    Vcpu& b = f.started(d, 0);
    Vcpu& c = f.started(d, 0);
    EXPECT_EQ(a.state.load(), VcpuState::Runnable);
    EXPECT_EQ(f.rr->queued(0), 3u);
    std::vector<Vcpu*> order;
    for (int i = 0; i < 6; ++i) {
        const Decision dec = f.rr->pick_next(0, static_cast<Ticks>(i) * kSlice);
        ASSERT_NE(dec.next, nullptr);
        EXPECT_EQ(dec.slice, kSlice);
        EXPECT_EQ(dec.next->state.load(), VcpuState::Running);
        order.push_back(dec.next);
        EXPECT_FALSE(f.rr->leave(*dec.next, LeaveReason::Preempted, 0));
    }
    EXPECT_EQ(order, (std::vector<Vcpu*>{&a, &b, &c, &a, &b, &c}));
}

// Two 2-vCPU domains on two CPUs, every vCPU always busy: after many slices each
// has run for the same time (within one slice), and vCPUs ran on both CPUs.
TEST(RoundRobin, FairWithMoreVcpusThanCpus)
{
    Fixture f{2};
    Domain& d1 = f.domain();
    Domain& d2 = f.domain();
    std::vector<Vcpu*> all{&f.started(d1, 0), &f.started(d1, 1), &f.started(d2, 0),
                           &f.started(d2, 1)};
    std::map<Vcpu*, Ticks> ran;
    std::map<Vcpu*, std::set<CpuIndex>> where;
    Vcpu* current[2] = {};
    Ticks now = 0;
    for (int step = 0; step < 400; ++step, now += kSlice) {
        for (CpuIndex c = 0; c < 2; ++c) {
            if (current[c] != nullptr) {
                ran[current[c]] += kSlice;
                EXPECT_TRUE(f.rr->should_preempt(c));
                f.rr->leave(*current[c], LeaveReason::Preempted, c);
            }
            const Decision dec = f.rr->pick_next(c, now);
            ASSERT_NE(dec.next, nullptr);
            EXPECT_EQ(dec.next->processor, c);
            current[c] = dec.next;
            where[dec.next].insert(c);
        }
        EXPECT_NE(current[0], current[1]);
    }
    Ticks lo = ~Ticks{0}, hi = 0;
    for (Vcpu* v : all) {
        lo = std::min(lo, ran[v]);
        hi = std::max(hi, ran[v]);
    }
    EXPECT_LE(hi - lo, kSlice) << "lo " << lo << " hi " << hi;
    EXPECT_GE(lo, 190 * kSlice);
}

TEST(RoundRobin, BlockedCostsNothingUntilWoken)
{
    Fixture f{1};
    Domain& d = f.domain();
    Vcpu& a = f.started(d, 0);
    Vcpu& b = f.started(d, 0);
    Decision dec = f.rr->pick_next(0, 0);
    ASSERT_EQ(dec.next, &a);
    EXPECT_FALSE(f.rr->leave(a, LeaveReason::Blocked, 0));
    EXPECT_EQ(a.state.load(), VcpuState::Blocked);
    for (int i = 0; i < 3; ++i) {  // only b runs
        dec = f.rr->pick_next(0, 0);
        ASSERT_EQ(dec.next, &b);
        EXPECT_FALSE(f.rr->should_preempt(0));  // nobody else waits: b keeps the CPU
        f.rr->leave(b, LeaveReason::Preempted, 0);
    }
    const Placement p = f.rr->wake(a, 0);
    EXPECT_TRUE(p.done);
    EXPECT_EQ(p.queue, 0u);
    EXPECT_EQ(a.state.load(), VcpuState::Runnable);
    EXPECT_FALSE(f.rr->wake(a, 0).done);  // already runnable
    // Woken from blocked: head of the queue, and the CPU is told to switch now (boost).
    EXPECT_TRUE(f.rr->take_boost(0));
    EXPECT_FALSE(f.rr->take_boost(0));  // taken once
    EXPECT_EQ(f.rr->pick_next(0, 0).next, &a);
    EXPECT_EQ(f.rr->pick_next(0, 0).next, &b);
}

TEST(RoundRobin, WakeOfVcpuQueuedOnABusyCpuPokesThatCpu)
{
    Fixture f{2};
    Domain& d = f.domain();
    Vcpu& a = f.started(d, 1);
    Vcpu& b = f.started(d, 1);
    ASSERT_EQ(f.rr->pick_next(1, 0).next, &a);
    EXPECT_FALSE(f.rr->leave(a, LeaveReason::Blocked, 1));
    ASSERT_EQ(f.rr->pick_next(1, 0).next, &b);  // CPU 1 busy with b, CPU 0 not idle
    const Placement p = f.rr->wake(a, 0);       // woken from CPU 0
    EXPECT_TRUE(p.done);
    EXPECT_EQ(p.queue, 1u);
    EXPECT_EQ(p.poke, 1u);  // CPU 1 must preempt b now, not at its slice end
    EXPECT_TRUE(f.rr->take_boost(1));
}

TEST(RoundRobin, WakePendingBeforeBlockKeepsVcpuRunnable)
{
    Fixture f{1};
    Domain& d = f.domain();
    Vcpu& a = f.started(d, 0);
    ASSERT_EQ(f.rr->pick_next(0, 0).next, &a);
    // A wake arrives after the WFI looked for interrupts but before it blocked.
    set_flag(a.sched_flags, VcpuFlag::WakePending);
    EXPECT_FALSE(f.rr->wake(a, 0).done);  // a is Running: nothing to do yet
    f.rr->leave(a, LeaveReason::Blocked, 0);
    EXPECT_EQ(a.state.load(), VcpuState::Runnable);
    EXPECT_EQ(a.sched_flags.load() & static_cast<uint32_t>(VcpuFlag::WakePending), 0u);
    EXPECT_EQ(f.rr->pick_next(0, 0).next, &a);
}

TEST(RoundRobin, IdleCpuStealsAndVcpuMoves)
{
    Fixture f{2};
    Domain& d = f.domain();
    Vcpu& a = f.started(d, 0);
    Vcpu& b = f.started(d, 0);
    EXPECT_EQ(f.rr->pick_next(0, 0).next, &a);
    const Decision dec = f.rr->pick_next(1, 0);  // CPU 1's queue is empty
    EXPECT_EQ(dec.next, &b);
    EXPECT_EQ(b.processor, 1u);
    EXPECT_EQ(f.rr->queued(0), 0u);
    f.rr->leave(b, LeaveReason::Blocked, 1);
    EXPECT_EQ(f.rr->wake(b, 0).queue, 1u);  // wakes where it last ran
    EXPECT_EQ(f.rr->pick_next(1, 0).next, &b);
}

TEST(RoundRobin, PokesAnIdleCpu)
{
    Fixture f{3};
    Domain& d = f.domain();
    Vcpu& a = f.vcpu(d, 1);
    f.rr->set_idle(1, true);
    Placement p = f.rr->start(a, nullptr, nullptr, 0);
    EXPECT_TRUE(p.done);
    EXPECT_EQ(p.queue, 1u);
    EXPECT_EQ(p.poke, 1u);  // its own CPU idles
    f.rr->set_idle(1, false);

    Vcpu& b = f.vcpu(d, 1);  // CPU 1 busy, CPU 2 idle: CPU 2 will steal it
    f.rr->set_idle(2, true);
    p = f.rr->start(b, nullptr, nullptr, 0);
    EXPECT_EQ(p.poke, 2u);
    f.rr->set_idle(2, false);

    Vcpu& c = f.vcpu(d, 0);  // our own queue, nobody idle: nobody to poke
    p = f.rr->start(c, nullptr, nullptr, 0);
    EXPECT_EQ(p.poke, kNoCpu);
}

TEST(RoundRobin, PinnedVcpusAreNeverStolen)
{
    // dom0_vcpus_pin: CPU 1 idles with nothing of its own; CPU 0's queue holds a
    // pinned vCPU and, behind it, one that may move: only that one is stolen.
    Fixture f{2};
    Domain& d = f.domain();
    Vcpu& pinned = f.vcpu(d, 0);
    pinned.pinned = true;
    ASSERT_TRUE(f.rr->start(pinned, nullptr, nullptr, 0).done);
    Vcpu& free = f.started(d, 0);
    const Decision dec = f.rr->pick_next(1, 0);
    EXPECT_EQ(dec.next, &free);
    EXPECT_EQ(free.processor, 1u);
    EXPECT_EQ(f.rr->pick_next(1, 0).next, nullptr);  // the pinned one stays
    EXPECT_EQ(pinned.processor, 0u);
    EXPECT_EQ(f.rr->pick_next(0, 0).next, &pinned);
}

TEST(RoundRobin, CpuOffAndStartAgain)
{
    Fixture f{1};
    Domain& d = f.domain();
    Vcpu& a = f.started(d, 0);
    ASSERT_EQ(f.rr->pick_next(0, 0).next, &a);
    f.rr->leave(a, LeaveReason::Off, 0);
    EXPECT_EQ(a.state.load(), VcpuState::Offline);
    EXPECT_EQ(f.rr->pick_next(0, 0).next, nullptr);
    EXPECT_FALSE(f.rr->wake(a, 0).done);  // waking does not power it on
    int prepared = 0;
    auto prepare = [](Vcpu& v, void* ctx) {
        EXPECT_EQ(v.state.load(), VcpuState::Offline);
        ++*static_cast<int*>(ctx);
    };
    EXPECT_TRUE(f.rr->start(a, prepare, &prepared, 0).done);
    EXPECT_FALSE(f.rr->start(a, prepare, &prepared, 0).done);  // already on
    EXPECT_EQ(prepared, 1);
}

TEST(RoundRobin, KillInEveryState)
{
    Fixture f{2};
    Domain& d = f.domain();
    Vcpu& running = f.started(d, 0);
    Vcpu& runnable = f.started(d, 0);
    Vcpu& blocked = f.started(d, 1);
    Vcpu& offline = f.vcpu(d, 1);
    ASSERT_EQ(f.rr->pick_next(0, 0).next, &running);
    ASSERT_EQ(f.rr->pick_next(1, 0).next, &blocked);
    f.rr->leave(blocked, LeaveReason::Blocked, 1);

    d.state.store(DomainState::ShuttingDown);
    EXPECT_FALSE(f.rr->kill(running));
    EXPECT_TRUE(f.rr->kill(runnable));
    EXPECT_TRUE(f.rr->kill(blocked));
    EXPECT_TRUE(f.rr->kill(offline));
    EXPECT_FALSE(f.rr->kill(offline));  // Dead already
    EXPECT_EQ(f.rr->queued(0), 0u);
    EXPECT_EQ(f.rr->pick_next(1, 0).next, nullptr);
    // Its CPU stops the running one: Dead whatever reason it gives.
    EXPECT_TRUE(f.rr->leave(running, LeaveReason::Blocked, 0));
    EXPECT_EQ(running.state.load(), VcpuState::Dead);
    // Nothing brings a vCPU of an ending domain back.
    EXPECT_FALSE(f.rr->wake(blocked, 0).done);
    Vcpu& late = f.vcpu(d, 0);
    EXPECT_FALSE(f.rr->start(late, nullptr, nullptr, 0).done);
}

// Four threads stand for four CPUs running a scheduler loop while a fifth wakes
// vCPUs: no vCPU is ever Running on two CPUs, and nothing deadlocks.
TEST(RoundRobin, ConcurrentCpus)
{
    constexpr size_t kCpus = 4;
    Fixture f{kCpus};
    Domain& d = f.domain();
    std::vector<Vcpu*> all;
    for (CpuIndex i = 0; i < 6; ++i) all.push_back(&f.started(d, i % kCpus));
    std::vector<std::atomic<int>> on_cpu(all.size());
    std::atomic<bool> stop{false};
    std::atomic<int> violations{0};
    auto index_of = [&all](Vcpu* v) {
        return static_cast<size_t>(std::find(all.begin(), all.end(), v) - all.begin());
    };

    std::vector<std::thread> cpus;
    for (CpuIndex c = 0; c < kCpus; ++c) {
        cpus.emplace_back([&, c] {
            unsigned n = 0;
            while (!stop.load()) {
                const Decision dec = f.rr->pick_next(c, 0);
                if (dec.next == nullptr) continue;
                const size_t i = index_of(dec.next);
                if (on_cpu[i].fetch_add(1) != 0) ++violations;
                if (dec.next->processor != c) ++violations;
                on_cpu[i].fetch_sub(1);
                const bool block = ++n % 3 == 0;
                f.rr->leave(*dec.next, block ? LeaveReason::Blocked : LeaveReason::Preempted, c);
            }
        });
    }
    std::thread waker([&] {
        for (int round = 0; round < 20000; ++round) {
            Vcpu& v = *all[static_cast<size_t>(round) % all.size()];
            set_flag(v.sched_flags, VcpuFlag::WakePending);
            (void)f.rr->wake(v, 0);
        }
        stop.store(true);
    });
    waker.join();
    for (auto& t : cpus) t.join();
    EXPECT_EQ(violations.load(), 0);
}

}  // namespace
}  // namespace keel
