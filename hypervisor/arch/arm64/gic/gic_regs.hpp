// SPDX-License-Identifier: MIT
//
// arch/arm64/gic/gic_regs.hpp
// Owns the GICv3 register maps and field layouts keel uses (GICv3/v4 spec,
// Arm IHI 0069): the distributor (GICD_*), the redistributor RD_base and SGI_base
// frames (GICR_*), and the system-register CPU interface (ICC_*), plus the pure
// encoders built on them (IROUTER and ICC_SGI1R_EL1 values from an MPIDR,
// redistributor affinity matching). No hardware access here: gic.cpp does that.
#pragma once
#include <cstdint>

#include "arch/arm64/hw/mmio.hpp"
#include "lib/bits.hpp"

namespace keel::arm64 {

// ---- INTID ranges (IHI 0069, "INTIDs") ----
inline constexpr uint32_t kSgiCount = 16;  // INTIDs 0-15
inline constexpr uint32_t kFirstPpi = 16;  // INTIDs 16-31
inline constexpr uint32_t kFirstSpi = 32;  // INTIDs 32-1019
inline constexpr uint32_t kMaxSpiIntid = 1019;
inline constexpr uint32_t kFirstSpecialIntid = 1020;  // 1020-1023: special (1023 = spurious)
inline constexpr uint32_t kIntidLimit = 1020;         // INTIDs keel handles: 0..1019

constexpr bool is_special_intid(uint32_t intid) { return intid >= 1020 && intid <= 1023; }
constexpr bool is_private_intid(uint32_t intid) { return intid < kFirstSpi; }  // SGI or PPI

// Priority keel gives its interrupts (lower value = higher priority). Only the
// upper bits are implemented; 0xa0 is valid with any number of priority bits >= 3.
inline constexpr uint8_t kDefaultPriority = 0xa0;

// ---- MPIDR affinity (Arm ARM, MPIDR_EL1: Aff0 [7:0], Aff1 [15:8], Aff2 [23:16], Aff3 [39:32]) --
struct Mpidr {
    using Aff0 = BitField<7, 0, uint8_t>;
    using Aff1 = BitField<15, 8, uint8_t>;
    using Aff2 = BitField<23, 16, uint8_t>;
    using Aff3 = BitField<39, 32, uint8_t>;
    static constexpr uint64_t kAffinityMask = 0xff00ffffffull;  // the four Aff fields
};
constexpr uint64_t mpidr_affinity(uint64_t mpidr) { return mpidr & Mpidr::kAffinityMask; }
// Aff3.Aff2.Aff1.Aff0 packed into 32 bits, the form GICR_TYPER reports.
constexpr uint32_t mpidr_affinity32(uint64_t mpidr)
{
    return static_cast<uint32_t>(Mpidr::Aff3::get(mpidr)) << 24 |
           static_cast<uint32_t>(Mpidr::Aff2::get(mpidr)) << 16 |
           static_cast<uint32_t>(Mpidr::Aff1::get(mpidr)) << 8 | Mpidr::Aff0::get(mpidr);
}

// ---- Distributor (IHI 0069, "The GIC Distributor register map") ----
namespace gicd {
using Ctlr = Reg<uint32_t, 0x0000>;
using Typer = Reg<uint32_t, 0x0004>;
using Iidr = Reg<uint32_t, 0x0008>;
using Igroupr = RegArray<uint32_t, 0x0080>;  // one bit per INTID, 32 per register
using Isenabler = RegArray<uint32_t, 0x0100>;
using Icenabler = RegArray<uint32_t, 0x0180>;
using Ispendr = RegArray<uint32_t, 0x0200>;
using Icpendr = RegArray<uint32_t, 0x0280>;
using Isactiver = RegArray<uint32_t, 0x0300>;
using Icactiver = RegArray<uint32_t, 0x0380>;
using Ipriorityr = RegArray<uint8_t, 0x0400>;     // byte-accessible, one byte per INTID
using Ipriorityr32 = RegArray<uint32_t, 0x0400>;  // four INTIDs per word
using Icfgr = RegArray<uint32_t, 0x0C00>;         // two bits per INTID, 16 per register
using Igrpmodr = RegArray<uint32_t, 0x0D00>;
using Irouter = RegArray<uint64_t, 0x6000>;  // index = INTID (32..1019 valid)
using Pidr2 = Reg<uint32_t, 0xFFE8>;

// GICD_CTLR. The layout depends on the security configuration: with
// GICD_CTLR.DS == 1 (one security state, e.g. QEMU virt without EL3) bit 0 is
// EnableGrp0, bit 1 EnableGrp1, bit 4 ARE; a Non-secure access with DS == 0 sees
// bit 1 EnableGrp1A (Non-secure Group 1 with affinity routing) and bit 4 ARE_NS,
// and DS itself reads as 0. Bits 1 and 4 therefore mean "Non-secure Group 1" and
// "affinity routing for it" in both views, which is all keel sets.
struct CtlrBits {
    using EnableGrp0 = Bit<0>;    // DS == 1 only; keel leaves Group 0 off
    using EnableGrp1Ns = Bit<1>;  // EnableGrp1 (DS == 1) / EnableGrp1A (NS view, DS == 0)
    using AreNs = Bit<4>;         // ARE (DS == 1) / ARE_NS (NS view)
    using Ds = Bit<6>;            // Disable Security: 1 = single security state
    using Rwp = Bit<31>;          // Register Write Pending
};
struct TyperBits {
    using ItLinesNumber = BitField<4, 0, uint32_t>;  // SPIs: 32 * (N + 1) INTIDs supported
    using SecurityExtn = Bit<10>;
    using IdBits = BitField<23, 19, uint32_t>;
};
struct Pidr2Bits {
    using ArchRev = BitField<7, 4, uint32_t>;  // 3 = GICv3, 4 = GICv4
};
// GICD_IROUTER<n>: same affinity layout as MPIDR_EL1, plus the routing mode.
struct IrouterBits {
    using InterruptRoutingMode = Bit<31>;  // 1 = any participating PE (1 of N)
};
}  // namespace gicd

// Number of INTIDs the distributor implements (SGIs and PPIs included), capped at 1020.
constexpr uint32_t gicd_intid_count(uint32_t typer)
{
    const uint32_t n = 32 * (gicd::TyperBits::ItLinesNumber::get(typer) + 1);
    return n > kIntidLimit ? kIntidLimit : n;
}

// GICD_IROUTER value that sends an SPI to exactly the PE with this MPIDR.
constexpr uint64_t irouter_for(uint64_t mpidr) { return mpidr_affinity(mpidr); }

// ---- Redistributor (IHI 0069, "The GIC Redistributor register map") ----
inline constexpr uint64_t kGicrFrameSize = 0x10000;              // 64 KiB per frame
inline constexpr uint64_t kGicrSgiFrameOffset = kGicrFrameSize;  // SGI_base = RD_base + 64 KiB
inline constexpr uint64_t kGicrStrideV3 = 2 * kGicrFrameSize;    // RD_base + SGI_base
inline constexpr uint64_t kGicrStrideV4 = 4 * kGicrFrameSize;    // + VLPI_base + reserved

namespace gicr {
// RD_base frame
using Ctlr = Reg<uint32_t, 0x0000>;
using Iidr = Reg<uint32_t, 0x0004>;
using Typer = Reg<uint64_t, 0x0008>;
using Waker = Reg<uint32_t, 0x0014>;
using Pidr2 = Reg<uint32_t, 0xFFE8>;

struct CtlrBits {
    using EnableLpis = Bit<0>;
    using Rwp = Bit<3>;  // Register Write Pending (for GICR_ICENABLER0 writes)
    using Uwp = Bit<31>;
};
struct TyperBits {
    using Plpis = Bit<0>;
    using Vlpis = Bit<1>;  // GICv4: VLPI_base and a reserved frame follow SGI_base
    using Last = Bit<4>;   // the last redistributor of a contiguous region
    using ProcessorNumber = BitField<23, 8, uint32_t>;
    using AffinityValue = BitField<63, 32, uint32_t>;  // Aff3.Aff2.Aff1.Aff0
};
struct WakerBits {
    using ProcessorSleep = Bit<1>;
    using ChildrenAsleep = Bit<2>;
};

// SGI_base frame (offsets from SGI_base)
using Igroupr0 = Reg<uint32_t, 0x0080>;
using Isenabler0 = Reg<uint32_t, 0x0100>;
using Icenabler0 = Reg<uint32_t, 0x0180>;
using Ispendr0 = Reg<uint32_t, 0x0200>;
using Icpendr0 = Reg<uint32_t, 0x0280>;
using Isactiver0 = Reg<uint32_t, 0x0300>;
using Icactiver0 = Reg<uint32_t, 0x0380>;
using Ipriorityr = RegArray<uint8_t, 0x0400>;     // INTIDs 0-31
using Ipriorityr32 = RegArray<uint32_t, 0x0400>;  // 8 words
using Icfgr0 = Reg<uint32_t, 0x0C00>;             // SGIs (edge, read-only in most implementations)
using Icfgr1 = Reg<uint32_t, 0x0C04>;             // PPIs
using Igrpmodr0 = Reg<uint32_t, 0x0D00>;
}  // namespace gicr

// Does the redistributor whose GICR_TYPER is `typer` serve the PE with this MPIDR?
constexpr bool gicr_serves(uint64_t typer, uint64_t mpidr)
{
    return gicr::TyperBits::AffinityValue::get(typer) == mpidr_affinity32(mpidr);
}

// Distance from one redistributor's RD_base to the next within a region: the
// DT's "redistributor-stride" when given, else by what GICR_TYPER says it has.
constexpr uint64_t gicr_step(uint64_t typer, uint64_t dt_stride)
{
    if (dt_stride != 0) return dt_stride;
    return gicr::TyperBits::Vlpis::get(typer) ? kGicrStrideV4 : kGicrStrideV3;
}

// ---- CPU interface system registers (IHI 0069, "ICC_*") ----
struct IccSre {             // ICC_SRE_EL2 (and ICC_SRE_EL1's low bits)
    using Sre = Bit<0>;     // system-register interface on
    using Dfb = Bit<1>;     // disable FIQ bypass
    using Dib = Bit<2>;     // disable IRQ bypass
    using Enable = Bit<3>;  // EL2 only: EL1 may use ICC_SRE_EL1
};
struct IccCtlr {  // ICC_CTLR_EL1
    using Cbpr = Bit<0>;
    using EoiMode = Bit<1>;  // 1: EOIR drops priority only, DIR deactivates
    using Pmhe = Bit<6>;
    using PriBits = BitField<10, 8, uint32_t>;  // implemented priority bits - 1
    using IdBits = BitField<13, 11, uint32_t>;
    using Rss = Bit<18>;  // SGIs may target Aff0 16..255 (ICC_SGI1R_EL1.RS)
};
struct IccIar {  // ICC_IAR1_EL1
    using Intid = BitField<23, 0, uint32_t>;
};
struct IccSgi1r {                                  // ICC_SGI1R_EL1
    using TargetList = BitField<15, 0, uint32_t>;  // bit n: Aff0 = RS * 16 + n
    using Aff1 = BitField<23, 16, uint8_t>;
    using Intid = BitField<27, 24, uint32_t>;
    using Aff2 = BitField<39, 32, uint8_t>;
    using Irm = Bit<40>;                    // 1: every PE except this one
    using Rs = BitField<47, 44, uint32_t>;  // range selector for the target list
    using Aff3 = BitField<55, 48, uint8_t>;
};

// ICC_SGI1R_EL1 value that sends SGI `sgi` to exactly the PE with this MPIDR.
// Aff0 >= 16 needs ICC_CTLR_EL1.RSS (the caller checks sgi_needs_rss()).
constexpr uint64_t sgi1r_for(uint64_t mpidr, uint32_t sgi)
{
    const uint8_t aff0 = Mpidr::Aff0::get(mpidr);
    return IccSgi1r::TargetList::make(uint32_t{1} << (aff0 % 16)) |
           IccSgi1r::Aff1::make(Mpidr::Aff1::get(mpidr)) | IccSgi1r::Intid::make(sgi % kSgiCount) |
           IccSgi1r::Aff2::make(Mpidr::Aff2::get(mpidr)) | IccSgi1r::Rs::make(aff0 / 16u) |
           IccSgi1r::Aff3::make(Mpidr::Aff3::get(mpidr));
}
constexpr bool sgi_needs_rss(uint64_t mpidr) { return Mpidr::Aff0::get(mpidr) >= 16; }

// ICC_SGI1R_EL1 value that sends SGI `sgi` to every PE but the sender.
constexpr uint64_t sgi1r_broadcast(uint32_t sgi)
{
    return IccSgi1r::Intid::make(sgi % kSgiCount) | IccSgi1r::Irm::make(true);
}

static_assert(sgi1r_for(0x0, 0) == 0x1);
static_assert(sgi1r_for(0x80000003, 5) ==
              (uint64_t{5} << 24 | 1u << 3));  // MPIDR bit 31 RES1 ignored
static_assert(sgi1r_for(0x100, 1) == (uint64_t{1} << 24 | uint64_t{1} << 16 | 1));
static_assert(gicd_intid_count(0x7) == 256);  // ITLinesNumber 7: 256 INTIDs
static_assert(gicd_intid_count(0x1f) == 1020);

}  // namespace keel::arm64
