// SPDX-License-Identifier: MIT
//
// arch/arm64/vcpu/context.hpp
// Owns moving a vCPU's state between its Vcpu object and the physical CPU:
// general registers (the TrapFrame), EL1/EL0 system registers, FP/SIMD
// (eagerly; or SVE for a domain with `sve`: sve.hpp), the EL2 registers that describe its virtual machine (HCR_EL2,
// VTTBR_EL2, VMPIDR_EL2, CNTVOFF_EL2), and the vGIC / vtimer parts' state through
// their vgic_save/restore and vtimer_save/restore. Also the first entry into a
// guest. Target only.
#pragma once
#include "arch/arm64/entry/trap_frame.hpp"

namespace keel {
struct Vcpu;
}

namespace keel::arm64 {

/// Per-CPU setup before the first guest runs here: VPIDR_EL2 = this CPU's MIDR,
/// VTCR_EL2 = p2m_vtcr() (stage-2 part), HCR_EL2 = the guest flags (kHcrGuest).
/// Every CPU, once.
void vcpu_cpu_init();

/// Makes v the vCPU whose state is in this CPU's registers: restores everything
/// listed above; copies v.regs into `frame` unless it is nullptr.
void vcpu_load(Vcpu& v, TrapFrame* frame);

/// The reverse of vcpu_load: saves this CPU's registers into v (`frame` → v.regs).
void vcpu_save(Vcpu& v, const TrapFrame& frame);

/// Enters v, already loaded with vcpu_load(v, nullptr), from anywhere on this CPU:
/// keel's stack is abandoned and v's frame placed at its top. Never returns.
[[noreturn]] void enter_vcpu(Vcpu& v);

}  // namespace keel::arm64
