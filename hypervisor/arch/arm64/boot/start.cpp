// SPDX-License-Identifier: MIT
//
// arch/arm64/boot/start.cpp
// Owns the boot sequence after head.S: primary CPU bring-up in order (device
// tree, console, memory, MMU, GIC, timer, secondaries) and the secondary CPUs'
// own bring-up. Each step is a call into the part that owns it.
#include <cstdint>

#include "arch/arm64/boot/stack.hpp"
#include "arch/arm64/hw/barrier.hpp"
#include "arch/arm64/psci/psci.hpp"
#include "arch/arm64/smp/bringup.hpp"
#include "arch/arm64/smp/idle.hpp"
#include "arch/arm64/smp/ipi_selftest.hpp"
#include "arch/arm64/timer/timer_selftest.hpp"
#include "arch/arm64/vcpu/debug_selftest.hpp"
#include "arch/arm64/vgic/vgic_selftest.hpp"
#include "core/memory/memory_selftest.hpp"
#include "core/memory/p2m_selftest.hpp"
#include "core/percpu.hpp"
#include "core/selftest/selftest.hpp"
#include "build_config.hpp"
#include "core/boot/boot_device_tree.hpp"
#include "core/boot/boot_state.hpp"
#include "core/boot/domain_builder.hpp"
#include "core/console/log.hpp"
#include "core/domain/domain_table.hpp"
#include "core/memory/boot_memory.hpp"
#include "core/sched/schedule.hpp"
#include "drivers/pl011.hpp"

extern "C" {
keel::arm64::CpuStack g_cpu_stacks[keel::config::kMaxCpus];
keel::arm64::SecondaryMmu g_secondary_mmu;
[[noreturn]] void park();
extern char __image_end[];  // keel.ld: end of the image, BSS included
}

namespace keel {

extern "C" void keel_primary_main(uint64_t dtb_pa, uint64_t load_pa)
{
    // [dt] step 1: check the DTB, find the console, parse BootInfo and the command line.
    // Stops with "keel: FATAL: device tree: ..." on a tree keel cannot boot from.
    const PhysRange console = boot_device_tree(dtb_pa, load_pa);

    // [memory] step 2: frame allocators, EL2 stage-1 map (W^X), MMU and caches on.
    {
        const uint64_t image_end = reinterpret_cast<uint64_t>(__image_end);
        const uint64_t heap_mib = boot_options().xenheap_megabytes;
        // The console keel prints on stays mapped (BootInfo.uart, or the fallback).
        memory_init(boot_info(), PhysRange{PhysAddr{load_pa}, image_end - load_pa},
                    heap_mib != 0 ? heap_mib << 20 : kDefaultHeapExtraBytes, console);
    }

    // [gic] step 3: distributor + this CPU's redistributor and CPU interface; timer.
    arm64::boot_cpu_attach();  // PerCpu slot 0 in TPIDR_EL2
    if (const auto r = arm64::interrupts_init_boot(boot_info()); !r.ok()) {
        log("keel: FATAL: interrupt bring-up failed: {}\n", errno_name(r.error()));
        park();
    }

    // [smp] step 4: start secondaries through PSCI CPU_ON; wait until all report in.
    arm64::psci::init(boot_info().psci);
    console::set_smp(true);  // before any other CPU can print
    arm64::start_secondaries(boot_info());

    // [banner] step 5: version, CPU count, RAM, GIC version, free frames.
    log("keel {}: {} CPU(s) online, RAM {} MiB, GICv{}, free frames: domain pool {}, heap pool {}\n",
        config::kVersion, online_cpu_count(), total_ram_bytes() >> 20, boot_info().gic.version,
        free_domain_frames(), free_heap_frames());
    // The guest ABI keel speaks, in the words Xen's banner uses, so tools that wait for
    // Xen's "Xen version" line (e.g. ../shared/anchors/xen-arm64) work with keel unchanged.
    log("keel: Xen version {}.{} guest ABI (Xen's interface, keel's implementation)\n",
        config::kXenMajor, config::kXenMinor);
    log("keel: ready\n");

    // [selftest] step 6: with keel.selftest, run the on-target checks, then SYSTEM_OFF.
    if (boot_options().selftest) {
        memory_selftests();
        p2m_selftests();
        arm64::selftest_sgi_round_trip();
        arm64::selftest_timer_latency();
        arm64::selftest_debug_pmu();
        arm64::selftest_hw_spi();
        const bool all_passed = selftest::finish();
        log("keel: self-tests {}; powering off\n", all_passed ? "passed" : "FAILED");
        arm64::psci::system_off();
    }

    // [domains] step 7: dom0less domains. The scheduler is configured for the online
    // CPUs first (domain_start() places vCPUs on them); the builder (stage-2 part:
    // build_dom0less_domains()) goes after sched_init(). With at least one domain,
    // every CPU runs the scheduler from here on instead of idling.
    sched_init();
    build_dom0less_domains();
    if (domain_count() != 0) sched_start_all_cpus();  // never returns

    // [idle] step 8: idle loop (interrupts handled: timer, IPIs).
    arm64::idle_loop();
}

extern "C" void keel_secondary_main(uint64_t cpu_index)
{
    // [smp] per-CPU bring-up on a secondary: per-CPU data, redistributor, timer, report in, idle.
    arm64::secondary_main(static_cast<CpuIndex>(cpu_index));
}

}  // namespace keel
