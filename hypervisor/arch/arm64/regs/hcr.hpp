// SPDX-License-Identifier: MIT
//
// arch/arm64/regs/hcr.hpp
// Owns the HCR_EL2 fields keel sets (Arm ARM DDI 0487, "HCR_EL2, Hypervisor
// Configuration Register"). Fields for running guests are added with the vCPU code.
#pragma once
#include "lib/bits.hpp"

namespace keel::arm64 {

struct Hcr {
    // Physical FIQ / IRQ / SError routing to EL2. With IMO == 0 a physical IRQ
    // targets EL1 and is never taken while the PE runs at EL2, whatever PSTATE.I
    // says; with IMO == 1 it is taken at EL2 (masked by PSTATE.I there) and EL1
    // gets virtual IRQs instead.
    using Fmo = Bit<3>;
    using Imo = Bit<4>;
    using Amo = Bit<5>;
    using Rw = Bit<31>;  // EL1 is AArch64
};

}  // namespace keel::arm64
