// SPDX-License-Identifier: MIT
//
// arch/arm64/vcpu/setway.hpp
// Owns set/way cache maintenance for guests on the hardware (the policy is
// setway_state.hpp): the trapped DC ISW/CSW/CISW (HCR_EL2.TSW) and, while
// HCR_EL2.TVM is set for the vCPU, its trapped writes to the VM control
// registers; the flush of the guest's RAM, one budget of pages per trap,
// through guest_copy's transient maps. Target only.
#pragma once
#include <cstdint>

#include "arch/arm64/entry/trap_frame.hpp"
#include "arch/arm64/regs/hcr.hpp"
#include "arch/arm64/vcpu/setway_state.hpp"
#include "arch/arm64/vcpu/sysreg_iss.hpp"

namespace keel {
struct Vcpu;
}

namespace keel::arm64 {

// Pages cleaned and invalidated per trap: 1 MiB, about 1 ms under QEMU TCG
// (guest-setway: 64 MiB in 64 steps); a bigger domain is flushed over several
// traps, with interrupts and rescheduling possible between them.
inline constexpr uint64_t kSetWayFlushPagesPerTrap = 256;

/// A trapped set/way operation or VM-control write: emulated (the PC advanced
/// once the flush it started is complete; until then the instruction is
/// retried and each retry flushes the next pages). False when `r` is neither.
bool handle_setway_sysreg(Vcpu& v, TrapFrame& frame, const TrappedSysReg& r);

/// The HCR_EL2 bits a vCPU adds to kHcrGuest (TVM while its VM controls trap).
inline uint64_t setway_hcr_bits(const SetWayState& s) { return Hcr::Tvm::make(s.tvm); }

}  // namespace keel::arm64
