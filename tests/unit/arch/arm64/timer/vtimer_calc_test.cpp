// SPDX-License-Identifier: MIT
//
// tests/unit/arch/arm64/timer/vtimer_calc_test.cpp
// Checks the virtual-timer arithmetic against the Arm ARM (DDI 0487, "Operation
// of the AArch64 EL1 virtual timer"): virtual count = physical - CNTVOFF_EL2,
// condition "virtual count >= CVAL", interrupt only when ENABLE and not IMASK.
#include "arch/arm64/timer/vtimer_calc.hpp"

#include <gtest/gtest.h>

namespace keel::arm64 {
namespace {

constexpr uint64_t kEnable = 1, kImask = 2, kIstatus = 4;

TEST(VtimerCalc, CanFire)
{
    EXPECT_TRUE(vtimer_can_fire(kEnable));
    EXPECT_TRUE(vtimer_can_fire(kEnable | kIstatus));
    EXPECT_FALSE(vtimer_can_fire(kEnable | kImask));
    EXPECT_FALSE(vtimer_can_fire(0));
}

TEST(VtimerCalc, DeadlineIsCvalPlusOffset)
{
    const uint64_t cntvoff = 1'000'000;
    EXPECT_EQ(vtimer_deadline_of(kEnable, 62'500, cntvoff), 1'062'500u);
    EXPECT_EQ(vtimer_deadline_of(kEnable | kImask, 62'500, cntvoff), TimerQueue::kNever);
    EXPECT_EQ(vtimer_deadline_of(0, 62'500, cntvoff), TimerQueue::kNever);
    // Linux parks a stopped timer at CVAL = ~0 with ENABLE cleared; even enabled,
    // a deadline past the end of the counter never comes.
    EXPECT_EQ(vtimer_deadline_of(kEnable, ~uint64_t{0}, cntvoff), TimerQueue::kNever);
    EXPECT_EQ(vtimer_deadline_of(kEnable, ~uint64_t{0} - cntvoff, cntvoff), ~uint64_t{0});
}

TEST(VtimerCalc, Condition)
{
    EXPECT_FALSE(vtimer_condition(100, 1000, 1099));
    EXPECT_TRUE(vtimer_condition(100, 1000, 1100));
    EXPECT_TRUE(vtimer_condition(100, 1000, 5000));
    EXPECT_TRUE(vtimer_condition(0, 1000, 1000));
}

}  // namespace
}  // namespace keel::arm64
