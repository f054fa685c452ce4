// SPDX-License-Identifier: MIT
//
// arch/arm64/vcpu/guest_trap.hpp
// Owns what happens to an exception keel takes from a guest (a lower-EL vector
// kind): a synchronous one goes through one constexpr table indexed by ESR_EL2
// exception class, an IRQ to keel's interrupt dispatcher, an SError crashes the
// domain; then the scheduling point (core/sched/schedule.hpp). The frame is the
// running vCPU's general-register state. Target only.
#pragma once
#include "arch/arm64/entry/trap_frame.hpp"

namespace keel {
struct Vcpu;
}

namespace keel::arm64 {

/// From keel_exception() for every Lower64* / Lower32* kind.
void guest_trap(TrapFrame& frame, VectorKind kind);

// The handlers of the exception-class table (trap_table.cpp), one file each family.
void handle_hvc(Vcpu& v, TrapFrame& frame);     // hvc_smc.cpp
void handle_smc(Vcpu& v, TrapFrame& frame);     // hvc_smc.cpp
void handle_sysreg(Vcpu& v, TrapFrame& frame);  // sysreg_trap.cpp
void handle_wfx(Vcpu& v, TrapFrame& frame);     // guest_trap.cpp

/// PC past the trapped instruction (ESR_EL2.IL: 4 bytes, or 2 for a 16-bit T32 one).
void advance_pc(TrapFrame& frame);

}  // namespace keel::arm64
