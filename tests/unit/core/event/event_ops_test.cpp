// SPDX-License-Identifier: MIT
//
// tests/unit/core/event/event_ops_test.cpp
// Port allocation and the bind/close/send state machine (core/event/event_ops.cpp,
// port_table.cpp) against the fake environment, with Xen 4.17's errors.
#include <gtest/gtest.h>

#include "core/event/event_core.hpp"
#include "event_test_env.hpp"

namespace keel {
namespace {

using test::bit_set;
using test::FakeEvtchnEnv;
using test::TestDomain;

TEST(EventPorts, PortZeroIsReservedAndAllocationIsLowestFree)
{
    FakeEvtchnEnv env;
    TestDomain d{env, 1, 1};
    EXPECT_EQ(evtchn::alloc_unbound(env, *d, 0).value(), 1u);
    EXPECT_EQ(evtchn::alloc_unbound(env, *d, 0).value(), 2u);
    EXPECT_EQ(evtchn::alloc_unbound(env, *d, 0).value(), 3u);
    EXPECT_TRUE(evtchn::close(env, *d, 2).ok());
    EXPECT_EQ(evtchn::alloc_unbound(env, *d, 0).value(), 2u);
    EXPECT_EQ(evtchn::status(env, *d, 0).value().status, xen::EvtchnStat::Closed);
    EXPECT_EQ(evtchn::close(env, *d, 0).error(), Errno::Inval);
    EXPECT_EQ(evtchn::close(env, *d, 100).error(), Errno::Inval);   // in a bucket, free
    EXPECT_EQ(evtchn::close(env, *d, 5000).error(), Errno::Inval);  // beyond 2-level
    evtchn::teardown(env, *d);
}

TEST(EventPorts, DefaultMaxPortIs1023AsXenDom0less)
{
    FakeEvtchnEnv env;
    TestDomain d{env, 1, 1};
    for (uint32_t i = 1; i < 1024; ++i) ASSERT_EQ(evtchn::alloc_unbound(env, *d, 0).value(), i);
    EXPECT_EQ(evtchn::alloc_unbound(env, *d, 0).error(), Errno::NoSpc);
    EXPECT_TRUE(evtchn::status(env, *d, 1023).ok());
    EXPECT_EQ(evtchn::status(env, *d, 1024).error(), Errno::Inval);
    EXPECT_EQ(evtchn::bind_pair(env, *d, 1024, *d, 1025).error(), Errno::Inval);
    evtchn::teardown(env, *d);
    EXPECT_EQ(env.allocs, env.frees);
}

TEST(EventPorts, BucketsOf64LikeXen)
{
    FakeEvtchnEnv env;
    TestDomain d{env, 1, 1};
    EXPECT_EQ(evtchn::status(env, *d, 63).value().status, xen::EvtchnStat::Closed);
    EXPECT_EQ(evtchn::status(env, *d, 64).error(), Errno::Inval);
    evtchn::teardown(env, *d);
}

TEST(EventPorts, TwoLevelDomainHas4095Ports)
{
    FakeEvtchnEnv env;
    TestDomain d{env, 1, 1};
    d->max_port = 4095;
    for (uint32_t i = 1; i < 4096; ++i) ASSERT_EQ(evtchn::alloc_unbound(env, *d, 0).value(), i);
    EXPECT_EQ(evtchn::alloc_unbound(env, *d, 0).error(), Errno::NoSpc);
    evtchn::teardown(env, *d);
    EXPECT_EQ(env.allocs, env.frees);
}

TEST(EventPorts, InterdomainBindSendClose)
{
    FakeEvtchnEnv env;
    TestDomain a{env, 1, 1};
    TestDomain b{env, 2, 1};
    const uint32_t pa = evtchn::alloc_unbound(env, *a, 2).value();
    auto st = evtchn::status(env, *a, pa).value();
    EXPECT_EQ(st.status, xen::EvtchnStat::Unbound);
    EXPECT_EQ(st.dom, 2);

    EXPECT_TRUE(evtchn::send(env, *a, pa).ok());  // unbound: dropped
    EXPECT_FALSE(bit_set(env.shared(1).evtchn_pending, pa));

    const uint32_t pb = evtchn::bind_interdomain(env, *b, *a, pa).value();
    EXPECT_TRUE(bit_set(env.shared(2).evtchn_pending, pb));  // always raised on bind
    EXPECT_EQ(env.upcalls_for(2, 0), 1u);
    st = evtchn::status(env, *b, pb).value();
    EXPECT_EQ(st.status, xen::EvtchnStat::Interdomain);
    EXPECT_EQ(st.dom, 1);
    EXPECT_EQ(st.port, pa);

    EXPECT_TRUE(evtchn::send(env, *b, pb).ok());
    EXPECT_TRUE(bit_set(env.shared(1).evtchn_pending, pa));
    EXPECT_EQ(env.upcalls_for(1, 0), 1u);

    // b (higher domid) closes: a's port goes back to unbound for b.
    EXPECT_TRUE(evtchn::close(env, *b, pb).ok());
    st = evtchn::status(env, *a, pa).value();
    EXPECT_EQ(st.status, xen::EvtchnStat::Unbound);
    EXPECT_EQ(st.dom, 2);
    EXPECT_EQ(env.holds, env.releases);
    EXPECT_FALSE(bit_set(env.shared(2).evtchn_pending, pb));  // cleared on close

    // and b can bind to it again
    EXPECT_EQ(evtchn::bind_interdomain(env, *b, *a, pa).value(), pb);
    EXPECT_TRUE(evtchn::close(env, *a, pa).ok());  // lower domid closes
    EXPECT_EQ(evtchn::status(env, *b, pb).value().status, xen::EvtchnStat::Unbound);
    EXPECT_EQ(evtchn::status(env, *b, pb).value().dom, 1);
    evtchn::teardown(env, *a);
    evtchn::teardown(env, *b);
}

TEST(EventPorts, BindInterdomainErrors)
{
    FakeEvtchnEnv env;
    TestDomain a{env, 1, 1};
    TestDomain b{env, 2, 1};
    TestDomain c{env, 3, 1};
    const uint32_t pa = evtchn::alloc_unbound(env, *a, 2).value();
    EXPECT_EQ(evtchn::bind_interdomain(env, *c, *a, pa).error(), Errno::Inval);  // not for c
    EXPECT_EQ(evtchn::bind_interdomain(env, *b, *a, 77).error(), Errno::Inval);  // free
    EXPECT_EQ(evtchn::bind_interdomain(env, *b, *a, 0).error(), Errno::Inval);   // reserved
    EXPECT_EQ(evtchn::bind_interdomain(env, *b, *a, 99999).error(), Errno::Inval);
    ASSERT_TRUE(evtchn::bind_interdomain(env, *b, *a, pa).ok());
    EXPECT_EQ(evtchn::bind_interdomain(env, *b, *a, pa).error(), Errno::Inval);  // bound
    evtchn::teardown(env, *a);
    evtchn::teardown(env, *b);
    evtchn::teardown(env, *c);
}

TEST(EventPorts, LoopbackWithinOneDomain)
{
    FakeEvtchnEnv env;
    TestDomain d{env, 5, 1};
    const uint32_t p1 = evtchn::alloc_unbound(env, *d, 5).value();
    const uint32_t p2 = evtchn::bind_interdomain(env, *d, *d, p1).value();
    EXPECT_NE(p1, p2);
    env.shared(5).evtchn_pending[0] = 0;
    EXPECT_TRUE(evtchn::send(env, *d, p1).ok());
    EXPECT_TRUE(bit_set(env.shared(5).evtchn_pending, p2));
    EXPECT_TRUE(evtchn::close(env, *d, p2).ok());
    auto st = evtchn::status(env, *d, p1).value();
    EXPECT_EQ(st.status, xen::EvtchnStat::Unbound);
    EXPECT_EQ(st.dom, 5);
    evtchn::teardown(env, *d);
}

TEST(EventPorts, VirqBinding)
{
    FakeEvtchnEnv env;
    TestDomain d{env, 1, 2};
    const auto dom_exc = static_cast<uint32_t>(xen::Virq::DomExc);
    const auto timer = static_cast<uint32_t>(xen::Virq::Timer);
    EXPECT_EQ(evtchn::bind_virq(env, *d, dom_exc, 1).error(), Errno::Inval);  // global on vCPU 1
    EXPECT_EQ(evtchn::bind_virq(env, *d, 24, 0).error(), Errno::Inval);
    EXPECT_EQ(evtchn::bind_virq(env, *d, timer, 2).error(), Errno::NoEnt);
    const uint32_t p = evtchn::bind_virq(env, *d, dom_exc, 0).value();
    EXPECT_EQ(evtchn::bind_virq(env, *d, dom_exc, 0).error(), Errno::Exist);
    auto st = evtchn::status(env, *d, p).value();
    EXPECT_EQ(st.status, xen::EvtchnStat::Virq);
    EXPECT_EQ(st.virq, dom_exc);
    EXPECT_EQ(evtchn::send(env, *d, p).error(), Errno::Inval);  // a VIRQ cannot be sent

    evtchn::raise_virq(env, *d, dom_exc, 0);
    EXPECT_TRUE(bit_set(env.shared(1).evtchn_pending, p));
    EXPECT_EQ(env.upcalls_for(1, 0), 1u);

    // A global VIRQ may move; a per-vCPU one may not.
    EXPECT_TRUE(evtchn::bind_vcpu(env, *d, p, 1).ok());
    const uint32_t pt = evtchn::bind_virq(env, *d, timer, 1).value();
    EXPECT_EQ(evtchn::bind_vcpu(env, *d, pt, 0).error(), Errno::Inval);
    EXPECT_EQ(evtchn::bind_vcpu(env, *d, pt, 7).error(), Errno::NoEnt);

    EXPECT_TRUE(evtchn::close(env, *d, p).ok());
    EXPECT_EQ(evtchn::bind_virq(env, *d, dom_exc, 0).value(), p);  // unbound by close
    evtchn::teardown(env, *d);
}

TEST(EventPorts, IpiGoesToItsVcpu)
{
    FakeEvtchnEnv env;
    TestDomain d{env, 1, 2};
    EXPECT_EQ(evtchn::bind_ipi(env, *d, 2).error(), Errno::NoEnt);
    const uint32_t p = evtchn::bind_ipi(env, *d, 1).value();
    EXPECT_EQ(evtchn::status(env, *d, p).value().status, xen::EvtchnStat::Ipi);
    EXPECT_EQ(evtchn::status(env, *d, p).value().vcpu, 1u);
    EXPECT_EQ(evtchn::bind_vcpu(env, *d, p, 0).error(), Errno::Inval);
    EXPECT_TRUE(evtchn::send(env, *d, p).ok());
    EXPECT_EQ(env.upcalls_for(1, 1), 1u);
    EXPECT_EQ(env.upcalls_for(1, 0), 0u);
    EXPECT_EQ(d->vcpu[1].dummy.evtchn_upcall_pending, 1);  // not registered yet
    EXPECT_EQ(evtchn::send(env, *d, 4000).error(), Errno::Inval);
    evtchn::teardown(env, *d);
}

TEST(EventPorts, SetPriorityNeedsFifo)
{
    FakeEvtchnEnv env;
    TestDomain d{env, 1, 1};
    const uint32_t p = evtchn::alloc_unbound(env, *d, 0).value();
    EXPECT_EQ(evtchn::set_priority(env, *d, p, 3).error(), Errno::NoSys);
    EXPECT_EQ(evtchn::set_priority(env, *d, 999, 3).error(), Errno::Inval);
    evtchn::teardown(env, *d);
}

TEST(EventPorts, StaticPair)
{
    FakeEvtchnEnv env;
    TestDomain a{env, 1, 1};
    TestDomain b{env, 2, 1};
    EXPECT_TRUE(evtchn::bind_pair(env, *a, 10, *b, 300).ok());
    auto st = evtchn::status(env, *b, 300).value();
    EXPECT_EQ(st.status, xen::EvtchnStat::Interdomain);
    EXPECT_EQ(st.dom, 1);
    EXPECT_EQ(st.port, 10u);
    EXPECT_EQ(evtchn::bind_pair(env, *a, 10, *b, 301).error(), Errno::Exist);
    EXPECT_EQ(evtchn::bind_pair(env, *a, 0, *b, 302).error(), Errno::Inval);
    EXPECT_EQ(evtchn::bind_pair(env, *a, 4096, *b, 302).error(), Errno::Inval);
    EXPECT_EQ(evtchn::bind_pair(env, *a, 11, *a, 11).error(), Errno::Inval);
    EXPECT_TRUE(evtchn::send(env, *a, 10).ok());
    EXPECT_TRUE(bit_set(env.shared(2).evtchn_pending, 300));
    // Ports below the static ones stay allocatable.
    EXPECT_EQ(evtchn::alloc_unbound(env, *a, 0).value(), 1u);
    evtchn::teardown(env, *a);
    EXPECT_EQ(evtchn::status(env, *b, 300).value().status, xen::EvtchnStat::Unbound);
    evtchn::teardown(env, *b);
}

TEST(EventPorts, TeardownUnbindsPeersAndReleasesEverything)
{
    FakeEvtchnEnv env;
    TestDomain a{env, 1, 2};
    TestDomain b{env, 2, 1};
    const uint32_t pb = evtchn::alloc_unbound(env, *b, 1).value();
    const uint32_t pa = evtchn::bind_interdomain(env, *a, *b, pb).value();
    (void)pa;
    ASSERT_TRUE(evtchn::init_control(env, *a, 0x1000, 0, 0).ok());
    ASSERT_TRUE(evtchn::expand_array(env, *a, 0x1001).ok());
    ASSERT_TRUE(evtchn::register_vcpu_info(env, *a, 1, 0x1002, 64).ok());
    evtchn::teardown(env, *a);
    EXPECT_EQ(evtchn::status(env, *b, pb).value().status, xen::EvtchnStat::Unbound);
    EXPECT_EQ(evtchn::alloc_unbound(env, *a, 0).error(), Errno::Inval);  // dying
    EXPECT_EQ(env.maps, 3);
    EXPECT_EQ(env.unmaps, 3);
    evtchn::teardown(env, *b);
    EXPECT_EQ(env.allocs, env.frees);
}

TEST(EventPorts, ResetClosesEverythingAndReturnsToTwoLevel)
{
    FakeEvtchnEnv env;
    TestDomain d{env, 1, 1};
    TestDomain peer{env, 2, 1};
    const uint32_t pp = evtchn::alloc_unbound(env, *peer, 1).value();
    ASSERT_TRUE(evtchn::bind_interdomain(env, *d, *peer, pp).ok());
    ASSERT_TRUE(evtchn::bind_virq(env, *d, 3, 0).ok());
    ASSERT_TRUE(evtchn::init_control(env, *d, 0x1000, 0, 0).ok());
    evtchn::reset(env, *d);
    EXPECT_FALSE(d->fifo);
    EXPECT_EQ(env.maps, env.unmaps);
    EXPECT_EQ(evtchn::status(env, *peer, pp).value().status, xen::EvtchnStat::Unbound);
    EXPECT_EQ(evtchn::bind_virq(env, *d, 3, 0).value(), 1u);
    evtchn::teardown(env, *d);
    evtchn::teardown(env, *peer);
}

}  // namespace
}  // namespace keel
