// SPDX-License-Identifier: MIT
//
// tests/fuzz/support/fake_cpu.cpp
// Owns the fake CPU's machine side (see fake_sched.hpp): the EL2 timer over a
// fake clock and CPU 0's real TimerQueue, waiting, cross-CPU calls (one CPU:
// run in place), PSCI SYSTEM_OFF (never reached: keel.exit_when_idle is off)
// and keel's console (into the console ring, which readconsole reads).
#include <cstdio>
#include <cstdlib>

#include "arch/arm64/psci/psci.hpp"
#include "arch/arm64/smp/idle.hpp"
#include "arch/arm64/smp/ipi.hpp"
#include "arch/arm64/timer/hyp_timer.hpp"
#include "core/console/console_ring.hpp"
#include "core/console/log.hpp"
#include "core/percpu.hpp"
#include "tests/fuzz/support/fake_sched.hpp"

namespace keel {
namespace {

constexpr TickRate kRate{62'500'000};  // QEMU virt's counter frequency
Ticks g_now = 1'000'000;

}  // namespace

namespace fuzz {

Ticks fake_now() { return g_now; }

void advance_time(Ticks by)
{
    g_now += by;
    (void)this_cpu().timers.expire(g_now);
}

}  // namespace fuzz

namespace arm64 {
namespace timer {

Ticks now() { return g_now; }
const TickRate& rate() { return kRate; }
void arm(Timer& t, Ticks deadline) { this_cpu().timers.add(t, deadline); }
bool cancel(Timer& t) { return this_cpu().timers.cancel(t); }

}  // namespace timer

void call_on(PerCpu&, CrossCall fn, void* arg) { fn(arg); }
void run_on(PerCpu&, CrossCall fn, void* arg) { fn(arg); }
void drain_pending_work() { this_cpu().pending_work.store(0); }

Ticks wait_now() { return g_now; }
Ticks wait_poll_interval() { return 1; }
void wait_once(Ticks wake_by) { fuzz::advance_time(wake_by > g_now ? wake_by - g_now : 1); }

namespace psci {

void system_off()
{
    std::fprintf(stderr, "fuzz_handlers: PSCI SYSTEM_OFF reached\n");
    std::abort();
}

void system_reset()
{
    std::fprintf(stderr, "fuzz_handlers: PSCI SYSTEM_RESET reached\n");
    std::abort();
}

}  // namespace psci
}  // namespace arm64

namespace console {

void write_raw(const char* text)
{
    console_ring().put(text);  // what XEN_SYSCTL_readconsole reads
    static const bool enabled = std::getenv("FUZZ_HANDLERS_LOG") != nullptr;
    if (enabled) std::fputs(text, stderr);
}

}  // namespace console
}  // namespace keel
