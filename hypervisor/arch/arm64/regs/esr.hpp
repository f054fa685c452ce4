// SPDX-License-Identifier: MIT
//
// arch/arm64/regs/esr.hpp
// Owns the ESR_EL2 layout and the exception classes keel decodes
// (Arm ARM DDI 0487, "ESR_EL2, Exception Syndrome Register (EL2)").
#pragma once
#include <cstdint>

#include "lib/bits.hpp"

namespace keel::arm64 {

enum class ExceptionClass : uint8_t {
    Unknown = 0x00,
    Wfx = 0x01,
    Cp15Rt = 0x03,
    FpAsimd = 0x07,
    IllegalState = 0x0e,
    Svc64 = 0x15,
    Hvc64 = 0x16,
    Smc64 = 0x17,
    SysReg = 0x18,
    Sve = 0x19,
    InstrAbortLower = 0x20,
    InstrAbortSame = 0x21,
    PcAlignment = 0x22,
    DataAbortLower = 0x24,
    DataAbortSame = 0x25,
    SpAlignment = 0x26,
    SError = 0x2f,
    BreakpointLower = 0x30,
    SoftwareStepLower = 0x32,
    WatchpointLower = 0x34,
    Brk64 = 0x3c,
};

struct Esr {
    using Ec = BitField<31, 26, ExceptionClass>;
    using Il = Bit<25>;
    using Iss = BitField<24, 0, uint32_t>;
};

static_assert(Esr::Ec::get(0x5A00'0EA1) == ExceptionClass::Hvc64);
static_assert(Esr::Iss::get(0x5A00'0EA1) == 0xEA1);

const char* exception_class_name(ExceptionClass ec);

}  // namespace keel::arm64
