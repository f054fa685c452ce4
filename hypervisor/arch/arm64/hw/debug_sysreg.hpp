// SPDX-License-Identifier: MIT
//
// arch/arm64/hw/debug_sysreg.hpp
// Owns the accessors for the self-hosted debug and PMU registers keel switches
// or resets: the numbered breakpoint/watchpoint registers by index
// (DBGBVR/BCR/WVR/WCR<n>_EL1, n < 16; encoded names S2_0_C0_C<n>_<4..7>), the
// OS lock, MDCR_EL2, ID_AA64DFR0_EL1 and the PMU controls keel clears.
#pragma once
#include <cstdint>

#include "arch/arm64/hw/sysreg.hpp"

namespace keel::arm64 {

KEEL_SYSREG(MdcrEl2, "mdcr_el2");
KEEL_SYSREG(IdAa64Dfr0El1, "id_aa64dfr0_el1");
KEEL_SYSREG(OslarEl1, "S2_0_C1_C0_4");
KEEL_SYSREG(OslsrEl1, "S2_0_C1_C1_4");
// PMUv3 (only where ID_AA64DFR0_EL1.PMUVer says it exists).
KEEL_SYSREG(PmcrEl0, "S3_3_C9_C12_0");
KEEL_SYSREG(PmcntenclrEl0, "S3_3_C9_C12_2");
KEEL_SYSREG(PmcntensetEl0, "S3_3_C9_C12_1");
KEEL_SYSREG(PmovsclrEl0, "S3_3_C9_C12_3");
KEEL_SYSREG(PmintenclrEl1, "S3_0_C9_C14_2");
KEEL_SYSREG(PmuserenrEl0, "S3_3_C9_C14_0");

// Which of the four registers of breakpoint/watchpoint n (op2 of its encoding).
enum class DbgPointReg : unsigned { Bvr = 4, Bcr = 5, Wvr = 6, Wcr = 7 };

#define KEEL_DBG_WRITE_CASE(n, op2)                                                  \
    case n: asm volatile("msr S2_0_C0_C" #n "_" #op2 ", %0" ::"r"(v) : "memory"); break;
#define KEEL_DBG_WRITE_ALL(op2)                                                                   \
    switch (n) {                                                                                  \
        KEEL_DBG_WRITE_CASE(0, op2) KEEL_DBG_WRITE_CASE(1, op2) KEEL_DBG_WRITE_CASE(2, op2)       \
        KEEL_DBG_WRITE_CASE(3, op2) KEEL_DBG_WRITE_CASE(4, op2) KEEL_DBG_WRITE_CASE(5, op2)       \
        KEEL_DBG_WRITE_CASE(6, op2) KEEL_DBG_WRITE_CASE(7, op2) KEEL_DBG_WRITE_CASE(8, op2)       \
        KEEL_DBG_WRITE_CASE(9, op2) KEEL_DBG_WRITE_CASE(10, op2) KEEL_DBG_WRITE_CASE(11, op2)     \
        KEEL_DBG_WRITE_CASE(12, op2) KEEL_DBG_WRITE_CASE(13, op2) KEEL_DBG_WRITE_CASE(14, op2)    \
        KEEL_DBG_WRITE_CASE(15, op2)                                                              \
    default: break;                                                                               \
    }

/// Writes register `r` of breakpoint/watchpoint n (n < 16; the caller checks the
/// CPU has it: an absent one is undefined at EL2 too).
inline void write_dbg_point(DbgPointReg r, unsigned n, uint64_t v)
{
    switch (r) {
    case DbgPointReg::Bvr: KEEL_DBG_WRITE_ALL(4) break;
    case DbgPointReg::Bcr: KEEL_DBG_WRITE_ALL(5) break;
    case DbgPointReg::Wvr: KEEL_DBG_WRITE_ALL(6) break;
    case DbgPointReg::Wcr: KEEL_DBG_WRITE_ALL(7) break;
    }
}

#undef KEEL_DBG_WRITE_ALL
#undef KEEL_DBG_WRITE_CASE

}  // namespace keel::arm64
