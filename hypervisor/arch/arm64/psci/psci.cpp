// SPDX-License-Identifier: MIT
//
// arch/arm64/psci/psci.cpp
// Owns the conduit choice and the PSCI calls keel makes (see psci.hpp).
#include "arch/arm64/psci/psci.hpp"

#include "arch/arm64/hw/smccc.hpp"
#include "arch/arm64/psci/psci_abi.hpp"

extern "C" [[noreturn]] void park();

namespace keel::arm64::psci {
namespace {

constinit PsciConduit g_conduit = PsciConduit::None;  // set by the boot CPU before SMP

SmcccResult call(uint32_t fn, uint64_t a1 = 0, uint64_t a2 = 0, uint64_t a3 = 0)
{
    switch (g_conduit) {
    case PsciConduit::Smc: return smc_call(fn, a1, a2, a3);
    case PsciConduit::Hvc: return hvc_call(fn, a1, a2, a3);
    case PsciConduit::None: break;
    }
    return SmcccResult{static_cast<uint64_t>(static_cast<int64_t>(Status::NotSupported)), 0, 0, 0};
}

}  // namespace

void init(PsciConduit conduit) { g_conduit = conduit; }
bool available() { return g_conduit != PsciConduit::None; }

Result<uint32_t> version()
{
    if (!available()) return Errno::NoSys;
    const uint64_t x0 = call(PSCI_VERSION).x0;
    if (static_cast<int32_t>(x0 & 0xffff'ffffu) < 0) return errno_of(status_of(x0));
    return static_cast<uint32_t>(x0);
}

Result<void> cpu_on(uint64_t mpidr, PhysAddr entry, uint64_t context_id)
{
    if (!available()) return Errno::NoSys;
    const Status s = status_of(call(CPU_ON, mpidr, entry.raw(), context_id).x0);
    if (s != Status::Success) return errno_of(s);
    return {};
}

void system_off()
{
    if (available()) (void)call(SYSTEM_OFF);
    park();
}

void system_reset()
{
    if (available()) (void)call(SYSTEM_RESET);
    park();
}

}  // namespace keel::arm64::psci
