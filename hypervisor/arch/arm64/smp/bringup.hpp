// SPDX-License-Identifier: MIT
//
// arch/arm64/smp/bringup.hpp
// Owns bringing CPUs up: the boot CPU's per-CPU interrupt setup, starting every
// other CPU the device tree lists with PSCI CPU_ON (at keel_secondary_entry in
// head.S, context id = keel's CPU index), a bounded wait for each to report in,
// and what a secondary does once head.S handed it to C++.
#pragma once
#include <cstdint>

#include "core/boot/boot_info.hpp"
#include "core/percpu.hpp"
#include "lib/result.hpp"

namespace keel::arm64 {

/// MPIDR_EL1 affinity of the calling CPU (Aff3..Aff0; MPIDR & 0xff00ffffff).
uint64_t current_mpidr();

/// Boot CPU, first thing in the [gic] step: claims PerCpu slot 0 and points
/// TPIDR_EL2 at it.
void boot_cpu_attach();

/// Interrupt bring-up of the boot CPU: distributor, its redistributor and CPU
/// interface, keel's SGIs, the EL2 timer. Logs one summary line.
Result<void> interrupts_init_boot(const BootInfo& info);

/// Starts every other CPU in info.cpu_mpidr (at most config::kMaxCpus in all)
/// and waits up to one second per CPU for it to come online. Logs each CPU that
/// fails; returns the number of CPUs online afterwards.
size_t start_secondaries(const BootInfo& info);

/// The secondary side: per-CPU data, redistributor and CPU interface, SGIs, timer,
/// online, "keel: CPU n (MPIDR 0x...) up", idle loop.
[[noreturn]] void secondary_main(CpuIndex index);

}  // namespace keel::arm64
