// SPDX-License-Identifier: MIT
//
// tests/unit/core/event/event_fifo_test.cpp
// The FIFO ABI (ABI §3.3): init_control / expand_array, linking at queue tails
// against a fake event array in host memory, priorities, the 2-level -> FIFO
// switch and events raised before their array page exists.
#include <gtest/gtest.h>

#include "core/event/event_core.hpp"
#include "event_test_env.hpp"

namespace keel {
namespace {

using test::FakeEvtchnEnv;
using test::TestDomain;

constexpr uint32_t kPending = 1u << xen::kEvtchnFifoPending;
constexpr uint32_t kMasked = 1u << xen::kEvtchnFifoMasked;
constexpr uint32_t kLinked = 1u << xen::kEvtchnFifoLinked;
constexpr uint64_t kControlGfn = 0x1000;
constexpr uint64_t kArrayGfn = 0x1001;

struct FifoGuest {
    FifoGuest(FakeEvtchnEnv& env, uint16_t domid)
        : cb{static_cast<xen::EvtchnFifoControlBlock*>(env.page(domid, kControlGfn))},
          words{static_cast<uint32_t*>(env.page(domid, kArrayGfn))}
    {
    }
    // What Linux does with a new array page: every word MASKED.
    void prefill()
    {
        for (uint32_t i = 0; i < xen::kEvtchnFifoWordsPerPage; ++i) words[i] = kMasked;
    }
    // The guest consumed `port`: unlinked, handled (pending cleared).
    void consume(uint32_t port) { words[port] &= ~(kLinked | kPending | xen::kEvtchnFifoLinkMask); }
    xen::EvtchnFifoControlBlock* cb;
    uint32_t* words;
};

void switch_to_fifo(FakeEvtchnEnv& env, DomainEvents& d, FifoGuest& g)
{
    ASSERT_TRUE(evtchn::init_control(env, d, kControlGfn, 0, 0).ok());
    g.prefill();
    ASSERT_TRUE(evtchn::expand_array(env, d, kArrayGfn).ok());
}

TEST(EventFifo, InitControlAndExpandErrors)
{
    FakeEvtchnEnv env;
    TestDomain d{env, 1, 2};
    EXPECT_EQ(evtchn::expand_array(env, *d, kArrayGfn).error(), Errno::OpNotSupp);
    EXPECT_EQ(evtchn::init_control(env, *d, kControlGfn, 0, 2).error(), Errno::NoEnt);
    EXPECT_EQ(evtchn::init_control(env, *d, kControlGfn, 4, 0).error(), Errno::Inval);
    EXPECT_EQ(evtchn::init_control(env, *d, kControlGfn, 4096 - 64, 0).error(), Errno::Inval);
    EXPECT_EQ(evtchn::init_control(env, *d, 0x5, 0, 0).error(), Errno::Inval);  // not RAM
    EXPECT_FALSE(d->fifo);
    ASSERT_TRUE(evtchn::init_control(env, *d, kControlGfn, 4096 - 72, 0).ok());
    EXPECT_TRUE(d->fifo);
    EXPECT_EQ(evtchn::init_control(env, *d, kControlGfn, 0, 0).error(), Errno::Inval);  // twice
    ASSERT_TRUE(evtchn::init_control(env, *d, kControlGfn + 2, 0, 1).ok());  // cpu1, from cpu0
    EXPECT_EQ(evtchn::expand_array(env, *d, 0x9999).error(), Errno::Inval);
    for (uint32_t i = 0; i < kEvtchnFifoMaxPages; ++i)
        ASSERT_TRUE(evtchn::expand_array(env, *d, kArrayGfn + 2 + i).ok());
    EXPECT_EQ(evtchn::expand_array(env, *d, kArrayGfn).error(), Errno::NoSpc);
    evtchn::teardown(env, *d);
    EXPECT_EQ(env.maps, env.unmaps);
}

TEST(EventFifo, LinksAtTheTailAndRaisesOncePerQueue)
{
    FakeEvtchnEnv env;
    TestDomain d{env, 1, 1};
    FifoGuest g{env, 1};
    switch_to_fifo(env, *d, g);
    const uint32_t p1 = evtchn::bind_ipi(env, *d, 0).value();
    const uint32_t p2 = evtchn::bind_ipi(env, *d, 0).value();
    const uint32_t p3 = evtchn::bind_ipi(env, *d, 0).value();
    g.words[p1] &= ~kMasked;
    g.words[p2] &= ~kMasked;

    ASSERT_TRUE(evtchn::send(env, *d, p1).ok());
    EXPECT_EQ(g.words[p1], kPending | kLinked);
    EXPECT_EQ(g.cb->head[7], p1);
    EXPECT_EQ(g.cb->ready, 1u << 7);
    EXPECT_EQ(env.upcalls.size(), 1u);

    ASSERT_TRUE(evtchn::send(env, *d, p2).ok());
    EXPECT_EQ(g.words[p1], kPending | kLinked | p2);  // chained behind p1
    EXPECT_EQ(g.words[p2], kPending | kLinked);
    EXPECT_EQ(env.upcalls.size(), 1u);  // queue was already ready

    ASSERT_TRUE(evtchn::send(env, *d, p3).ok());  // masked: pending only
    EXPECT_EQ(g.words[p3], kPending | kMasked);
    ASSERT_TRUE(evtchn::unmask_port(env, *d, p3).ok());
    EXPECT_EQ(g.words[p3], kPending | kLinked);
    EXPECT_EQ(g.words[p2] & xen::kEvtchnFifoLinkMask, p3);

    // The guest drains the queue; the next event starts a new one at head[7].
    g.consume(p1);
    g.consume(p2);
    g.consume(p3);
    g.cb->ready = 0;
    ASSERT_TRUE(evtchn::send(env, *d, p2).ok());
    EXPECT_EQ(g.cb->head[7], p2);
    EXPECT_EQ(g.words[p3] & xen::kEvtchnFifoLinkMask, 0u);
    EXPECT_EQ(g.cb->ready, 1u << 7);
    EXPECT_EQ(env.upcalls_for(1, 0), 1u);  // evtchn_upcall_pending never cleared by this guest
    evtchn::teardown(env, *d);
}

TEST(EventFifo, PriorityQueuesAndMovingTails)
{
    FakeEvtchnEnv env;
    TestDomain d{env, 1, 1};
    FifoGuest g{env, 1};
    switch_to_fifo(env, *d, g);
    const uint32_t p1 = evtchn::bind_ipi(env, *d, 0).value();
    const uint32_t p2 = evtchn::bind_ipi(env, *d, 0).value();
    g.words[p1] = 0;
    g.words[p2] = 0;
    EXPECT_EQ(evtchn::set_priority(env, *d, p1, 16).error(), Errno::Inval);

    ASSERT_TRUE(evtchn::send(env, *d, p1).ok());  // p1 is the tail of queue 7
    g.consume(p1);
    ASSERT_TRUE(evtchn::set_priority(env, *d, p1, 3).ok());
    ASSERT_TRUE(evtchn::send(env, *d, p1).ok());  // now queue 3; queue 7 forgets its tail
    EXPECT_EQ(g.cb->head[3], p1);
    EXPECT_EQ(g.cb->ready, (1u << 7) | (1u << 3));
    ASSERT_TRUE(evtchn::send(env, *d, p2).ok());
    EXPECT_EQ(g.cb->head[7], p2);  // not chained onto p1 (which is on queue 3)
    EXPECT_EQ(g.words[p1] & xen::kEvtchnFifoLinkMask, 0u);
    evtchn::teardown(env, *d);
}

TEST(EventFifo, NoControlBlockMeansNoLink)
{
    FakeEvtchnEnv env;
    TestDomain d{env, 1, 2};
    FifoGuest g{env, 1};
    switch_to_fifo(env, *d, g);
    const uint32_t p = evtchn::bind_ipi(env, *d, 1).value();  // vCPU 1 has no control block
    g.words[p] = 0;
    ASSERT_TRUE(evtchn::send(env, *d, p).ok());
    EXPECT_EQ(g.words[p], kPending);
    EXPECT_TRUE(env.upcalls.empty());
    evtchn::teardown(env, *d);
}

TEST(EventFifo, PendingBeforeTheArrayPageAndAcrossTheSwitch)
{
    FakeEvtchnEnv env;
    TestDomain d{env, 1, 1};
    FifoGuest g{env, 1};
    // 2-level first: a pending port survives the switch.
    const uint32_t p1 = evtchn::bind_ipi(env, *d, 0).value();
    env.shared(1).evtchn_mask[0] = ~uint64_t{0};
    ASSERT_TRUE(evtchn::send(env, *d, p1).ok());
    ASSERT_TRUE(evtchn::init_control(env, *d, kControlGfn, 0, 0).ok());
    // FIFO without an array page yet: remembered.
    const uint32_t p2 = evtchn::bind_ipi(env, *d, 0).value();
    ASSERT_TRUE(evtchn::send(env, *d, p2).ok());
    EXPECT_FALSE(evtchn::poll_port_pending(env, *d, p2).value());
    g.prefill();
    ASSERT_TRUE(evtchn::expand_array(env, *d, kArrayGfn).ok());
    EXPECT_EQ(g.words[p1], kPending | kMasked);
    EXPECT_EQ(g.words[p2], kPending | kMasked);
    ASSERT_TRUE(evtchn::unmask_port(env, *d, p2).ok());
    EXPECT_EQ(g.cb->head[7], p2);
    // Closing clears the event word's PENDING.
    ASSERT_TRUE(evtchn::close(env, *d, p1).ok());
    EXPECT_EQ(g.words[p1], kMasked);
    evtchn::teardown(env, *d);
}

TEST(EventFifo, PortsBeyondTwoLevelOnceFifo)
{
    FakeEvtchnEnv env;
    TestDomain d{env, 1, 1};
    d->max_port = kEvtchnMaxPorts - 1;
    EXPECT_EQ(evtchn::bind_pair(env, *d, 5000, *d, 5001).error(), Errno::Inval);
    ASSERT_TRUE(evtchn::init_control(env, *d, kControlGfn, 0, 0).ok());
    EXPECT_TRUE(evtchn::bind_pair(env, *d, 5000, *d, 5001).ok());
    EXPECT_EQ(evtchn::bind_pair(env, *d, kEvtchnMaxPorts, *d, 5002).error(), Errno::Inval);
    evtchn::teardown(env, *d);
    EXPECT_EQ(env.allocs, env.frees);
}

}  // namespace
}  // namespace keel
