// SPDX-License-Identifier: MIT
//
// arch/arm64/vcpu/pmu_trap.hpp
// Owns the PMU on the hardware while keel hides it from guests: keel's own
// counters stopped and cleared on every CPU, and the trapped guest accesses
// answered as pmu_policy.hpp says. Target only.
#pragma once
#include "arch/arm64/entry/trap_frame.hpp"
#include "arch/arm64/vcpu/sysreg_iss.hpp"

namespace keel {
struct Vcpu;
}

namespace keel::arm64 {

/// Per CPU, once: every counter disabled and zeroed, no overflow interrupt, no
/// EL0 access (PMCR_EL0.E = 0, PMCNTENCLR/PMINTENCLR/PMOVSCLR all ones,
/// PMUSERENR_EL0 = 0). Nothing when the CPU has no PMUv3.
void pmu_cpu_init();

/// A trapped PMU register access: read as zero / write ignored, or undefined
/// instruction (PC advanced or exception injected); false when `r` is not a
/// PMU register.
bool handle_pmu_sysreg(Vcpu& v, TrapFrame& frame, const TrappedSysReg& r);

/// keel's view of the PMU for its self-test: counting is off (PMCR_EL0.E = 0,
/// no counter enabled) and guests cannot reach it (MDCR_EL2.TPM and TPMCR).
bool pmu_quiet_and_trapped();

}  // namespace keel::arm64
