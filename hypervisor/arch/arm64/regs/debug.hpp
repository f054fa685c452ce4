// SPDX-License-Identifier: MIT
//
// arch/arm64/regs/debug.hpp
// Owns the layouts of the self-hosted debug and PMU control registers keel
// uses (Arm ARM DDI 0487: MDCR_EL2, ID_AA64DFR0_EL1, MDSCR_EL1, OSLSR_EL1,
// DBGBCR<n>_EL1, DBGWCR<n>_EL1, PMCR_EL0) and the MDCR_EL2 value a guest runs
// with. Pure constexpr.
#pragma once
#include <cstdint>

#include "lib/bits.hpp"

namespace keel::arm64 {

struct Mdcr {
    using Hpmn = BitField<4, 0, uint8_t>;  // event counters [0, HPMN) belong to EL1/EL0
    using Tpmcr = Bit<5>;                  // trap PMCR_EL0
    using Tpm = Bit<6>;                    // trap every PMU register
    using Hpme = Bit<7>;                   // enable the counters [HPMN, N) (EL2's)
    using Tde = Bit<8>;                    // route debug exceptions to EL2 (keel: never)
    using Tda = Bit<9>;                    // trap debug registers (DBG*, MDSCR, MDCC*, DBGCLAIM*)
    using Tdosa = Bit<10>;                 // trap the OS lock / powerdown registers
    using Tdra = Bit<11>;                  // trap MDRAR_EL1
    using Tpms = Bit<14>;                  // FEAT_SPE: trap the profiling registers
    using Hpmd = Bit<17>;                  // FEAT_PMUv3p1: no event counting at EL2
    using Ttrf = Bit<19>;                  // FEAT_TRF: trap TRFCR_EL1
    using Hccd = Bit<23>;                  // FEAT_PMUv3p5: no cycle counting at EL2
};

struct IdAa64Dfr0 {
    using PmuVer = BitField<11, 8, uint8_t>;    // 0: none, 1: PMUv3, 4: v3p1, 6: v3p5, 0xf: IMPDEF
    using Brps = BitField<15, 12, uint8_t>;     // breakpoints - 1
    using Wrps = BitField<23, 20, uint8_t>;     // watchpoints - 1
    using PmsVer = BitField<35, 32, uint8_t>;   // FEAT_SPE
    using TraceFilt = BitField<43, 40, uint8_t>;  // FEAT_TRF
};

inline constexpr uint8_t kPmuVerV3 = 1;
inline constexpr uint8_t kPmuVerV3p1 = 4;
inline constexpr uint8_t kPmuVerV3p5 = 6;
inline constexpr uint8_t kPmuVerImpDef = 0xf;

/// PMUv3 (of any revision) is there: its registers exist and MDCR_EL2's PMU fields mean something.
constexpr bool has_pmuv3(uint64_t dfr0)
{
    const uint8_t v = IdAa64Dfr0::PmuVer::get(dfr0);
    return v != 0 && v != kPmuVerImpDef;
}
constexpr unsigned breakpoint_count(uint64_t dfr0) { return IdAa64Dfr0::Brps::get(dfr0) + 1u; }
constexpr unsigned watchpoint_count(uint64_t dfr0) { return IdAa64Dfr0::Wrps::get(dfr0) + 1u; }

struct Mdscr {
    using Ss = Bit<0>;     // software step
    using Tdcc = Bit<12>;  // trap EL0 DCC accesses to EL1
    using Kde = Bit<13>;   // debug exceptions at EL1 (with PSTATE.D == 0)
    using Mde = Bit<15>;   // breakpoint/watchpoint exceptions
};
// What a guest's MSR MDSCR_EL1 changes. The other fields are the OS-lock-only
// save/restore view of the external debug state, which a virtual CPU without
// an external debugger keeps at 0.
inline constexpr uint64_t kMdscrGuestWritable =
    Mdscr::Ss::kMask | Mdscr::Tdcc::kMask | Mdscr::Kde::kMask | Mdscr::Mde::kMask;

struct Oslsr {
    using Oslm0 = Bit<0>;  // OSLM = {bit 3, bit 0}: 0b10 = OS lock implemented
    using Oslk = Bit<1>;   // the OS lock is locked
    using Oslm1 = Bit<3>;
};

// DBGBCR<n>_EL1 / DBGWCR<n>_EL1: the fields Armv8.0 defines (every other bit RES0).
inline constexpr uint64_t kDbgbcrWritable = 0x00ff'e1e7;  // BT, LBN, SSC, HMC, BAS, PMC, E
inline constexpr uint64_t kDbgwcrWritable = 0x1f1f'ffff;  // MASK, WT, LBN, SSC, HMC, BAS, LSC, PAC, E
using DbgCtrlEnable = Bit<0>;                              // E, in both

struct Pmcr {
    using E = Bit<0>;                      // every counter enabled
    using N = BitField<15, 11, uint8_t>;   // number of event counters
};

/// MDCR_EL2 while a guest runs: every debug and PMU register access traps
/// (keel emulates them per vCPU), debug exceptions go to the guest's EL1
/// (TDE = 0), the guest's view owns every counter (HPMN = PMCR_EL0.N) but
/// cannot reach them (TPM), and EL2 does not count. Fields of features the CPU
/// lacks stay 0 (they are RES0 there).
constexpr uint64_t mdcr_guest(uint64_t dfr0, uint8_t pmcr_n)
{
    uint64_t v = Mdcr::Tda::make(true) | Mdcr::Tdosa::make(true) | Mdcr::Tdra::make(true);
    const uint8_t pmu = IdAa64Dfr0::PmuVer::get(dfr0);
    if (has_pmuv3(dfr0)) {
        v |= Mdcr::Tpm::make(true) | Mdcr::Tpmcr::make(true) | Mdcr::Hpmn::make(pmcr_n);
        if (pmu >= kPmuVerV3p1) v |= Mdcr::Hpmd::make(true);
        if (pmu >= kPmuVerV3p5) v |= Mdcr::Hccd::make(true);
    }
    if (IdAa64Dfr0::PmsVer::get(dfr0) != 0) v |= Mdcr::Tpms::make(true);
    if (IdAa64Dfr0::TraceFilt::get(dfr0) != 0) v |= Mdcr::Ttrf::make(true);
    return v;
}

}  // namespace keel::arm64
