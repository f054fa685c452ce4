// SPDX-License-Identifier: MIT
//
// arch/arm64/vcpu/debug_regs.hpp
// Owns self-hosted debug per vCPU on the hardware: MDCR_EL2 (every debug and
// PMU register access traps, debug exceptions stay with the guest's EL1), the
// trapped debug register accesses (emulated on the vCPU's VcpuDebug,
// debug_state.hpp), and the switch: a vCPU whose breakpoints, watchpoints or
// OS lock are in use gets them loaded when it runs and removed when it stops;
// every other vCPU costs the switch two flag tests. MDSCR_EL1 (software step,
// MDE/KDE) is switched with the other EL1 registers (context.cpp). Target only.
#pragma once
#include "arch/arm64/entry/trap_frame.hpp"
#include "arch/arm64/vcpu/sysreg_iss.hpp"

namespace keel {
struct Vcpu;
}

namespace keel::arm64 {

/// Per CPU, before any guest runs: MDCR_EL2 = mdcr_guest(), every breakpoint
/// and watchpoint disabled, the OS lock open.
void debug_cpu_init();

/// A trapped debug register access (op0 = 2): emulated (PC advanced) or an
/// undefined instruction injected; false when `r` is not a debug register.
bool handle_debug_sysreg(Vcpu& v, TrapFrame& frame, const TrappedSysReg& r);

/// Context switch: v's breakpoints/watchpoints/OS lock into the hardware when
/// it uses them (debug_load), and out again (debug_put).
void debug_load(Vcpu& v);
void debug_put(Vcpu& v);

}  // namespace keel::arm64
