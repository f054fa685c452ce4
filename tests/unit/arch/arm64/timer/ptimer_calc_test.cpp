// SPDX-License-Identifier: MIT
//
// tests/unit/arch/arm64/timer/ptimer_calc_test.cpp
// Checks the emulated EL1 physical timer's arithmetic against the Arm ARM
// (CNTP_CTL_EL0, CNTP_CVAL_EL0, CNTP_TVAL_EL0): ISTATUS, the interrupt output,
// the deadline, and TVAL's signed 32-bit view of CVAL - count.
#include <gtest/gtest.h>

#include "arch/arm64/timer/ptimer_calc.hpp"

namespace keel::arm64 {
namespace {

constexpr uint64_t kEnable = 1, kImask = 2, kIstatus = 4;

TEST(PtimerCalc, IstatusFollowsTheConditionWhileEnabled)
{
    EXPECT_FALSE(ptimer_istatus(kEnable, 1000, 999));
    EXPECT_TRUE(ptimer_istatus(kEnable, 1000, 1000));  // count >= CVAL, not >
    EXPECT_TRUE(ptimer_istatus(kEnable | kImask, 1000, 5000));  // IMASK does not hide it
    EXPECT_FALSE(ptimer_istatus(0, 1000, 5000));                // disabled: 0
    EXPECT_EQ(ptimer_ctl_read(kEnable | kImask, 1000, 5000), kEnable | kImask | kIstatus);
    EXPECT_EQ(ptimer_ctl_read(kEnable, 1000, 10), kEnable);
}

TEST(PtimerCalc, CtlKeepsOnlyEnableAndImask)
{
    EXPECT_EQ(ptimer_ctl_write(~uint64_t{0}), kEnable | kImask);
    EXPECT_EQ(ptimer_ctl_write(kIstatus), 0u);  // ISTATUS is read-only
}

TEST(PtimerCalc, LineIsEnabledConditionAndNotMasked)
{
    EXPECT_TRUE(ptimer_line(kEnable, 100, 100));
    EXPECT_FALSE(ptimer_line(kEnable, 100, 99));
    EXPECT_FALSE(ptimer_line(kEnable | kImask, 100, 200));
    EXPECT_FALSE(ptimer_line(0, 100, 200));
}

TEST(PtimerCalc, DeadlineOnlyWhenEnabledAndUnmasked)
{
    EXPECT_EQ(ptimer_deadline_of(kEnable, 1234), 1234u);
    EXPECT_EQ(ptimer_deadline_of(kEnable | kImask, 1234), TimerQueue::kNever);
    EXPECT_EQ(ptimer_deadline_of(0, 1234), TimerQueue::kNever);
}

TEST(PtimerCalc, TvalIsSigned32BitsOfCvalMinusCount)
{
    const uint64_t now = 0x1'0000'0000ull;
    EXPECT_EQ(ptimer_cval_from_tval(1000, now), now + 1000);
    EXPECT_EQ(ptimer_cval_from_tval(0xffff'fc18u, now), now - 1000);  // -1000
    // The upper half of the written value is ignored.
    EXPECT_EQ(ptimer_cval_from_tval(0xdead'beef'0000'0010ull, now), now + 16);
    EXPECT_EQ(ptimer_tval_read(now + 1000, now), 1000u);
    EXPECT_EQ(ptimer_tval_read(now - 1000, now), 0xffff'fc18u);  // upper half 0
    // Far away: truncated to 32 bits.
    EXPECT_EQ(ptimer_tval_read(now + 0x1'0000'0005ull, now), 5u);
    // Round trip.
    for (const uint32_t t : {0u, 1u, 0x7fff'ffffu, 0x8000'0000u, 0xffff'ffffu})
        EXPECT_EQ(ptimer_tval_read(ptimer_cval_from_tval(t, now), now), t);
}

}  // namespace
}  // namespace keel::arm64
