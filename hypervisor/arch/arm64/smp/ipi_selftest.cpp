// SPDX-License-Identifier: MIT
//
// arch/arm64/smp/ipi_selftest.cpp
// Owns the SGI round-trip self-test. The boot CPU asks CPU a (a cross-CPU call)
// to time a call to CPU b whose only action is to answer a; a measures from
// before its SGI to b until it sees b's answer (two SGIs and two wake-ups).
#include "arch/arm64/smp/ipi_selftest.hpp"

#include <atomic>

#include "arch/arm64/smp/idle.hpp"
#include "arch/arm64/smp/ipi.hpp"
#include "arch/arm64/timer/hyp_timer.hpp"
#include "core/percpu.hpp"
#include "core/selftest/selftest.hpp"
#include "lib/fmt.hpp"

namespace keel::arm64 {
namespace {

struct RoundTrip {
    CpuIndex a = 0;
    CpuIndex b = 0;
    std::atomic<bool> answered{false};
    std::atomic<bool> done{false};
    bool ok = false;
    Ticks rtt = 0;
};
// Static, not on the boot CPU's stack: a CPU that answers after the bounded wait
// gave up must not write into a dead frame. A late answer fails the whole test.
constinit RoundTrip g_trip;

constexpr uint64_t kAnswerTimeoutMs = 100;
constexpr uint64_t kPairTimeoutMs = 1000;

// On b: answer a.
void answer(void* arg)
{
    auto& rt = *static_cast<RoundTrip*>(arg);
    rt.answered.store(true, std::memory_order_release);
    send_work(cpu(rt.a), Work::Wake);
}

// On a: SGI b, wait for the answer, record the round trip, tell the boot CPU.
void probe(void* arg)
{
    auto& rt = *static_cast<RoundTrip*>(arg);
    const Ticks t0 = timer::now();
    call_on(cpu(rt.b), answer, &rt);
    rt.ok = wait_until([&rt] { return rt.answered.load(std::memory_order_acquire); },
                       timer::rate().from_ms(kAnswerTimeoutMs));
    rt.rtt = timer::now() - t0;
    rt.done.store(true, std::memory_order_release);
    if (rt.a != 0) send_work(cpu(0), Work::Wake);
}

// One round trip a -> b -> a, driven from the boot CPU. False when a did not
// finish within kPairTimeoutMs (then a may still touch g_trip).
bool run_pair(CpuIndex a, CpuIndex b)
{
    g_trip.a = a;
    g_trip.b = b;
    g_trip.answered.store(false, std::memory_order_relaxed);
    g_trip.done.store(false, std::memory_order_relaxed);
    g_trip.ok = false;
    run_on(cpu(a), probe, &g_trip);
    return wait_until([] { return g_trip.done.load(std::memory_order_acquire); },
                      timer::rate().from_ms(kPairTimeoutMs));
}

}  // namespace

void selftest_sgi_round_trip()
{
    size_t pairs = 0;
    size_t failed = 0;
    Ticks min = ~Ticks{0}, max = 0, sum = 0;
    bool abandoned = false;

    for (CpuIndex a = 0; a < config::kMaxCpus && !abandoned; ++a) {
        if (!cpu(a).online.load(std::memory_order_acquire)) continue;
        for (CpuIndex b = 0; b < config::kMaxCpus && !abandoned; ++b) {
            if (!cpu(b).online.load(std::memory_order_acquire)) continue;
            // Twice, timing the second: under QEMU TCG the first trip between two
            // CPUs includes translating the code on both, which is not SGI latency.
            bool finished = run_pair(a, b);
            if (finished && g_trip.ok) finished = run_pair(a, b);
            ++pairs;
            if (!finished || !g_trip.ok) {
                ++failed;
                char text[96];
                FmtBuffer buf{text, sizeof text};
                format_to(buf, "CPU {} -> CPU {} -> CPU {}: no answer within {} ms", a, b, a,
                          finished ? kAnswerTimeoutMs : kPairTimeoutMs);
                selftest::note(buf.c_str());
                abandoned = !finished;  // a still owns g_trip: stop here
                continue;
            }
            min = g_trip.rtt < min ? g_trip.rtt : min;
            max = g_trip.rtt > max ? g_trip.rtt : max;
            sum += g_trip.rtt;
        }
    }

    const size_t good = pairs - failed;
    if (good != 0) {
        const TickRate& r = timer::rate();
        char text[128];
        FmtBuffer buf{text, sizeof text};
        format_to(
            buf,
            "SGI round trip over {} ordered pairs (incl. self): min {} ns, avg {} ns, max {} ns",
            good, r.to_ns(min), r.to_ns(sum / good), r.to_ns(max));
        selftest::note(buf.c_str());
    }
    char name[96];
    FmtBuffer buf{name, sizeof name};
    format_to(buf, "ipi: SGI round trip between every ordered pair of {} online CPUs",
              online_cpu_count());
    selftest::report(pairs != 0 && failed == 0, buf.c_str());
}

}  // namespace keel::arm64
