// SPDX-License-Identifier: MIT
//
// arch/arm64/vcpu/debug_selftest.hpp
// Owns the on-target check (keel.selftest) of the debug and PMU setup a guest
// runs with: MDCR_EL2 traps every debug and PMU register access and leaves
// debug exceptions to the guest, keel's own counters do not count, the OS
// lock is open and no breakpoint or watchpoint is enabled. Target only.
#pragma once

namespace keel::arm64 {

/// Runs this CPU's debug/PMU setup (as before a first guest) and reports.
void selftest_debug_pmu();

}  // namespace keel::arm64
