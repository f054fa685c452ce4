// SPDX-License-Identifier: MIT
//
// arch/arm64/vcpu/initial_state.hpp
// Owns the register state an arm64 vCPU starts with, as Xen gives it
// (docs/xen-arm-guest-abi.md §7.2; xen/arch/arm/vpsci.c, domain_build.c):
// vCPU 0 of a dom0less domU at the kernel entry with x0 = the DTB's IPA, a
// PSCI CPU_ON'd vCPU at its entry with x0 = context_id; both at EL1h with
// D, A, I, F masked, the MMU and caches off. Also the virtual MPIDR. Pure.
#pragma once
#include <cstdint>

#include "arch/arm64/entry/trap_frame.hpp"
#include "arch/arm64/vcpu/vcpu_context.hpp"

namespace keel::arm64 {

// PSR_GUEST64_INIT (xen/include/public/arch-arm.h): PSTATE.D|A|I|F | M = EL1h.
inline constexpr uint64_t kGuestPstateInit = 0x3c5;
// SCTLR_GUEST_INIT (xen/arch/arm/include/asm/processor.h): RES1 bits, MMU/caches off.
inline constexpr uint64_t kGuestSctlrInit = 0x00c5'0078;
// MPIDR_EL1.U (bit 30) clear = multiprocessor; bit 31 is RES1 (Arm ARM, MPIDR_EL1).
inline constexpr uint64_t kMpidrRes1 = uint64_t{1} << 31;

/// VMPIDR_EL2 of vCPU `id`: Xen's vcpuid_to_vaffinity() (Aff0 = id % 16,
/// Aff1 = id / 16) with the RES1 bit.
uint64_t vcpu_vmpidr(uint32_t id);

/// Every general register zero except x0, PC = entry, PSTATE = kGuestPstateInit,
/// SP_EL1 = 0; the EL1 system registers at their reset values (SCTLR_EL1 =
/// kGuestSctlrInit, everything else 0 — TTBR0/1 and TCR included, as Xen does).
void reset_vcpu_context(TrapFrame& regs, VcpuSysregs& sys, uint64_t entry, uint64_t x0);

}  // namespace keel::arm64
