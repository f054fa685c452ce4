// SPDX-License-Identifier: MIT
//
// arch/arm64/vcpu/exception_entry.hpp
// Owns the arithmetic of delivering a synchronous exception to a guest's EL1
// the way the hardware would (Arm ARM DDI 0487, "Exception entry" and "Exception
// vectors"; ESR_EL1 "ISS encoding ..."): the PSTATE/SPSR field layout, which
// VBAR_EL1 vector the exception uses, the PSTATE at the handler, and the ESR_EL1
// values for an undefined instruction and for instruction/data aborts.
// Pure constexpr; inject.cpp writes the results into the vCPU.
#pragma once
#include <cstdint>

#include "arch/arm64/regs/esr.hpp"
#include "lib/bits.hpp"

namespace keel::arm64 {

struct Pstate {                          // SPSR_ELx layout for AArch64 state
    using Sp = Bit<0>;                   // M[0]: 1 = SP_ELx (ELxh), 0 = SP_EL0 (ELxt)
    using El = BitField<3, 2, uint8_t>;  // M[3:2]: exception level
    using Aarch32 = Bit<4>;              // M[4]: the interrupted state was AArch32
    using F = Bit<6>;
    using I = Bit<7>;
    using A = Bit<8>;
    using D = Bit<9>;
    using Btype = BitField<11, 10, uint8_t>;
    using Ssbs = Bit<12>;
    using Il = Bit<20>;
    using Ss = Bit<21>;
    using Pan = Bit<22>;
    using Uao = Bit<23>;
    using Dit = Bit<24>;
};

inline constexpr uint64_t kPstateDaif = Pstate::D::make(true) | Pstate::A::make(true) |
                                        Pstate::I::make(true) | Pstate::F::make(true);
inline constexpr uint64_t kPstateEl1h = Pstate::El::make(1) | Pstate::Sp::make(true);
static_assert((kPstateDaif | kPstateEl1h) == 0x3c5);

struct SctlrEl1Bits {
    using Span = Bit<23>;    // 0: PSTATE.PAN is set on an exception to EL1 (FEAT_PAN)
    using Dssbs = Bit<44>;   // PSTATE.SSBS on an exception to EL1 (FEAT_SSBS; else RES0)
};

// Offsets in VBAR_EL1 of the synchronous-exception vectors (+0x80 IRQ, +0x100
// FIQ, +0x180 SError in each group).
inline constexpr uint64_t kVectorCurrentSp0 = 0x000;
inline constexpr uint64_t kVectorCurrentSpx = 0x200;
inline constexpr uint64_t kVectorLowerA64 = 0x400;
inline constexpr uint64_t kVectorLowerA32 = 0x600;

/// The synchronous vector an exception taken to EL1 from `pstate` uses.
constexpr uint64_t el1_sync_vector(uint64_t pstate)
{
    if (Pstate::Aarch32::get(pstate)) return kVectorLowerA32;  // AArch32 EL0
    if (Pstate::El::get(pstate) == 0) return kVectorLowerA64;
    return Pstate::Sp::get(pstate) ? kVectorCurrentSpx : kVectorCurrentSp0;
}
static_assert(el1_sync_vector(0x3c5) == 0x200 && el1_sync_vector(0x3c4) == 0x000);
static_assert(el1_sync_vector(0x0) == 0x400 && el1_sync_vector(0x10) == 0x600);

/// True when the exception comes from EL0 (a "lower EL" exception class).
constexpr bool from_el0(uint64_t pstate)
{
    return Pstate::Aarch32::get(pstate) || Pstate::El::get(pstate) == 0;
}

/// PSTATE at the EL1 handler: EL1h, D/A/I/F masked, PAN set when FEAT_PAN is
/// present and SCTLR_EL1.SPAN is 0 (else kept), SSBS from SCTLR_EL1.DSSBS, DIT
/// kept; UAO, BTYPE, IL and SS cleared.
constexpr uint64_t el1_handler_pstate(uint64_t pstate, uint64_t sctlr_el1, bool has_pan)
{
    uint64_t p = kPstateDaif | kPstateEl1h;
    if (has_pan) {
        const bool pan = !SctlrEl1Bits::Span::get(sctlr_el1) || Pstate::Pan::get(pstate);
        p |= Pstate::Pan::make(pan);
    }
    p |= Pstate::Ssbs::make(SctlrEl1Bits::Dssbs::get(sctlr_el1));
    p |= pstate & Pstate::Dit::kMask;
    return p;
}
static_assert(el1_handler_pstate(0x0, 0x00c5'0078, false) == 0x3c5);
static_assert(el1_handler_pstate(0x0, 0x0, true) == 0x4003c5);         // SPAN = 0: PAN set
static_assert(el1_handler_pstate(0x0, 0x00c5'0078, true) == 0x3c5);    // SPAN = 1: PAN kept
static_assert(el1_handler_pstate(0x40'0000, 0x00c5'0078, true) == 0x4003c5);

// Fault status code for the injected aborts: synchronous external abort, not on
// a translation table walk (ESR_ELx.DFSC/IFSC 0b010000) — what a bus error gives.
inline constexpr uint32_t kFscSyncExternalAbort = 0x10;

constexpr uint64_t esr_value(ExceptionClass ec, bool il32, uint32_t iss)
{
    return Esr::Ec::make(ec) | Esr::Il::make(il32) | Esr::Iss::make(iss);
}

/// ESR_EL1 for an undefined instruction: EC 0 ("unknown reason"). IL is RES1 for
/// EC 0, instruction aborts and data aborts with ISV = 0 (ESR_EL1, "IL, bit [25]").
constexpr uint64_t esr_undef(bool il32) { return esr_value(ExceptionClass::Unknown, il32, 0); }

/// ESR_EL1 for a data / instruction abort taken from `pstate`.
constexpr uint64_t esr_data_abort(uint64_t pstate, bool il32)
{
    return esr_value(from_el0(pstate) ? ExceptionClass::DataAbortLower
                                      : ExceptionClass::DataAbortSame,
                     il32, kFscSyncExternalAbort);
}
constexpr uint64_t esr_instr_abort(uint64_t pstate, bool il32)
{
    return esr_value(from_el0(pstate) ? ExceptionClass::InstrAbortLower
                                      : ExceptionClass::InstrAbortSame,
                     il32, kFscSyncExternalAbort);
}
static_assert(esr_undef(true) == 0x0200'0000);
static_assert(esr_data_abort(0x3c5, true) == 0x9600'0010);
static_assert(esr_instr_abort(0x0, true) == 0x8200'0010);

// Everything that changes when a synchronous exception is taken to EL1.
struct El1Entry {
    uint64_t pc;      // VBAR_EL1 + vector
    uint64_t pstate;  // PSTATE at the handler
    uint64_t elr;     // ELR_EL1: the preferred return address (the faulting instruction)
    uint64_t spsr;    // SPSR_EL1: PSTATE before the exception
};

constexpr El1Entry el1_sync_entry(uint64_t pc, uint64_t pstate, uint64_t vbar_el1,
                                  uint64_t sctlr_el1, bool has_pan)
{
    return El1Entry{vbar_el1 + el1_sync_vector(pstate),
                    el1_handler_pstate(pstate, sctlr_el1, has_pan), pc, pstate};
}

}  // namespace keel::arm64
