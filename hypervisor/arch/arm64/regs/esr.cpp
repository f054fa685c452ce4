// SPDX-License-Identifier: MIT
//
// arch/arm64/regs/esr.cpp
// Owns the printable names of exception classes (for fault reports).
#include "arch/arm64/regs/esr.hpp"

namespace keel::arm64 {

const char* exception_class_name(ExceptionClass ec)
{
    switch (ec) {
    case ExceptionClass::Unknown: return "unknown reason";
    case ExceptionClass::Wfx: return "WFI/WFE";
    case ExceptionClass::Cp15Rt: return "MCR/MRC cp15";
    case ExceptionClass::FpAsimd: return "FP/SIMD access";
    case ExceptionClass::IllegalState: return "illegal execution state";
    case ExceptionClass::Svc64: return "SVC (AArch64)";
    case ExceptionClass::Hvc64: return "HVC (AArch64)";
    case ExceptionClass::Smc64: return "SMC (AArch64)";
    case ExceptionClass::SysReg: return "MSR/MRS/system instruction";
    case ExceptionClass::Sve: return "SVE access";
    case ExceptionClass::InstrAbortLower: return "instruction abort from a lower EL";
    case ExceptionClass::InstrAbortSame: return "instruction abort at EL2";
    case ExceptionClass::PcAlignment: return "PC alignment fault";
    case ExceptionClass::DataAbortLower: return "data abort from a lower EL";
    case ExceptionClass::DataAbortSame: return "data abort at EL2";
    case ExceptionClass::SpAlignment: return "SP alignment fault";
    case ExceptionClass::SError: return "SError";
    case ExceptionClass::BreakpointLower: return "breakpoint from a lower EL";
    case ExceptionClass::SoftwareStepLower: return "software step from a lower EL";
    case ExceptionClass::WatchpointLower: return "watchpoint from a lower EL";
    case ExceptionClass::Brk64: return "BRK (AArch64)";
    }
    return "unlisted exception class";
}

}  // namespace keel::arm64
