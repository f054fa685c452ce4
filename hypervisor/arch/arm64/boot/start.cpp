// SPDX-License-Identifier: MIT
//
// arch/arm64/boot/start.cpp
// Owns the boot sequence after head.S: primary CPU bring-up in order (device
// tree, console, memory, MMU, GIC, timer, secondaries) and the secondary CPUs'
// own bring-up. Each step is a call into the part that owns it.
#include <cstdint>

#include "arch/arm64/boot/stack.hpp"
#include "arch/arm64/hw/barrier.hpp"
#include "build_config.hpp"
#include "core/console/log.hpp"
#include "drivers/pl011.hpp"

extern "C" {
keel::arm64::CpuStack g_cpu_stacks[keel::config::kMaxCpus];
keel::arm64::SecondaryMmu g_secondary_mmu;
[[noreturn]] void park();
}

namespace keel {

extern "C" void keel_primary_main(uint64_t dtb_pa, uint64_t load_pa)
{
    // [dt] step 1: check the DTB, find the console, parse BootInfo and the command line.
    console::attach(Pl011{VirtAddr{0x09000000}});
    log("keel {}: loaded at {}, DTB at {:#x}\n", config::kVersion, PhysAddr{load_pa}, dtb_pa);

    // [memory] step 2: frame allocators, EL2 stage-1 map (W^X), MMU and caches on.

    // [gic] step 3: distributor + this CPU's redistributor and CPU interface; timer.

    // [smp] step 4: start secondaries through PSCI CPU_ON; wait until all report in.

    // [banner] step 5: version, CPU count, RAM, GIC version, free frames.

    // [selftest] step 6: with keel.selftest, run the on-target checks, then SYSTEM_OFF.

    // [idle] step 7: idle loop (interrupts handled: timer, IPIs).
    park();
}

extern "C" void keel_secondary_main(uint64_t cpu_index)
{
    // [smp] per-CPU bring-up on a secondary: per-CPU data, redistributor, timer, report in, idle.
    (void)cpu_index;
    park();
}

}  // namespace keel
