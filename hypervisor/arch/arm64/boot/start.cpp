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
    console::attach(Pl011{VirtAddr{0x09000000}});
    log("keel {}: loaded at {}, DTB at {:#x}\n", config::kVersion, PhysAddr{load_pa}, dtb_pa);
    park();
}

extern "C" void keel_secondary_main(uint64_t cpu_index)
{
    (void)cpu_index;
    park();
}

}  // namespace keel
