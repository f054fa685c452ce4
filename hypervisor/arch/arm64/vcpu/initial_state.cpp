// SPDX-License-Identifier: MIT
//
// arch/arm64/vcpu/initial_state.cpp
// Owns the reset register values of a vCPU (see initial_state.hpp).
#include "arch/arm64/vcpu/initial_state.hpp"

#include "core/boot/guest_layout.hpp"

namespace keel::arm64 {

uint64_t vcpu_vmpidr(uint32_t id) { return kMpidrRes1 | vcpu_mpidr_affinity(id); }

void reset_vcpu_context(TrapFrame& regs, VcpuSysregs& sys, uint64_t entry, uint64_t x0)
{
    regs = TrapFrame{};
    regs.x[0] = x0;
    regs.elr = entry;
    regs.spsr = kGuestPstateInit;
    sys = VcpuSysregs{};
    sys.sctlr_el1 = kGuestSctlrInit;
}

}  // namespace keel::arm64
