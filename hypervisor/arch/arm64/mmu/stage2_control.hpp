// SPDX-License-Identifier: MIT
//
// arch/arm64/mmu/stage2_control.hpp
// Owns the registers that control stage-2 translation and report its faults:
// the VTCR_EL2 value keel uses for every guest (IPA size from the CPU's
// physical address size, 4 KiB granule, walks from level 1, inner-shareable
// write-back table walks, 8-bit VMIDs), the VTTBR_EL2 value of one domain
// (VMID | root table), and the faulting IPA from HPFAR_EL2 + FAR_EL2.
// Field descriptors are named without the EL suffix, as in regs/. Pure.
// Source: Arm ARM (DDI 0487), "VTCR_EL2", "VTTBR_EL2", "HPFAR_EL2".
#pragma once
#include <cstdint>

#include "arch/arm64/mmu/stage2.hpp"
#include "arch/arm64/regs/el2_mmu.hpp"
#include "lib/addr.hpp"
#include "lib/bits.hpp"

namespace keel::arm64 {

struct Vtcr {
    using T0sz = BitField<5, 0, uint8_t>;    // IPA size = 64 - T0SZ bits
    using Sl0 = BitField<7, 6, uint8_t>;     // 4 KiB granule: 0 = level 2, 1 = level 1, 2 = level 0
    using Irgn0 = BitField<9, 8, uint8_t>;   // table walks: inner cacheability
    using Orgn0 = BitField<11, 10, uint8_t>; // table walks: outer cacheability
    using Sh0 = BitField<13, 12, uint8_t>;   // table walks: shareability
    using Tg0 = BitField<15, 14, uint8_t>;   // granule: 0 = 4 KiB
    using Ps = BitField<18, 16, uint8_t>;    // output (physical) address size, PARange encoding
    using Vs = Bit<19>;                      // 16-bit VMIDs: 0, keel uses 8
    using Res1 = Bit<31>;
};

struct Vttbr {
    using Cnp = Bit<0>;                     // common not private: 0
    using Baddr = BitField<47, 1>;          // root table address (aligned to the table size)
    using Vmid = BitField<55, 48, uint16_t>;  // 8-bit VMID (VTCR_EL2.VS = 0)
};

struct Hpfar {
    using Fipa = BitField<43, 4>;  // IPA[47:12] of the fault (valid for stage-2 faults)
};

inline constexpr uint8_t kSl0Level1 = 1;
inline constexpr unsigned kMaxVmids = 256;  // 8-bit VMIDs

// keel's stage-2 input size on a CPU with physical address size `pa_bits`:
// as wide as one level-1 root page reaches (39 bits), never wider than the
// output size (an IPA size above PS is a programming error). 36 bits already
// holds Xen's second guest RAM bank at 0x2_0000_0000 (Xen's 40-bit IPA needs
// two concatenated root pages; 39 bits reach 512 GiB of guest address space).
constexpr unsigned stage2_ipa_bits(unsigned pa_bits)
{
    return pa_bits < Stage2::kInputBits ? pa_bits : Stage2::kInputBits;
}

// The VTCR_EL2 value for a CPU whose ID_AA64MMFR0_EL1.PARange is `pa_range`
// (capped at 48 bits: 52-bit output needs FEAT_LPA2 descriptors keel does not write).
constexpr uint64_t vtcr_el2_value(uint8_t pa_range)
{
    const uint8_t ps = pa_range > kPaRange48 ? kPaRange48 : pa_range;
    const unsigned ipa_bits = stage2_ipa_bits(pa_bits_of(ps));
    return Vtcr::T0sz::make(static_cast<uint8_t>(64 - ipa_bits)) | Vtcr::Sl0::make(kSl0Level1) |
           Vtcr::Irgn0::make(kWalkWriteBackRaWa) | Vtcr::Orgn0::make(kWalkWriteBackRaWa) |
           Vtcr::Sh0::make(kWalkInnerShareable) | Vtcr::Tg0::make(0) | Vtcr::Ps::make(ps) |
           Vtcr::Vs::make(false) | Vtcr::Res1::make(true);
}
// Hand-computed: PARange 4 (44-bit PA, QEMU's cortex-a57): T0SZ 25, SL0 1, IRGN0/ORGN0 01,
// SH0 11, TG0 00, PS 100, RES1 bit 31. PARange 1 (36-bit PA): T0SZ 28, PS 001.
static_assert(vtcr_el2_value(4) == 0x8004'3559);
static_assert(vtcr_el2_value(1) == 0x8001'355c);
static_assert(vtcr_el2_value(6) == vtcr_el2_value(5));

// IPA size a VTCR_EL2 value gives.
constexpr unsigned vtcr_ipa_bits(uint64_t vtcr) { return 64u - Vtcr::T0sz::get(vtcr); }
static_assert(vtcr_ipa_bits(vtcr_el2_value(4)) == 39 && vtcr_ipa_bits(vtcr_el2_value(1)) == 36);

// VTTBR_EL2 for a domain: VMID and the (page-aligned) root table.
constexpr uint64_t vttbr_value(uint16_t vmid, PhysAddr root)
{
    return Vttbr::Vmid::make(vmid) | (root.raw() & Vttbr::Baddr::kMask);
}
static_assert(vttbr_value(5, PhysAddr{0x4812'3000}) == 0x0005'0000'4812'3000);
constexpr uint16_t vttbr_vmid(uint64_t vttbr) { return Vttbr::Vmid::get(vttbr); }

// The faulting IPA of a stage-2 abort: HPFAR_EL2.FIPA gives the page, FAR_EL2
// (the faulting VA) the offset within it.
constexpr GuestPhysAddr fault_ipa(uint64_t hpfar, uint64_t far)
{
    return GuestPhysAddr{(Hpfar::Fipa::get(hpfar) << kPageShift) | (far & (kPageSize - 1))};
}
static_assert(fault_ipa(0x0000'0000'0022'0000, 0xffff'0000'1234'5018) ==
              GuestPhysAddr{0x2200'0018});

}  // namespace keel::arm64
