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
#include "arch/arm64/vcpu/debug_state.hpp"
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

/// Context switch: a vCPU's breakpoints/watchpoints/OS lock into the hardware
/// when it uses them (debug_load), and out again (debug_put). Inline: for a
/// vCPU that uses none, the switch pays a load and a branch each.
void debug_load_slow(VcpuDebug& s);
void debug_put_slow(VcpuDebug& s);
inline void debug_load(VcpuDebug& s)
{
    if (s.hw_wanted) debug_load_slow(s);
}
inline void debug_put(VcpuDebug& s)
{
    if (s.on_cpu) debug_put_slow(s);
}

}  // namespace keel::arm64
