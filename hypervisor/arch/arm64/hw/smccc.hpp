// SPDX-License-Identifier: MIT
//
// arch/arm64/hw/smccc.hpp
// Owns the two firmware conduits, `smc #0` and `hvc #0`, as calls under the SMC
// Calling Convention (Arm DEN 0028): function ID in x0, arguments in x1-x3,
// results in x0-x3. SMCCC v1.0 lets the callee clobber x4-x17, so they are
// declared clobbered. Which conduit to use is the caller's choice (the DT's
// /psci "method"); keel at EL2 normally uses SMC.
#pragma once
#include <cstdint>

namespace keel::arm64 {

struct SmcccResult {
    uint64_t x0, x1, x2, x3;
};

#define KEEL_SMCCC_CALL(insn)                                                                  \
    register uint64_t r0 asm("x0") = fn;                                                       \
    register uint64_t r1 asm("x1") = a1;                                                       \
    register uint64_t r2 asm("x2") = a2;                                                       \
    register uint64_t r3 asm("x3") = a3;                                                       \
    asm volatile(insn                                                                          \
                 : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3)                                      \
                 :                                                                             \
                 : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15", \
                   "x16", "x17", "memory");                                                    \
    return SmcccResult{r0, r1, r2, r3}

inline SmcccResult smc_call(uint64_t fn, uint64_t a1 = 0, uint64_t a2 = 0, uint64_t a3 = 0)
{
    KEEL_SMCCC_CALL("smc #0");
}

inline SmcccResult hvc_call(uint64_t fn, uint64_t a1 = 0, uint64_t a2 = 0, uint64_t a3 = 0)
{
    KEEL_SMCCC_CALL("hvc #0");
}

#undef KEEL_SMCCC_CALL

}  // namespace keel::arm64
