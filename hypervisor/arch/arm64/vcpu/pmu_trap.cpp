// SPDX-License-Identifier: MIT
//
// arch/arm64/vcpu/pmu_trap.cpp
// Owns keel's PMU setup and the guest PMU traps (see pmu_trap.hpp).
#include "arch/arm64/vcpu/pmu_trap.hpp"

#include "arch/arm64/hw/barrier.hpp"
#include "arch/arm64/hw/debug_sysreg.hpp"
#include "arch/arm64/regs/debug.hpp"
#include "arch/arm64/vcpu/exception_entry.hpp"
#include "arch/arm64/vcpu/guest_trap.hpp"
#include "arch/arm64/vcpu/inject.hpp"
#include "arch/arm64/vcpu/pmu_policy.hpp"
#include "arch/arm64/vcpu/sysreg_gpr.hpp"

namespace keel::arm64 {
namespace {

bool cpu_has_pmu() { return has_pmuv3(IdAa64Dfr0El1::read()); }

// PMCR_EL0.P (bit 1) and .C (bit 2): reset the event counters / the cycle counter.
constexpr uint64_t kPmcrResetCounters = 0x6;

}  // namespace

void pmu_cpu_init()
{
    if (!cpu_has_pmu()) return;
    PmcrEl0::write(kPmcrResetCounters);  // E = 0: nothing counts
    PmcntenclrEl0::write(~uint64_t{0});
    PmintenclrEl1::write(~uint64_t{0});
    PmovsclrEl0::write(~uint64_t{0});
    PmuserenrEl0::write(0);
    isb();
}

bool handle_pmu_sysreg(Vcpu& v, TrapFrame& frame, const TrappedSysReg& r)
{
    switch (pmu_access(r.key, r.read, from_el0(frame.spsr))) {
    case PmuOutcome::NotPmu: return false;
    case PmuOutcome::Undef: inject_undef(v); return true;
    case PmuOutcome::RazWi:
        if (r.read) sysreg_set_rt(frame, r.rt, 0);
        advance_pc(frame);
        return true;
    }
    return false;
}

bool pmu_quiet_and_trapped()
{
    if (!cpu_has_pmu()) return true;
    const uint64_t mdcr = MdcrEl2::read();
    return !Pmcr::E::get(PmcrEl0::read()) && PmcntensetEl0::read() == 0 &&
           Mdcr::Tpm::get(mdcr) && Mdcr::Tpmcr::get(mdcr);
}

}  // namespace keel::arm64
