// SPDX-License-Identifier: MIT
//
// guests/common/psci.cpp
// Owns the PSCI wrappers (see psci.hpp). A call that must not return and does
// is reported, then the vCPU parks.
#include "psci.hpp"

#include "arch.hpp"
#include "console.hpp"

extern "C" [[noreturn]] void park();

namespace guest::psci {

uint32_t version() { return static_cast<uint32_t>(hvc(kVersion)); }

int64_t cpu_on(uint64_t mpidr, uint64_t entry, uint64_t context)
{
    return static_cast<int64_t>(hvc(kCpuOn, mpidr, entry, context));
}

int64_t affinity_info(uint64_t mpidr) { return static_cast<int64_t>(hvc(kAffinityInfo, mpidr, 0)); }

void cpu_off()
{
    const auto r = static_cast<int64_t>(hvc(kCpuOff));
    print("# PSCI CPU_OFF returned %ld\n", static_cast<long>(r));
    park();
}

void system_off()
{
    const auto r = static_cast<int64_t>(hvc(kSystemOff));
    print("not ok - PSCI SYSTEM_OFF returned %ld\n", static_cast<long>(r));
    park();
}

}  // namespace guest::psci
