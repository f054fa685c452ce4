// SPDX-License-Identifier: MIT
//
// arch/arm64/psci/psci.hpp
// Owns keel's own PSCI calls to the firmware (Arm DEN 0022) over the conduit the
// device tree names (/psci "method": SMC or HVC): version, CPU_ON for bringing up
// secondaries, SYSTEM_OFF and SYSTEM_RESET. Function IDs and return codes are in
// psci_abi.hpp.
#pragma once
#include <cstdint>

#include "core/boot/boot_info.hpp"
#include "lib/addr.hpp"
#include "lib/result.hpp"

namespace keel::arm64::psci {

/// Selects the conduit (BootInfo.psci). None leaves every call failing with NoSys.
void init(PsciConduit conduit);
bool available();

/// PSCI_VERSION: major << 16 | minor.
Result<uint32_t> version();

/// CPU_ON (SMC64): starts the PE with this MPIDR at physical address `entry`, at
/// EL2 with the MMU off, x0 = `context_id`.
Result<void> cpu_on(uint64_t mpidr, PhysAddr entry, uint64_t context_id);

/// SYSTEM_OFF / SYSTEM_RESET; if the firmware returns, the CPU parks.
[[noreturn]] void system_off();
[[noreturn]] void system_reset();

}  // namespace keel::arm64::psci
