// SPDX-License-Identifier: MIT
//
// arch/arm64/vcpu/debug_selftest.cpp
// Owns selftest_debug_pmu() (see debug_selftest.hpp).
#include "arch/arm64/vcpu/debug_selftest.hpp"

#include "arch/arm64/hw/debug_sysreg.hpp"
#include "arch/arm64/regs/debug.hpp"
#include "arch/arm64/vcpu/debug_regs.hpp"
#include "arch/arm64/vcpu/pmu_trap.hpp"
#include "core/selftest/selftest.hpp"

namespace keel::arm64 {

void selftest_debug_pmu()
{
    debug_cpu_init();
    pmu_cpu_init();
    const uint64_t mdcr = MdcrEl2::read();
    selftest::report(Mdcr::Tda::get(mdcr) && Mdcr::Tdosa::get(mdcr) && Mdcr::Tdra::get(mdcr) &&
                         !Mdcr::Tde::get(mdcr),
                     "debug: MDCR_EL2 traps guest debug registers, debug exceptions stay at EL1");
    selftest::report(!Oslsr::Oslk::get(OslsrEl1::read()), "debug: OS lock open for guests");
    selftest::report(pmu_quiet_and_trapped(),
                     "pmu: keel's counters stopped, guest PMU accesses trapped (TPM, TPMCR)");
}

}  // namespace keel::arm64
