// SPDX-License-Identifier: MIT
//
// arch/arm64/regs/cptr.hpp
// Owns the CPTR_EL2 fields keel changes (Arm ARM DDI 0487, "CPTR_EL2,
// Architectural Feature Trap Register (EL2)", HCR_EL2.E2H == 0 layout) and
// ZCR_ELx.LEN.
#pragma once
#include "lib/bits.hpp"

namespace keel::arm64 {

struct Cptr {
    using Tz = Bit<8>;    // trap SVE (instructions, ZCR_ELx) at EL2/EL1/EL0
    using Tfp = Bit<10>;  // trap FP/SIMD
    using Tsm = Bit<12>;  // trap SME (RES1 without FEAT_SME)
};

struct Zcr {
    using Len = BitField<3, 0, uint8_t>;  // vector length / 128 - 1
};

}  // namespace keel::arm64
