// SPDX-License-Identifier: MIT
//
// guests/bench/timer.cpp
// Owns bench=timer iters=<n> [min_us=<lo>] [max_us=<hi>] [seed=<s>]: virtual
// timer interrupt latency. n times: CNTV_CVAL_EL0 = now + a pseudo-random offset
// in [lo, hi] µs (default 50-500, xorshift64 with a fixed seed: the same
// deadlines on every hypervisor), WFI with IRQs masked; the PPI 27 handler
// reads CNTVCT_EL0 first and records (that - CNTV_CVAL). Prints
//   BENCH timer latency n=<n> ...      ticks from the deadline to handler entry
// And bench=busy seconds=<s>: the noisy neighbour, a vCPU that only spins on
// CNTVCT_EL0 for s seconds of its own virtual time, then powers off; prints
//   BENCH busy loops value=<n> unit=loops
#include "bench.hpp"
#include "benches.hpp"
#include "exceptions.hpp"
#include "gic.hpp"
#include "guest.hpp"

namespace guest::bench {
namespace {

constinit volatile bool g_fired = false;
constinit volatile uint64_t g_late = 0;

void on_deadline(uint32_t)
{
    const uint64_t t = timer::now();
    const uint64_t cval = CntvCval::read();
    timer::disarm();  // level-triggered: off before the EOI
    g_late = t >= cval ? t - cval : 0;
    g_fired = true;
}

}  // namespace

void run_timer(const char* args)
{
    constexpr const char* kName = "timer";
    const uint64_t n = bootarg_u64(args, "iters", 10000);
    const uint64_t lo = bootarg_u64(args, "min_us", 50);
    const uint64_t hi = bootarg_u64(args, "max_us", 500);
    Prng rng{bootarg_u64(args, "seed", 0x6b65656c62656e63)};  // "keelbenc"
    if (n == 0 || n > kPoolSlots || lo > hi || rng.state == 0) fail(kName, "bad iters/min_us/max_us/seed");
    if (!gic::init_distributor() || !gic::init_cpu()) fail(kName, "no GIC");
    set_irq_handler(gic::kVirtualTimerPpi, on_deadline);
    gic::enable_private(gic::kVirtualTimerPpi);

    uint64_t* samples = pool();
    for (uint64_t i = 0; i < n; ++i) {
        const uint64_t offset = timer::us_to_ticks(rng.range(lo, hi));
        irq_disable();
        g_fired = false;
        timer::arm_at(timer::now() + offset);
        while (!g_fired) {
            wfi();
            irq_enable();
            isb();
            irq_disable();
        }
        irq_enable();
        samples[i] = g_late;
    }
    distribution(kName, "latency", samples, static_cast<uint32_t>(n));
    finish(kName, "a");
}

void run_busy(const char* args)
{
    constexpr const char* kName = "busy";
    const uint64_t seconds = bootarg_u64(args, "seconds", 10);
    const uint64_t end = timer::now() + seconds * timer::freq();
    uint64_t loops = 0;
    while (timer::now() < end) ++loops;
    scalar(kName, "loops", loops, "loops");
    char role[8] = "a";
    (void)arg_str(args, "role", role, sizeof role);
    finish(kName, role);
}

}  // namespace guest::bench
