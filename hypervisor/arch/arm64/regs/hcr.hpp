// SPDX-License-Identifier: MIT
//
// arch/arm64/regs/hcr.hpp
// Owns the HCR_EL2 fields keel sets (Arm ARM DDI 0487, "HCR_EL2, Hypervisor
// Configuration Register") and the value a guest vCPU runs with.
#pragma once
#include "lib/bits.hpp"

namespace keel::arm64 {

struct Hcr {
    using Vm = Bit<0>;    // stage-2 translation for EL1&0
    using Swio = Bit<1>;  // set/way invalidate is clean+invalidate
    using Ptw = Bit<2>;   // stage-1 walks that hit Device memory fault (stage 2)
    // Physical FIQ / IRQ / SError routing to EL2. With IMO == 0 a physical IRQ
    // targets EL1 and is never taken while the PE runs at EL2, whatever PSTATE.I
    // says; with IMO == 1 it is taken at EL2 (masked by PSTATE.I there) and EL1
    // gets virtual IRQs instead.
    using Fmo = Bit<3>;
    using Imo = Bit<4>;
    using Amo = Bit<5>;
    using Fb = Bit<9>;                     // TLB/IC maintenance broadcast to the inner shareable domain
    using Bsu = BitField<11, 10, uint8_t>;  // barrier shareability upgrade: 1 = inner shareable
    using Twi = Bit<13>;                   // trap WFI
    using Twe = Bit<14>;                   // trap WFE
    using Tid3 = Bit<18>;                  // trap ID group 3 (the ID registers: arch/arm64/vcpu/id_reg_trap)
    using Tsc = Bit<19>;                   // trap SMC
    using Tidcp = Bit<20>;                 // trap implementation-defined system registers
    using Tac = Bit<21>;                   // trap ACTLR_EL1 (the manual calls it TACR)
    using Tsw = Bit<22>;                   // trap data cache maintenance by set/way
    using Tvm = Bit<26>;                   // trap writes to the EL1 VM controls (set/way emulation)
    using Rw = Bit<31>;                    // EL1 is AArch64
    using Tlor = Bit<35>;                  // trap LORegion registers (FEAT_LOR: hidden, not switched)
};

// What HCR_EL2 holds while a guest runs: Xen's HCR_GUEST_FLAGS (docs/guests-design.md,
// "Trap flow"; xen/arch/arm/include/asm/processor.h).
inline constexpr uint64_t kHcrGuest =
    Hcr::Vm::make(true) | Hcr::Swio::make(true) | Hcr::Ptw::make(true) | Hcr::Fb::make(true) |
    Hcr::Bsu::make(1) | Hcr::Amo::make(true) | Hcr::Imo::make(true) | Hcr::Fmo::make(true) |
    Hcr::Tsc::make(true) | Hcr::Tac::make(true) | Hcr::Tidcp::make(true) | Hcr::Tsw::make(true) |
    Hcr::Twi::make(true) | Hcr::Twe::make(true) | Hcr::Rw::make(true) | Hcr::Tid3::make(true) |
    Hcr::Tlor::make(true);
static_assert(kHcrGuest == 0x8'807c'663f);

}  // namespace keel::arm64
