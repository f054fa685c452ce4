// SPDX-License-Identifier: MIT
//
// tests/unit/core/event/event_2l_test.cpp
// The 2-level delivery rules (ABI §3.2), vcpu_info registration (ABI §1.4 step
// 15) and the SCHEDOP_poll wake-up, against fake shared memory.
#include <gtest/gtest.h>

#include "core/event/event_core.hpp"
#include "event_test_env.hpp"

namespace keel {
namespace {

using test::bit_set;
using test::FakeEvtchnEnv;
using test::TestDomain;

TEST(Event2l, SetPendingRespectsMaskAndSelector)
{
    FakeEvtchnEnv env;
    TestDomain d{env, 1, 1};
    xen::SharedInfo& s = env.shared(1);
    const uint32_t p = evtchn::bind_ipi(env, *d, 0).value();
    ASSERT_EQ(p, 1u);
    s.evtchn_mask[0] = uint64_t{1} << p;  // the guest masks before binding

    ASSERT_TRUE(evtchn::send(env, *d, p).ok());
    EXPECT_TRUE(bit_set(s.evtchn_pending, p));
    EXPECT_EQ(s.vcpu_info[0].evtchn_pending_sel, 0u);  // masked: no selector, no upcall
    EXPECT_TRUE(env.upcalls.empty());

    ASSERT_TRUE(evtchn::unmask_port(env, *d, p).ok());
    EXPECT_EQ(s.vcpu_info[0].evtchn_pending_sel, 1u);
    EXPECT_EQ(s.vcpu_info[0].evtchn_upcall_pending, 1);
    EXPECT_EQ(env.upcalls.size(), 1u);
    EXPECT_FALSE(bit_set(s.evtchn_mask, p));

    // Already pending: nothing more.
    ASSERT_TRUE(evtchn::send(env, *d, p).ok());
    EXPECT_EQ(env.upcalls.size(), 1u);

    // The guest handled it; a new event with the upcall still flagged raises nothing.
    s.evtchn_pending[0] = 0;
    s.vcpu_info[0].evtchn_pending_sel = 0;
    ASSERT_TRUE(evtchn::send(env, *d, p).ok());
    EXPECT_EQ(s.vcpu_info[0].evtchn_pending_sel, 1u);
    EXPECT_EQ(env.upcalls.size(), 1u);
    // Once the guest cleared evtchn_upcall_pending, the next one injects again.
    s.evtchn_pending[0] = 0;
    s.vcpu_info[0].evtchn_pending_sel = 0;
    s.vcpu_info[0].evtchn_upcall_pending = 0;
    ASSERT_TRUE(evtchn::send(env, *d, p).ok());
    EXPECT_EQ(env.upcalls.size(), 2u);
    evtchn::teardown(env, *d);
}

TEST(Event2l, HighPortUsesItsWordAndSelectorBit)
{
    FakeEvtchnEnv env;
    TestDomain d{env, 1, 1};
    d->max_port = 4095;
    EXPECT_TRUE(evtchn::bind_pair(env, *d, 4095, *d, 130).ok());
    ASSERT_TRUE(evtchn::send(env, *d, 130).ok());
    EXPECT_TRUE(bit_set(env.shared(1).evtchn_pending, 4095));
    EXPECT_EQ(env.shared(1).vcpu_info[0].evtchn_pending_sel, uint64_t{1} << 63);
    evtchn::teardown(env, *d);
}

TEST(Event2l, RegisterVcpuInfo)
{
    FakeEvtchnEnv env;
    TestDomain d{env, 1, 2};
    xen::SharedInfo& s = env.shared(1);
    s.vcpu_info[0].evtchn_pending_sel = 0x5;
    EXPECT_EQ(evtchn::register_vcpu_info(env, *d, 0, 0x1000, 4).error(), Errno::NxIo);
    EXPECT_EQ(evtchn::register_vcpu_info(env, *d, 0, 0x1000, 4096 - 40).error(), Errno::NxIo);
    EXPECT_EQ(evtchn::register_vcpu_info(env, *d, 0, 0x9999, 0).error(), Errno::Inval);
    EXPECT_EQ(evtchn::register_vcpu_info(env, *d, 2, 0x1000, 0).error(), Errno::NoEnt);

    ASSERT_TRUE(evtchn::register_vcpu_info(env, *d, 0, 0x1000, 4096 - 48).ok());
    auto* vi = reinterpret_cast<xen::VcpuInfo*>(static_cast<uint8_t*>(env.page(1, 0x1000)) +
                                                4096 - 48);
    EXPECT_EQ(vi->evtchn_upcall_pending, 1);
    EXPECT_EQ(vi->evtchn_pending_sel, ~uint64_t{0});
    EXPECT_EQ(env.upcalls_for(1, 0), 1u);  // raised even though it was flagged before
    EXPECT_EQ(evtchn::register_vcpu_info(env, *d, 0, 0x1001, 0).error(), Errno::Inval);

    // Events now go to the registered vcpu_info, not shared_info's.
    vi->evtchn_upcall_pending = 0;
    vi->evtchn_pending_sel = 0;
    const uint32_t p = evtchn::bind_ipi(env, *d, 0).value();
    ASSERT_TRUE(evtchn::send(env, *d, p).ok());
    EXPECT_EQ(vi->evtchn_pending_sel, 1u);
    EXPECT_EQ(vi->evtchn_upcall_pending, 1);
    EXPECT_EQ(s.vcpu_info[0].evtchn_upcall_pending, 0);
    EXPECT_EQ(env.upcalls_for(1, 0), 2u);

    // vCPU 1: what piled up in the dummy is carried over.
    const uint32_t p1 = evtchn::bind_ipi(env, *d, 1).value();
    ASSERT_TRUE(evtchn::send(env, *d, p1).ok());
    EXPECT_EQ(d->vcpu[1].dummy.evtchn_upcall_pending, 1);
    ASSERT_TRUE(evtchn::register_vcpu_info(env, *d, 1, 0x1000, 0).ok());
    EXPECT_EQ(env.upcalls_for(1, 1), 2u);
    evtchn::teardown(env, *d);
    EXPECT_EQ(env.maps, env.unmaps);
}

TEST(Event2l, PollersAreWokenByTheirPortOnly)
{
    FakeEvtchnEnv env;
    TestDomain d{env, 1, 2};
    const uint32_t p = evtchn::bind_ipi(env, *d, 0).value();
    const uint32_t q = evtchn::bind_ipi(env, *d, 0).value();
    d->vcpu[1].poll_port.store(q);
    d->pollers.store(0b10);
    env.shared(1).evtchn_mask[0] = ~uint64_t{0};  // polling works on masked ports
    ASSERT_TRUE(evtchn::send(env, *d, p).ok());
    EXPECT_TRUE(env.wakes.empty());
    EXPECT_TRUE(evtchn::poll_port_pending(env, *d, p).value());
    EXPECT_FALSE(evtchn::poll_port_pending(env, *d, q).value());
    EXPECT_EQ(evtchn::poll_port_pending(env, *d, 4096).error(), Errno::Inval);
    ASSERT_TRUE(evtchn::send(env, *d, q).ok());
    ASSERT_EQ(env.wakes.size(), 1u);
    EXPECT_EQ(env.wakes[0].second, 1u);
    EXPECT_EQ(d->pollers.load(), 0u);
    EXPECT_FALSE(evtchn::upcall_pending(env, *d, 0));
    evtchn::teardown(env, *d);
}

}  // namespace
}  // namespace keel
