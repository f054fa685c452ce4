// SPDX-License-Identifier: MIT
//
// arch/arm64/regs/generic_timer.hpp
// Owns the Generic Timer control layouts keel programs (Arm ARM DDI 0487,
// "The Generic Timer in AArch64 state"): the timer control registers
// (CNTHP_CTL_EL2, and the same layout for CNTP_CTL_EL0 / CNTV_CTL_EL0) and
// CNTHCTL_EL2 as seen with HCR_EL2.E2H == 0 (keel does not use VHE).
#pragma once
#include "lib/bits.hpp"

namespace keel::arm64 {

struct TimerCtl {  // CNTHP_CTL_EL2, CNTP_CTL_EL0, CNTV_CTL_EL0
    using Enable = Bit<0>;
    using Imask = Bit<1>;    // 1: the timer condition does not assert the interrupt
    using Istatus = Bit<2>;  // read-only: the timer condition is met
};

struct Cnthctl {              // CNTHCTL_EL2, E2H == 0
    using El1Pcten = Bit<0>;  // EL0/EL1 may read CNTPCT_EL0 without trapping
    using El1Pcen = Bit<1>;   // EL0/EL1 may use the EL1 physical timer without trapping
    using Evnten = Bit<2>;    // event stream from the counter
    using Evntdir = Bit<3>;
    using Evnti = BitField<7, 4, uint32_t>;
};

}  // namespace keel::arm64
