// SPDX-License-Identifier: MIT
//
// arch/arm64/vgic/vgic_mmio.hpp
// Owns the emulated GICv3 register interface a guest sees (GICv3 spec, Arm IHI
// 0069): the distributor (GICD_*, vgic_dist.cpp) and the redistributors
// (GICR_* RD_base and SGI_base frames, vgic_redist.cpp), as pure functions over
// the domain's vGIC state. The guest sees the Non-secure view of a GIC with two
// security states (GICD_CTLR.DS = 0) and affinity routing on (ARE_NS = 1), as
// under Xen: every interrupt is Non-secure Group 1, and the Secure-only
// registers (IGROUPR, IGRPMODR, NSACR) read as zero and ignore writes.
//
// Width rules: 32-bit registers take 32-bit accesses only, IPRIORITYR and
// ITARGETSR also bytes, 64-bit registers (IROUTER, GICR_TYPER, ...) 64-bit or
// either 32-bit half (IHI 0069, "GIC memory-mapped register access"); anything
// else, or a misaligned access, is refused (the caller injects an abort).
// Unimplemented registers read as zero and ignore writes, and are reported.
//
// Domain vGIC lock held by the caller.
#pragma once
#include <cstdint>

#include "core/domain/mmio.hpp"

namespace keel {
struct Domain;
}  // namespace keel

namespace keel::arm64::vgic {

enum class MmioStatus : uint8_t {
    Ok,             // emulated
    Unimplemented,  // read as zero / write ignored; worth a log line (once)
    BadAccess,      // width or alignment not allowed: abort the guest's access
};

// What a guest access asks of the physical SPIs behind hardware-linked virtual
// ones (VgicIrqBank::hw): bit i stands for INTID first_intid + i. Applied by
// vgic_hw_spi.cpp with the domain's vGIC lock still held.
struct HwSpiEffect {
    uint32_t first_intid = 0;
    uint32_t enable = 0;         // GICD_ISENABLER: enable the physical SPI
    uint32_t disable = 0;        // GICD_ICENABLER: disable it
    uint32_t set_pending = 0;    // GICD_ISPENDR: make the physical SPI pending (it then fires)
    uint32_t clear_pending = 0;  // GICD_ICPENDR: clear the physical pending latch
    uint32_t release = 0;        // keel held the physical SPI active for a state the guest cleared: deactivate it
    uint32_t route = 0;          // GICD_IROUTER: the physical SPI follows its new target vCPU
    bool any() const { return (enable | disable | set_pending | clear_pending | release | route) != 0; }
};

struct MmioOutcome {
    MmioStatus status = MmioStatus::Ok;
    uint32_t update = 0;  // bit i: vCPU i may have something new to take (re-evaluate its LRs)
    HwSpiEffect hw = {};
};

// Values keel's emulated GIC identifies itself with.
inline constexpr uint32_t kVgicIidr =
    0x34c;  // GICD_IIDR / GICR_IIDR: Xen's value (GICV3_GICD_IIDR_VAL)
inline constexpr uint32_t kVgicPidr2 = 0x30;  // GICD_PIDR2 / GICR_PIDR2: ArchRev 3 (GICv3)
inline constexpr uint32_t kVgicIdBits = 10;   // INTIDs 0..1023 (GICD_TYPER.IDbits = 9)
// Implemented priority bits: 5, the least a GIC with two security states has
// (IHI 0069, "Interrupt prioritization"); the low three bits read as zero.
inline constexpr uint8_t kVgicPriorityMask = 0xf8;

/// A guest access to the distributor frame (a.offset from GICD base).
MmioOutcome vgicd_access(Domain& d, MmioAccess& a);

/// A guest access to the redistributor region (a.offset from the first
/// redistributor; 128 KiB per vCPU: RD_base, then SGI_base).
MmioOutcome vgicr_access(Domain& d, MmioAccess& a);

inline constexpr uint64_t kVgicRedistStride = 0x20000;  // RD_base + SGI_base, no VLPI frames (kVgicRedistFrameSize)

}  // namespace keel::arm64::vgic
