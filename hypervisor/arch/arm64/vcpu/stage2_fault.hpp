// SPDX-License-Identifier: MIT
//
// arch/arm64/vcpu/stage2_fault.hpp
// Owns what keel does with a data or instruction abort that stage 2 reported
// for a guest (ESR_EL2 EC 0x24 / 0x20): decoding the syndrome (pure, below),
// emulating an access to an emulated device window (Domain::mmio) and writing
// the result back to the guest's register, or injecting an abort into the
// guest. A guest's bad access is never keel's fault.
// Source: Arm ARM (DDI 0487), "ISS encoding for an exception from a Data
// Abort" / "... from an Instruction Abort", "HPFAR_EL2".
#pragma once
#include <cstdint>

#include "arch/arm64/entry/trap_frame.hpp"
#include "lib/bits.hpp"

namespace keel {
struct Vcpu;
}  // namespace keel

namespace keel::arm64 {

// ISS of a Data Abort (an Instruction Abort uses the same low bits: FnV, EA,
// S1PTW, IFSC; bits 24:11 are RES0 there).
struct DataAbortIss {
    using Isv = Bit<24>;                   // the fields SAS..AR are valid
    using Sas = BitField<23, 22, uint8_t>;  // access size: 1 << SAS bytes
    using Sse = Bit<21>;                   // sign-extend a load
    using Srt = BitField<20, 16, uint8_t>;  // the transfer register (31 = XZR)
    using Sf = Bit<15>;                    // 64-bit register (else W register)
    using Ar = Bit<14>;                    // acquire/release
    using Fnv = Bit<10>;                   // FAR is not valid
    using Ea = Bit<9>;                     // external abort
    using Cm = Bit<8>;                     // cache maintenance or address translation instruction
    using S1ptw = Bit<7>;                  // stage-2 fault on the guest's own table walk
    using Wnr = Bit<6>;                    // write (for CM: always 1)
    using Fsc = BitField<5, 0, uint8_t>;   // fault status code
};

inline constexpr uint8_t kXzr = 31;

// Fault status codes (DFSC/IFSC) keel cares about: the type in bits 5:2, the
// lookup level in bits 1:0.
constexpr bool fsc_is_translation(uint8_t fsc) { return (fsc & 0x3c) == 0x04; }
constexpr bool fsc_is_access_flag(uint8_t fsc) { return (fsc & 0x3c) == 0x08; }
constexpr bool fsc_is_permission(uint8_t fsc) { return (fsc & 0x3c) == 0x0c; }

struct AbortSyndrome {
    bool isv = false;
    uint8_t size = 0;  // bytes (1, 2, 4, 8) when isv
    bool sign_extend = false;
    uint8_t reg = 0;   // 0..30, or kXzr
    bool sf = false;   // 64-bit register
    bool write = false;
    bool cm = false;
    bool s1ptw = false;
    bool fnv = false;
    bool ea = false;
    uint8_t fsc = 0;
};

constexpr AbortSyndrome decode_abort_iss(uint32_t iss)
{
    AbortSyndrome s;
    s.isv = DataAbortIss::Isv::get(iss);
    s.size = static_cast<uint8_t>(1u << DataAbortIss::Sas::get(iss));
    s.sign_extend = DataAbortIss::Sse::get(iss);
    s.reg = DataAbortIss::Srt::get(iss);
    s.sf = DataAbortIss::Sf::get(iss);
    s.write = DataAbortIss::Wnr::get(iss);
    s.cm = DataAbortIss::Cm::get(iss);
    s.s1ptw = DataAbortIss::S1ptw::get(iss);
    s.fnv = DataAbortIss::Fnv::get(iss);
    s.ea = DataAbortIss::Ea::get(iss);
    s.fsc = DataAbortIss::Fsc::get(iss);
    return s;
}

// Whether HPFAR_EL2 holds the faulting IPA: for stage-2 translation and
// access-flag faults and for stage-2 faults on a stage-1 walk (keel's stage 2
// maps RAM with every permission, so permission faults do not happen; HPFAR is
// not architecturally valid for them on every CPU, nor for external aborts).
constexpr bool hpfar_valid(const AbortSyndrome& s)
{
    return s.s1ptw || fsc_is_translation(s.fsc) || fsc_is_access_flag(s.fsc);
}

// The value a store writes: the low `size` bytes of the register (XZR is 0).
constexpr uint64_t mmio_store_value(const TrapFrame& f, const AbortSyndrome& s)
{
    const uint64_t reg = s.reg == kXzr ? 0 : f.x[s.reg];
    return s.size >= 8 ? reg : reg & ((uint64_t{1} << (8 * s.size)) - 1);
}

// The register value a load of `value` produces: truncated to the access size,
// sign-extended when SSE (to 64 or 32 bits as SF says), and a W register's
// upper half zero.
constexpr uint64_t mmio_load_result(uint64_t value, const AbortSyndrome& s)
{
    uint64_t v = value;
    if (s.size < 8) {
        const unsigned bits = 8u * s.size;
        const uint64_t mask = (uint64_t{1} << bits) - 1;
        v &= mask;
        if (s.sign_extend && ((v >> (bits - 1)) & 1) != 0) v |= ~mask;
    }
    if (!s.sf) v &= 0xffff'ffff;
    return v;
}

// Writes a load's result to the register (a load into XZR is discarded).
constexpr void mmio_complete_load(TrapFrame& f, const AbortSyndrome& s, uint64_t value)
{
    if (s.reg != kXzr) f.x[s.reg] = mmio_load_result(value, s);
}

// `ldrh w3, [x1]` faulting on a translation fault at level 3: ISV, SAS 01, SRT 3, FSC 0b000111.
static_assert(decode_abort_iss(0x0143'0007).size == 2 && decode_abort_iss(0x0143'0007).reg == 3);
static_assert(mmio_load_result(0xffff'8001, decode_abort_iss(0x0163'0007)) == 0xffff'8001);
static_assert(mmio_load_result(0x8001, decode_abort_iss(0x0163'8007)) == 0xffff'ffff'ffff'8001);

/// Called by the vCPU core's trap dispatch for EC DataAbortLower and
/// InstrAbortLower while `frame` is v's live register state: emulates an access
/// to one of v's domain's MMIO regions (ISV = 1; the PC then moves past the
/// instruction) or injects a data / instruction abort into v at the faulting
/// VA (logged once per domain and reason).
void handle_stage2_abort(Vcpu& v, TrapFrame& frame);

}  // namespace keel::arm64
