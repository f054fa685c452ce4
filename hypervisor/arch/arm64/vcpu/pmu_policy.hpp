// SPDX-License-Identifier: MIT
//
// arch/arm64/vcpu/pmu_policy.hpp
// Owns what a guest's access to a PMU register does while keel hides the PMU
// (the guest's ID_AA64DFR0_EL1.PMUVer reads 0; MDCR_EL2.TPM/TPMCR trap every
// access). Xen 4.17's answer for domUs (xen/arch/arm/arm64/vsysreg.c): the
// registers Linux may touch unconditionally read as zero and ignore writes at
// EL1 (PMCR, PMCNTEN*, PMOVS*, PMSWINC, PMSELR, PMCEID*, PMCCNTR, PMXEV*,
// PMINTEN*, PMUSERENR), an EL0 access to them is undefined except a read of
// PMUSERENR_EL0 (zero), and every other PMU register (PMEVCNTR<n>,
// PMEVTYPER<n>, PMCCFILTR, PMMIR) is undefined. Nothing reaches the hardware,
// so one domain's counters can be neither seen nor changed by another. Pure.
#pragma once
#include <cstdint>

#include "arch/arm64/vcpu/sysreg_iss.hpp"

namespace keel::arm64 {

enum class PmuOutcome : uint8_t {
    NotPmu,    // someone else's register
    Undef,     // undefined instruction
    RazWi,     // a read gives 0, a write is ignored
};

namespace pmu {
inline constexpr uint32_t PMINTENSET_EL1 = sysreg_key(3, 0, 9, 14, 1);
inline constexpr uint32_t PMINTENCLR_EL1 = sysreg_key(3, 0, 9, 14, 2);
inline constexpr uint32_t PMMIR_EL1 = sysreg_key(3, 0, 9, 14, 6);
inline constexpr uint32_t PMCR_EL0 = sysreg_key(3, 3, 9, 12, 0);
inline constexpr uint32_t PMCCNTR_EL0 = sysreg_key(3, 3, 9, 13, 0);
inline constexpr uint32_t PMXEVCNTR_EL0 = sysreg_key(3, 3, 9, 13, 2);
inline constexpr uint32_t PMUSERENR_EL0 = sysreg_key(3, 3, 9, 14, 0);
inline constexpr uint32_t PMOVSSET_EL0 = sysreg_key(3, 3, 9, 14, 3);
inline constexpr uint32_t PMEVCNTR0_EL0 = sysreg_key(3, 3, 14, 8, 0);
inline constexpr uint32_t PMCCFILTR_EL0 = sysreg_key(3, 3, 14, 15, 7);
}  // namespace pmu

constexpr PmuOutcome pmu_access(uint32_t key, bool read, bool from_el0)
{
    const uint32_t op0 = SysRegIss::Op0::get(key), op1 = SysRegIss::Op1::get(key);
    const uint32_t crn = SysRegIss::CRn::get(key), crm = SysRegIss::CRm::get(key);
    if (op0 != 3) return PmuOutcome::NotPmu;
    if (op1 == 0 && crn == 9 && crm == 14) {  // PMINTENSET/CLR_EL1, PMMIR_EL1
        if (key == pmu::PMINTENSET_EL1 || key == pmu::PMINTENCLR_EL1) {
            return from_el0 ? PmuOutcome::Undef : PmuOutcome::RazWi;
        }
        return key == pmu::PMMIR_EL1 ? PmuOutcome::Undef : PmuOutcome::NotPmu;
    }
    if (op1 != 3) return PmuOutcome::NotPmu;
    if (crn == 14 && crm >= 8) return PmuOutcome::Undef;  // PMEVCNTR/PMEVTYPER<n>, PMCCFILTR
    if (crn != 9 || crm < 12 || crm > 14) return PmuOutcome::NotPmu;
    if (key == pmu::PMUSERENR_EL0 && from_el0) {
        return read ? PmuOutcome::RazWi : PmuOutcome::Undef;  // read-only at EL0
    }
    const bool listed = (crm == 12) ||                                      // PMCR .. PMCEID1
                        (crm == 13 && key <= pmu::PMXEVCNTR_EL0) ||         // PMCCNTR, PMXEV*
                        key == pmu::PMUSERENR_EL0 || key == pmu::PMOVSSET_EL0;
    if (!listed) return PmuOutcome::Undef;
    return from_el0 ? PmuOutcome::Undef : PmuOutcome::RazWi;
}

static_assert(pmu_access(pmu::PMCR_EL0, true, false) == PmuOutcome::RazWi);
static_assert(pmu_access(pmu::PMCR_EL0, true, true) == PmuOutcome::Undef);
static_assert(pmu_access(pmu::PMEVCNTR0_EL0, true, false) == PmuOutcome::Undef);
static_assert(pmu_access(pmu::PMCCFILTR_EL0, false, false) == PmuOutcome::Undef);
static_assert(pmu_access(pmu::PMUSERENR_EL0, true, true) == PmuOutcome::RazWi);
static_assert(pmu_access(sysreg_key(3, 3, 14, 2, 1), true, false) == PmuOutcome::NotPmu);  // CNTP_CTL

}  // namespace keel::arm64
