// SPDX-License-Identifier: MIT
//
// arch/arm64/regs/el2_mmu.hpp
// Owns the layouts (field descriptors named without the EL suffix, as Esr is; the
// accessors in hw/sysreg.hpp carry it) of the registers that control keel's own translation
// (non-VHE EL2, HCR_EL2.E2H = 0): TCR_EL2, SCTLR_EL2, PAR_EL1 (address
// translation results) and ID_AA64MMFR0_EL1.PARange, plus the values keel
// programs. Source: Arm ARM (DDI 0487), the register descriptions by name.
#pragma once
#include <cstdint>

#include "lib/bits.hpp"

namespace keel::arm64 {

struct Mmfr0 {
    using PaRange = BitField<3, 0, uint8_t>;  // 0:32 1:36 2:40 3:42 4:44 5:48 6:52 bits
};

constexpr unsigned pa_bits_of(uint8_t pa_range)
{
    constexpr unsigned kBits[] = {32, 36, 40, 42, 44, 48, 52};
    return pa_range < 7 ? kBits[pa_range] : 48;
}

struct Tcr {
    using T0sz = BitField<5, 0, uint8_t>;
    using Irgn0 = BitField<9, 8, uint8_t>;   // walks: inner cacheability
    using Orgn0 = BitField<11, 10, uint8_t>; // walks: outer cacheability
    using Sh0 = BitField<13, 12, uint8_t>;   // walks: shareability
    using Tg0 = BitField<15, 14, uint8_t>;   // granule: 0 = 4 KiB
    using Ps = BitField<18, 16, uint8_t>;    // physical address size, PARange encoding
    using Tbi = Bit<20>;
    using Res1 = BitField<31, 31>;
    using Res1b = BitField<23, 23>;
};

inline constexpr uint8_t kWalkWriteBackRaWa = 0b01;
inline constexpr uint8_t kWalkInnerShareable = 0b11;
inline constexpr uint8_t kPaRange48 = 5;

// TCR_EL2 for keel: 48-bit VA from level 0, 4 KiB granule, table walks
// inner-shareable write-back, PA size from the CPU (52-bit needs FEAT_LPA2 with
// 4 KiB pages, which keel does not use: capped at 48 bits).
constexpr uint64_t tcr_el2_value(uint8_t pa_range)
{
    const uint8_t ps = pa_range > kPaRange48 ? kPaRange48 : pa_range;
    return Tcr::T0sz::make(16) | Tcr::Irgn0::make(kWalkWriteBackRaWa) |
           Tcr::Orgn0::make(kWalkWriteBackRaWa) | Tcr::Sh0::make(kWalkInnerShareable) |
           Tcr::Tg0::make(0) | Tcr::Ps::make(ps) | Tcr::Res1::make(1) |
           Tcr::Res1b::make(1);
}
static_assert(tcr_el2_value(2) == 0x8082'3510);

struct Sctlr {
    using M = Bit<0>;    // stage-1 translation on
    using A = Bit<1>;    // alignment checks
    using C = Bit<2>;    // data caching
    using Sa = Bit<3>;   // SP alignment check
    using I = Bit<12>;   // instruction caching
    using Wxn = Bit<19>; // writable implies execute-never
    using Ee = Bit<25>;  // big-endian data: keel is little endian
};

// SCTLR_EL2 with the MMU on, from the value head.S left (RES1 bits, all off).
constexpr uint64_t sctlr_el2_mmu_on(uint64_t current)
{
    return current | Sctlr::M::make(true) | Sctlr::C::make(true) |
           Sctlr::Sa::make(true) | Sctlr::I::make(true) | Sctlr::Wxn::make(true);
}
static_assert(sctlr_el2_mmu_on(0x30c5'0830) == 0x30cd'183d);

struct Par {
    using F = Bit<0>;                     // 1: the translation faulted
    using Fst = BitField<6, 1, uint8_t>;  // when F: fault status code
    using Pa = BitField<47, 12>;          // when !F: output address, page part
};

}  // namespace keel::arm64
