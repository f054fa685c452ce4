// SPDX-License-Identifier: MIT
//
// arch/arm64/vcpu/inject.hpp
// Owns delivering a synchronous exception to a guest's EL1, as the hardware
// would have (the arithmetic is exception_entry.hpp's): ESR_EL1, FAR_EL1 for
// aborts, ELR_EL1 = the faulting instruction, SPSR_EL1 = the guest's PSTATE,
// then PC = VBAR_EL1 + the vector for where the guest was, PSTATE = EL1h with
// D, A, I, F masked. For the vCPU whose trap is being handled on this CPU (its
// EL1 registers are live in the CPU); the PC in its trap frame must be the
// faulting instruction. Target only.
#pragma once
#include <cstdint>

namespace keel {
struct Vcpu;
}

namespace keel::arm64 {

/// Undefined instruction (ESR_EL1.EC = 0).
void inject_undef(Vcpu& v);
/// Synchronous external data abort at guest virtual address `far`.
void inject_data_abort(Vcpu& v, uint64_t far);
/// Synchronous external instruction abort at guest virtual address `far`.
void inject_instr_abort(Vcpu& v, uint64_t far);

}  // namespace keel::arm64
