// SPDX-License-Identifier: MIT
//
// tests/unit/core/percpu_test.cpp
// Checks the PerCpu table (slots, this_cpu() through the host stand-in for
// TPIDR_EL2, online count), the work bits, and the cross-CPU call queue
// (FIFO, bounded, wrap-around, concurrent producers).
#include "core/percpu.hpp"

#include <gtest/gtest.h>

#include <thread>
#include <vector>

namespace keel {
namespace {

TEST(PerCpu, SlotsAndThisCpu)
{
    PerCpu& c0 = percpu_assign(0, 0x0);
    PerCpu& c1 = percpu_assign(1, 0x101);
    EXPECT_EQ(&c0, &cpu(0));
    EXPECT_EQ(c1.index, 1u);
    EXPECT_EQ(c1.mpidr, 0x101u);
    EXPECT_TRUE(c1.present.load());

    percpu_attach(1);
    EXPECT_EQ(&this_cpu(), &c1);
    // Another thread stands for another CPU: its own TPIDR_EL2.
    std::thread other([] {
        percpu_attach(0);
        EXPECT_EQ(&this_cpu(), &cpu(0));
    });
    other.join();
    EXPECT_EQ(&this_cpu(), &c1);
}

TEST(PerCpu, OnlineCount)
{
    for (CpuIndex i = 0; i < config::kMaxCpus; ++i) cpu(i).online.store(false);
    EXPECT_EQ(online_cpu_count(), 0u);
    cpu(0).online.store(true);
    cpu(config::kMaxCpus - 1).online.store(true);
    EXPECT_EQ(online_cpu_count(), 2u);
    for (CpuIndex i = 0; i < config::kMaxCpus; ++i) cpu(i).online.store(false);
}

TEST(PerCpu, WorkBits)
{
    PerCpu& c = cpu(0);
    c.pending_work.store(0);
    raise_work(c, Work::Call);
    raise_work(c, Work::Wake);
    const uint32_t bits = take_work(c);
    EXPECT_TRUE(has_work(bits, Work::Call));
    EXPECT_TRUE(has_work(bits, Work::Wake));
    EXPECT_EQ(take_work(c), 0u);
}

void record(void* arg) { static_cast<std::vector<int>*>(arg)->push_back(0); }

TEST(CallQueue, FifoBoundedAndWraps)
{
    CallQueue q;
    int tags[CallQueue::kCapacity + 1];
    for (size_t round = 0; round < 3; ++round) {  // wraps the ring several times
        for (size_t i = 0; i < CallQueue::kCapacity; ++i) EXPECT_TRUE(q.push(record, &tags[i]));
        EXPECT_FALSE(q.push(record, &tags[CallQueue::kCapacity]));  // full
        CrossCall fn = nullptr;
        void* arg = nullptr;
        for (size_t i = 0; i < CallQueue::kCapacity; ++i) {
            ASSERT_TRUE(q.pop(fn, arg));
            EXPECT_EQ(fn, &record);
            EXPECT_EQ(arg, &tags[i]);
        }
        EXPECT_FALSE(q.pop(fn, arg));
        EXPECT_TRUE(q.push(record, &tags[0]));  // shift the ring's start
        ASSERT_TRUE(q.pop(fn, arg));
    }
}

void count(void* arg) { ++*static_cast<int*>(arg); }

// One producer thread against the consumer (a CPU posting to another). Kept
// small and yielding: the ticket lock spins, and an oversubscribed host would
// otherwise turn every preempted waiter into a scheduler time slice.
TEST(CallQueue, ProducerAndConsumerThreads)
{
    CallQueue q;
    constexpr int kCalls = 1000;
    int counter = 0;
    std::thread producer([&q, &counter] {
        for (int i = 0; i < kCalls;) {
            if (q.push(count, &counter)) {
                ++i;
            } else {
                std::this_thread::yield();
            }
        }
    });
    int consumed = 0;
    CrossCall fn = nullptr;
    void* arg = nullptr;
    while (consumed < kCalls) {
        if (q.pop(fn, arg)) {
            fn(arg);
            ++consumed;
        } else {
            std::this_thread::yield();
        }
    }
    producer.join();
    EXPECT_EQ(counter, kCalls);
    EXPECT_FALSE(q.pop(fn, arg));
}

}  // namespace
}  // namespace keel
