// SPDX-License-Identifier: MIT
//
// guests/wfi-wake/main.cpp
// Test guest: WFI blocks the vCPU and an armed virtual timer wakes it, both with
// IRQs masked at PSTATE (Arm ARM: WFI wakes on a pending interrupt whatever
// PSTATE.I says; the interrupt stays pending until unmasked) and unmasked (the
// interrupt is taken). Also checks that WFI really waited (it did not return
// many times before the deadline) and that time advanced while it slept.
#include "guest.hpp"

using namespace guest;

namespace {

constinit volatile uint32_t g_fired = 0;
constexpr uint32_t kMaxWfiReturns = 100;  // a trapped-and-ignored WFI returns thousands of times

void on_timer(uint32_t)
{
    timer::disarm();
    g_fired = g_fired + 1;
}

}  // namespace

void test_main(uint64_t)
{
    tap::ok(gic::init_distributor() && gic::init_cpu(), "GICv3 comes up");
    set_irq_handler(gic::kVirtualTimerPpi, on_timer);
    gic::enable_private(gic::kVirtualTimerPpi);

    // 1. PSTATE.I set: WFI wakes when PPI 27 becomes pending.
    const uint64_t sleep_us = 200000;
    const uint64_t t0 = timer::now();
    const uint64_t cval = t0 + timer::us_to_ticks(sleep_us);
    const uint64_t give_up = cval + timer::us_to_ticks(3000000);
    timer::arm_at(cval);
    uint32_t returns = 0;
    while ((timer::ctl() & timer::kCtlIstatus) == 0 && timer::now() < give_up) {
        wfi();
        ++returns;
    }
    const uint64_t woke = timer::now();
    tap::ok(woke >= cval && woke < give_up, "WFI (IRQs masked) woke after %lu us for a %lu us deadline",
            static_cast<unsigned long>(timer::ticks_to_us(woke - t0)),
            static_cast<unsigned long>(sleep_us));
    tap::ok(returns <= kMaxWfiReturns, "WFI blocked instead of returning at once (%u return(s))",
            returns);
    tap::ok(gic::private_pending(gic::kVirtualTimerPpi), "PPI 27 is pending while PSTATE.I masks it");
    irq_enable();
    timer::spin_until([] { return g_fired != 0; }, 1000000);
    irq_disable();
    tap::ok(g_fired == 1, "and is taken once IRQs are unmasked");

    // 2. PSTATE.I clear: WFI, the interrupt is taken, the loop ends. (The 50 ms
    // deadline leaves the check-then-WFI window no realistic chance to lose it.)
    g_fired = 0;
    returns = 0;
    const uint64_t t1 = timer::now();
    timer::arm_at(t1 + timer::us_to_ticks(50000));
    irq_enable();
    while (g_fired == 0 && timer::now() < t1 + timer::us_to_ticks(3000000)) {
        wfi();
        ++returns;
    }
    irq_disable();
    tap::ok(g_fired == 1 && returns <= kMaxWfiReturns,
            "WFI (IRQs unmasked) woke by the timer interrupt after %lu us (%u return(s))",
            static_cast<unsigned long>(timer::ticks_to_us(timer::now() - t1)), returns);

    // 3. Several short sleeps in a row keep working. Check and WFI with IRQs
    // masked (the pending PPI ends the WFI), then unmask to take it: no wakeup
    // is lost between the check and the WFI.
    uint32_t good = 0;
    for (int i = 0; i < 20; ++i) {
        g_fired = 0;
        timer::arm_at(timer::now() + timer::us_to_ticks(2000));
        const uint64_t end = timer::now() + timer::us_to_ticks(2000000);
        while (g_fired == 0 && timer::now() < end) {
            wfi();
            irq_enable();
            irq_disable();
        }
        if (g_fired == 1) ++good;
    }
    tap::ok(good == 20, "20 short WFI sleeps of 2 ms each woke (%u)", good);
}
