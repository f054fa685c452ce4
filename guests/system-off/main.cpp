// SPDX-License-Identifier: MIT
//
// guests/system-off/main.cpp
// Test guest (2 vCPUs): vCPU 0 starts vCPU 1 and then sleeps in WFI with
// nothing armed, forever; vCPU 1 reports and calls PSCI SYSTEM_OFF. keel must
// stop the whole domain, the sleeping vCPU included, give every frame back and
// (with keel.exit_when_idle) power the machine off.
#include "guest.hpp"

using namespace guest;

namespace {
constinit volatile uint32_t g_started = 0;
}  // namespace

void secondary_main(uint32_t)
{
    // vCPU 0 reports CPU_ON's result first and prints nothing after that.
    const bool seen = timer::spin_until([] { return g_started != 0; }, 5000000);
    tap::ok(seen, "vCPU 1 runs; powering the domain off from here");
    tap::done();  // "# guest done", SYSTEM_OFF
}

void test_main(uint64_t)
{
    tap::ok(dt().cpus == 2, "the device tree lists 2 vCPUs (%u)", dt().cpus);
    const int64_t on = psci::cpu_on(1, reinterpret_cast<uint64_t>(&guest_secondary_entry), 1);
    if (!tap::ok(on == psci::kSuccess, "CPU_ON vCPU 1 -> %ld; vCPU 0 now sleeps in WFI for good",
                 static_cast<long>(on)))
        return;
    dsb();
    g_started = 1;
    dsb();
    for (;;) wfi();  // no interrupt is enabled: only the domain's end stops this
}
