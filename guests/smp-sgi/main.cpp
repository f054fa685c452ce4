// SPDX-License-Identifier: MIT
//
// guests/smp-sgi/main.cpp
// Test guest (2 vCPUs): PSCI brings vCPU 1 up (CPU_ON, AFFINITY_INFO, the
// error codes for a running and a missing vCPU), vCPU 1 sees its own MPIDR and
// redistributor, SGIs travel both ways and to self through ICC_SGI1R_EL1, and
// CPU_OFF / a second CPU_ON work. Only vCPU 0 prints; vCPU 1 reports through
// memory (the MMU is off, so plain loads and stores with barriers suffice).
#include "guest.hpp"

using namespace guest;

namespace {

constexpr uint32_t kMaxCpus = 4;
constinit volatile uint32_t g_up[kMaxCpus] = {};        // times each vCPU came up
constinit volatile uint64_t g_mpidr[kMaxCpus] = {};
constinit volatile uint32_t g_gic_ok[kMaxCpus] = {};
constinit volatile uint32_t g_sgi[kMaxCpus][16] = {};   // SGIs received per vCPU
constinit volatile uint32_t g_release = 0;              // vCPU 0 lets vCPU 1 go (CPU_OFF)

uint32_t me() { return static_cast<uint32_t>(Mpidr::read() & 0xff); }

void on_sgi(uint32_t intid)
{
    const uint32_t cpu = me();
    if (cpu < kMaxCpus && intid < 16) g_sgi[cpu][intid] = g_sgi[cpu][intid] + 1;
    dmb();
}

template <typename Pred>
bool wait_for(Pred pred)
{
    return timer::spin_until(pred, 5000000);
}

}  // namespace

void secondary_main(uint32_t cpu)
{
    if (cpu >= kMaxCpus) return;
    g_mpidr[cpu] = Mpidr::read();
    g_gic_ok[cpu] = gic::init_cpu() ? 1 : 0;
    for (uint32_t s = 1; s <= 3; ++s) gic::enable_private(s);
    dsb();
    g_up[cpu] = g_up[cpu] + 1;
    dsb();
    // Answer SGI 1 with SGI 2, until vCPU 0 releases this vCPU. The check and
    // the WFI run with IRQs masked (a pending SGI still ends the WFI), so an SGI
    // arriving after the check cannot leave this vCPU asleep with it unanswered.
    uint32_t answered = g_sgi[cpu][1];
    while (g_release == 0) {
        if (g_sgi[cpu][1] != answered) {
            answered = g_sgi[cpu][1];
            gic::send_sgi(2, 0);
            continue;
        }
        wfi();
        irq_enable();  // the pending SGI is taken here
        irq_disable();
    }
    g_release = 0;
    dsb();
    psci::cpu_off();
}

void test_main(uint64_t)
{
    const uint32_t v = psci::version();
    tap::ok(v >= 0x2, "PSCI version %u.%u", v >> 16, v & 0xffff);
    tap::ok(dt().cpus == 2, "the device tree lists 2 vCPUs (%u)", dt().cpus);
    tap::ok(gic::init_distributor() && gic::init_cpu(), "GICv3 comes up on vCPU 0");
    for (uint32_t s = 1; s <= 3; ++s) {
        set_irq_handler(s, on_sgi);
        gic::enable_private(s);
    }
    irq_enable();

    tap::ok(psci::affinity_info(1) == psci::kAffinityOff, "AFFINITY_INFO: vCPU 1 is OFF before CPU_ON");
    const uint64_t entry = reinterpret_cast<uint64_t>(&guest_secondary_entry);
    const int64_t on = psci::cpu_on(1, entry, 1);
    tap::ok(on == psci::kSuccess, "CPU_ON vCPU 1 -> %ld", static_cast<long>(on));
    const int64_t again = psci::cpu_on(1, entry, 1);
    tap::ok(again == psci::kAlreadyOn || again == psci::kOnPending,
            "CPU_ON of a running vCPU -> %ld (ALREADY_ON/ON_PENDING)", static_cast<long>(again));
    const int64_t missing = psci::cpu_on(7, entry, 7);
    tap::ok(missing == psci::kInvalidParameters, "CPU_ON of vCPU 7 (absent) -> %ld (INVALID_PARAMETERS)",
            static_cast<long>(missing));

    tap::ok(wait_for([] { return g_up[1] == 1; }), "vCPU 1 runs its entry point");
    tap::ok((g_mpidr[1] & 0xffffff) == 1, "vCPU 1's MPIDR affinity is 1 (MPIDR %lx)",
            static_cast<unsigned long>(g_mpidr[1]));
    tap::ok(g_gic_ok[1] == 1, "vCPU 1 found its own redistributor");
    tap::ok(psci::affinity_info(1) == psci::kAffinityOn, "AFFINITY_INFO: vCPU 1 is ON");

    gic::send_sgi(1, 1);
    tap::ok(wait_for([] { return g_sgi[1][1] == 1; }), "SGI 1 from vCPU 0 reaches vCPU 1");
    tap::ok(wait_for([] { return g_sgi[0][2] == 1; }), "SGI 2 from vCPU 1 reaches vCPU 0");
    gic::send_sgi(3, 0);
    tap::ok(wait_for([] { return g_sgi[0][3] == 1; }), "SGI 3 to self");
    uint32_t rounds = 0;
    for (uint32_t i = 2; i <= 50; ++i) {
        gic::send_sgi(1, 1);
        if (wait_for([i] { return g_sgi[0][2] == i; })) ++rounds;
    }
    tap::ok(rounds == 49 && g_sgi[1][1] == 50, "49 more SGI round trips (%u, vCPU 1 saw %u)", rounds,
            g_sgi[1][1]);

    g_release = 1;
    dsb();
    gic::send_sgi(3, 1);  // wake it from WFI
    tap::ok(wait_for([] { return psci::affinity_info(1) == psci::kAffinityOff; }),
            "vCPU 1 is OFF after its CPU_OFF");
    const int64_t restart = psci::cpu_on(1, entry, 1);
    tap::ok(restart == psci::kSuccess && wait_for([] { return g_up[1] == 2; }),
            "CPU_ON brings vCPU 1 back (-> %ld)", static_cast<long>(restart));
    gic::send_sgi(1, 1);
    tap::ok(wait_for([] { return g_sgi[0][2] == 51; }), "SGI round trip after the restart");
    g_release = 1;
    dsb();
    gic::send_sgi(3, 1);
    tap::ok(wait_for([] { return psci::affinity_info(1) == psci::kAffinityOff; }),
            "vCPU 1 is OFF again");
    irq_disable();
}
