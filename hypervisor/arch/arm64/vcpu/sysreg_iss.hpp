// SPDX-License-Identifier: MIT
//
// arch/arm64/vcpu/sysreg_iss.hpp
// Owns the decoding of a trapped MSR/MRS/SYS instruction (ESR_EL2 EC 0x18,
// Arm ARM DDI 0487, "ISS encoding for an exception from MSR, MRS, or System
// instruction execution in AArch64 state") and the encodings of the system
// registers and instructions keel emulates for guests. Pure constexpr.
#pragma once
#include <cstdint>

#include "lib/bits.hpp"

namespace keel::arm64 {

struct SysRegIss {
    using Op0 = BitField<21, 20, uint32_t>;
    using Op2 = BitField<19, 17, uint32_t>;
    using Op1 = BitField<16, 14, uint32_t>;
    using CRn = BitField<13, 10, uint32_t>;
    using Rt = BitField<9, 5, uint32_t>;
    using CRm = BitField<4, 1, uint32_t>;
    using Read = Bit<0>;  // Direction: 1 = MRS (read), 0 = MSR/SYS (write)
};

// A register or instruction as (op0, op1, CRn, CRm, op2), packed into the same
// bit positions as in the ISS with Rt and Direction cleared, so a trapped ISS
// compares with `iss & kSysRegKeyMask`.
constexpr uint32_t sysreg_key(uint32_t op0, uint32_t op1, uint32_t crn, uint32_t crm, uint32_t op2)
{
    return static_cast<uint32_t>(SysRegIss::Op0::make(op0) | SysRegIss::Op1::make(op1) |
                                 SysRegIss::CRn::make(crn) | SysRegIss::CRm::make(crm) |
                                 SysRegIss::Op2::make(op2));
}
inline constexpr uint32_t kSysRegKeyMask = ~static_cast<uint32_t>(
    SysRegIss::Rt::kMask | SysRegIss::Read::kMask | ~uint64_t{0x3f'ffff});

struct TrappedSysReg {
    uint32_t key;  // sysreg_key() of what was accessed
    uint32_t rt;   // general register (31 = XZR)
    bool read;
};

constexpr TrappedSysReg decode_sysreg_iss(uint32_t iss)
{
    return TrappedSysReg{iss & kSysRegKeyMask, SysRegIss::Rt::get(iss), SysRegIss::Read::get(iss)};
}

namespace sysreg {
// Arm ARM encodings ("op0, op1, CRn, CRm, op2").
inline constexpr uint32_t DC_ISW = sysreg_key(1, 0, 7, 6, 2);    // set/way: trapped by HCR_EL2.TSW
inline constexpr uint32_t DC_CSW = sysreg_key(1, 0, 7, 10, 2);
inline constexpr uint32_t DC_CISW = sysreg_key(1, 0, 7, 14, 2);
inline constexpr uint32_t ACTLR_EL1 = sysreg_key(3, 0, 1, 0, 1);  // trapped by HCR_EL2.TAC
inline constexpr uint32_t ICC_SGI1R_EL1 = sysreg_key(3, 0, 12, 11, 5);  // GICv3: traps with IMO
inline constexpr uint32_t ICC_ASGI1R_EL1 = sysreg_key(3, 0, 12, 11, 6);
inline constexpr uint32_t ICC_SGI0R_EL1 = sysreg_key(3, 0, 12, 11, 7);
inline constexpr uint32_t CNTP_TVAL_EL0 = sysreg_key(3, 3, 14, 2, 0);  // CNTHCTL_EL2.EL1PCEN = 0
inline constexpr uint32_t CNTP_CTL_EL0 = sysreg_key(3, 3, 14, 2, 1);
inline constexpr uint32_t CNTP_CVAL_EL0 = sysreg_key(3, 3, 14, 2, 2);
}  // namespace sysreg

// MSR ICC_SGI1R_EL1, x1 with op0=3 op1=0 CRn=12 CRm=11 op2=5, Rt=1, write.
static_assert(decode_sysreg_iss(0x003a'3036).key == sysreg::ICC_SGI1R_EL1);
static_assert(decode_sysreg_iss(0x003a'3036).rt == 1 && !decode_sysreg_iss(0x003a'3036).read);

}  // namespace keel::arm64
