// SPDX-License-Identifier: MIT
//
// tests/unit/core/hypercall/runstate_test.cpp
// Runstate accounting (VCPUOP_register_runstate_memory_area, ABI §3.8).
#include <gtest/gtest.h>

#include "core/hypercall/runstate.hpp"

namespace keel {
namespace {

using xen::Runstate;

TEST(Runstate, AccountsEachState)
{
    RunstateAccount r;
    runstate_change(r, Runstate::Running, 1000);  // first entry: nothing accounted
    runstate_change(r, Runstate::Runnable, 1500);
    runstate_change(r, Runstate::Running, 1800);
    runstate_change(r, Runstate::Blocked, 2000);
    runstate_change(r, Runstate::Running, 2600);
    const xen::VcpuRunstateInfo i = runstate_info(r);
    EXPECT_EQ(i.state, 0);
    EXPECT_EQ(i.state_entry_time, 2600u);
    EXPECT_EQ(i.time[0], 700u);
    EXPECT_EQ(i.time[1], 300u);
    EXPECT_EQ(i.time[2], 600u);
    EXPECT_EQ(i.time[3], 0u);
}

TEST(Runstate, StartsOffline)
{
    const xen::VcpuRunstateInfo i = runstate_info(RunstateAccount{});
    EXPECT_EQ(i.state, 3);
    EXPECT_EQ(i.state_entry_time, 0u);
}

}  // namespace
}  // namespace keel
