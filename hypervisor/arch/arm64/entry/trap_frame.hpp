// SPDX-License-Identifier: MIT
//
// arch/arm64/entry/trap_frame.hpp
// Owns TrapFrame: the registers vectors.S saves on every exception taken to EL2,
// in the order vectors.S stores them (offsets are asserted below and used there).
#pragma once
#include <cstddef>
#include <cstdint>

namespace keel::arm64 {

struct TrapFrame {
    uint64_t x[31];  // x0..x30
    uint64_t sp;     // SP of the interrupted context (SP_EL2 for EL2, SP_EL1 for a guest)
    uint64_t elr;
    uint64_t spsr;
    uint64_t esr;
    uint64_t far;
};
static_assert(sizeof(TrapFrame) == 36 * 8);
static_assert(offsetof(TrapFrame, elr) == 32 * 8);
static_assert(offsetof(TrapFrame, esr) == 34 * 8);

// Which of the 16 vector slots was taken (Arm ARM, "Exception vectors").
enum class VectorKind : uint32_t {
    CurrentSp0Sync = 0, CurrentSp0Irq, CurrentSp0Fiq, CurrentSp0Serror,
    CurrentSpxSync, CurrentSpxIrq, CurrentSpxFiq, CurrentSpxSerror,
    Lower64Sync, Lower64Irq, Lower64Fiq, Lower64Serror,
    Lower32Sync, Lower32Irq, Lower32Fiq, Lower32Serror,
};

}  // namespace keel::arm64
