// SPDX-License-Identifier: MIT
//
// tests/unit/core/time/timer_queue_test.cpp
// Checks TimerQueue against a fake clock: ordering, FIFO among equal deadlines,
// cancel, re-arm, expiry boundaries, and callbacks that add/cancel timers.
#include "core/time/timer_queue.hpp"

#include <gtest/gtest.h>

#include <vector>

#include "core/time/tick_rate.hpp"

namespace keel {
namespace {

struct FakeClock {
    Ticks now = 0;
    void advance(Ticks d) { now += d; }
};

struct Log {
    std::vector<int> fired;
    std::vector<Ticks> at;
};

struct Probe {
    int id;
    Log* log;
    FakeClock* clock;
    Timer timer{&Probe::on_fire, this};

    Probe(int i, Log* l, FakeClock* c) : id{i}, log{l}, clock{c} {}
    operator Timer&() { return timer; }  // so tests read q.add(a, 100)
    static void on_fire(Timer&, void* ctx)
    {
        auto* self = static_cast<Probe*>(ctx);
        self->log->fired.push_back(self->id);
        self->log->at.push_back(self->clock->now);
    }
};

TEST(TimerQueue, EmptyQueue)
{
    TimerQueue q;
    EXPECT_TRUE(q.empty());
    EXPECT_EQ(q.next_deadline(), TimerQueue::kNever);
    EXPECT_EQ(q.expire(1000), 0u);
    EXPECT_EQ(q.size(), 0u);
}

TEST(TimerQueue, FiresInDeadlineOrder)
{
    FakeClock clock;
    Log log;
    TimerQueue q;
    Probe a{1, &log, &clock}, b{2, &log, &clock}, c{3, &log, &clock};
    q.add(b, 200);
    q.add(c, 300);
    q.add(a, 100);
    EXPECT_EQ(q.size(), 3u);
    EXPECT_EQ(q.next_deadline(), 100u);
    EXPECT_TRUE(a.timer.armed());

    clock.now = 99;
    EXPECT_EQ(q.expire(clock.now), 0u);
    clock.now = 100;  // boundary: deadline <= now fires
    EXPECT_EQ(q.expire(clock.now), 1u);
    EXPECT_FALSE(a.timer.armed());
    EXPECT_EQ(q.next_deadline(), 200u);

    clock.now = 1000;
    EXPECT_EQ(q.expire(clock.now), 2u);
    EXPECT_EQ(log.fired, (std::vector<int>{1, 2, 3}));
    EXPECT_TRUE(q.empty());
}

TEST(TimerQueue, EqualDeadlinesKeepInsertionOrder)
{
    FakeClock clock;
    Log log;
    TimerQueue q;
    Probe a{1, &log, &clock}, b{2, &log, &clock}, c{3, &log, &clock};
    q.add(a, 50);
    q.add(b, 50);
    q.add(c, 50);
    q.expire(50);
    EXPECT_EQ(log.fired, (std::vector<int>{1, 2, 3}));
}

TEST(TimerQueue, CancelAndReArm)
{
    FakeClock clock;
    Log log;
    TimerQueue q;
    Probe a{1, &log, &clock}, b{2, &log, &clock};
    q.add(a, 100);
    q.add(b, 200);
    EXPECT_TRUE(q.cancel(a));
    EXPECT_FALSE(q.cancel(a));  // not armed any more
    EXPECT_FALSE(a.timer.armed());
    EXPECT_EQ(q.next_deadline(), 200u);

    q.add(b, 50);  // re-arm earlier: moves, does not duplicate
    EXPECT_EQ(q.size(), 1u);
    EXPECT_EQ(q.next_deadline(), 50u);
    q.add(b, 500);  // and later
    EXPECT_EQ(q.size(), 1u);
    EXPECT_EQ(b.timer.deadline(), 500u);

    EXPECT_EQ(q.expire(499), 0u);
    EXPECT_EQ(q.expire(500), 1u);
    EXPECT_EQ(log.fired, (std::vector<int>{2}));
}

TEST(TimerQueue, CancelMiddleAndTail)
{
    FakeClock clock;
    Log log;
    TimerQueue q;
    Probe a{1, &log, &clock}, b{2, &log, &clock}, c{3, &log, &clock};
    q.add(a, 1);
    q.add(b, 2);
    q.add(c, 3);
    EXPECT_TRUE(q.cancel(b));
    EXPECT_TRUE(q.cancel(c));
    EXPECT_EQ(q.size(), 1u);
    q.expire(10);
    EXPECT_EQ(log.fired, (std::vector<int>{1}));
}

TEST(TimerQueue, MoveBetweenQueues)
{
    FakeClock clock;
    Log log;
    TimerQueue q1, q2;
    Probe a{1, &log, &clock};
    q1.add(a, 10);
    q2.add(a, 20);  // re-arming on another queue takes it off the first
    EXPECT_TRUE(q1.empty());
    EXPECT_FALSE(q1.cancel(a));
    EXPECT_EQ(q2.next_deadline(), 20u);
    EXPECT_EQ(q1.expire(100), 0u);
    EXPECT_EQ(q2.expire(100), 1u);
}

// A periodic timer: its callback re-arms it. expire() must not loop on it even
// when the new deadline is already in the past.
struct Periodic {
    TimerQueue* q;
    Ticks period;
    int runs = 0;
    Timer timer{&Periodic::on_fire, this};
    static void on_fire(Timer& t, void* ctx)
    {
        auto* self = static_cast<Periodic*>(ctx);
        ++self->runs;
        self->q->add(t, t.deadline() + self->period);
    }
};

TEST(TimerQueue, CallbackReArmsItself)
{
    TimerQueue q;
    Periodic p{&q, 10};
    q.add(p.timer, 10);
    EXPECT_EQ(q.expire(1000), 1u);  // re-armed at 20 <= 1000, but runs next call
    EXPECT_EQ(p.runs, 1);
    EXPECT_TRUE(p.timer.armed());
    EXPECT_EQ(q.next_deadline(), 20u);
    EXPECT_EQ(q.expire(1000), 1u);
    EXPECT_EQ(p.runs, 2);
}

// A callback that cancels another timer that is due in the same expire() call.
struct Canceller {
    TimerQueue* q;
    Timer* victim;
    Timer timer{&Canceller::on_fire, this};
    static void on_fire(Timer&, void* ctx)
    {
        auto* self = static_cast<Canceller*>(ctx);
        EXPECT_TRUE(self->q->cancel(*self->victim));
    }
};

TEST(TimerQueue, CallbackCancelsDueTimer)
{
    FakeClock clock;
    Log log;
    TimerQueue q;
    Probe victim{7, &log, &clock};
    Canceller c{&q, &victim.timer};
    q.add(c.timer, 5);
    q.add(victim.timer, 6);
    EXPECT_EQ(q.expire(10), 1u);
    EXPECT_TRUE(log.fired.empty());
    EXPECT_FALSE(victim.timer.armed());
    EXPECT_TRUE(q.empty());
}

// A callback that runs a nested expire() (as a waiting callback would): every
// due timer still runs exactly once, in order.
struct Nester {
    TimerQueue* q;
    Ticks now;
    Log* log;
    Timer timer{&Nester::on_fire, this};
    static void on_fire(Timer&, void* ctx)
    {
        auto* self = static_cast<Nester*>(ctx);
        self->log->fired.push_back(0);
        self->q->expire(self->now);
    }
};

TEST(TimerQueue, NestedExpireRunsEachOnce)
{
    FakeClock clock;
    Log log;
    TimerQueue q;
    Nester n{&q, 100, &log};
    Probe a{1, &log, &clock}, b{2, &log, &clock};
    q.add(n.timer, 1);
    q.add(a, 2);
    q.add(b, 3);
    EXPECT_EQ(q.expire(100), 1u);  // the outer call ran the nester; the nested one ran a and b
    EXPECT_EQ(log.fired, (std::vector<int>{0, 1, 2}));
    EXPECT_TRUE(q.empty());
}

TEST(TimerQueue, FakeClockLatency)
{
    FakeClock clock;
    Log log;
    TimerQueue q;
    Probe a{1, &log, &clock};
    q.add(a, 1000);
    for (clock.now = 0; q.expire(clock.now) == 0; clock.advance(7)) {
    }
    ASSERT_EQ(log.at.size(), 1u);
    EXPECT_GE(log.at[0], 1000u);
    EXPECT_LT(log.at[0] - 1000u, 7u);
}

TEST(TickRate, Conversions)
{
    const TickRate qemu{62'500'000};  // QEMU virt's CNTFRQ_EL0 for cortex-a57
    EXPECT_EQ(qemu.from_us(1000), 62'500u);
    EXPECT_EQ(qemu.from_ms(1000), 62'500'000u);
    EXPECT_EQ(qemu.from_ns(16), 1u);  // 1 tick, rounded up from exactly 1
    EXPECT_EQ(qemu.from_ns(17), 2u);  // rounded up, never early
    EXPECT_EQ(qemu.to_ns(62'500'000), 1'000'000'000u);
    EXPECT_EQ(qemu.to_us(63), 1u);

    const TickRate ghz{1'000'000'000};
    EXPECT_EQ(ghz.from_ns(123), 123u);
    EXPECT_EQ(ghz.to_us(123'456), 123u);

    // Large values: ten years of ticks at 62.5 MHz do not overflow.
    const uint64_t ten_years_ns = 10ull * 365 * 24 * 3600 * 1'000'000'000ull;
    EXPECT_EQ(qemu.to_ns(qemu.from_ns(ten_years_ns)), ten_years_ns);

    const TickRate odd{19'200'000};  // a common SoC frequency
    EXPECT_EQ(odd.from_us(1), 20u);  // 19.2 -> 20
    EXPECT_EQ(odd.to_ns(192), 10'000u);
    EXPECT_FALSE(TickRate{}.valid());
    EXPECT_EQ(TickRate{}.to_ns(5), 0u);
}

}  // namespace
}  // namespace keel
