// SPDX-License-Identifier: MIT
//
// arch/arm64/vgic/vgic_layout.hpp
// Owns VgicLayout: where a domain's emulated GICv3 sits in its guest physical
// space and how many SPIs it has. A domU gets Xen's virtual platform layout
// (GUEST_GICV3_*: GICD 0x03001000, one redistributor region at 0x03020000, 32
// SPIs); dom0 gets the host's (Xen's hardware-domain path in vgic-v3.c: the
// host GICD base, the host's first redistributor region with vCPU i in its
// i-th 128 KiB frame, the host's SPIs up to keel's maximum). Pure: the host
// facts come in as arguments, so the host tests check the arithmetic.
#pragma once
#include <cstdint>

#include "arch/arm64/vgic/vgic_state.hpp"
#include "lib/addr.hpp"
#include "lib/result.hpp"

namespace keel {
struct GicInfo;
}  // namespace keel

namespace keel::arm64 {

// One redistributor as keel emulates it: RD_base then SGI_base, no VLPI frames
// (IHI 0069, "The GIC Redistributor register map"; Xen's GICV3_GICR_SIZE).
inline constexpr uint64_t kVgicRedistFrameSize = 0x20000;
inline constexpr uint64_t kVgicDistSize = 0x10000;  // GICD: one 64 KiB frame

struct VgicLayout {
    GuestPhysAddr gicd_base;  // 64 KiB distributor frame
    GuestPhysAddr gicr_base;  // vCPU 0's redistributor; vCPU i at + i * 128 KiB
    uint64_t gicr_size = 0;   // the redistributor window keel traps (frames past the vCPUs: RAZ/WI)
    uint32_t nr_spis = 0;     // SPIs (INTIDs 32 .. 32 + nr_spis - 1): a multiple of 32, <= kVgicMaxSpis
};

/// Xen's domU layout (arch-arm.h GUEST_GICV3_*) with kVgicDomuSpis SPIs.
VgicLayout vgic_domu_layout();

/// The host's layout for dom0: GICD at the host GICD, redistributors from the
/// host's first redistributor region (all of it), SPIs = the host's
/// (`host_intids` = 32 * (GICD_TYPER.ITLinesNumber + 1), capped at 1020) capped
/// at kVgicMaxSpis. Errno::NoDev when the host GIC is not a GICv3 with a
/// redistributor region; Errno::Range when that region cannot hold `nr_vcpus`
/// redistributors.
Result<VgicLayout> vgic_host_layout_of(const GicInfo& gic, uint32_t host_intids, uint32_t nr_vcpus);

/// The SPIs the host GIC has (host_intids - 32, in whole registers of 32), and
/// whether kVgicMaxSpis cut them.
struct HostSpis {
    uint32_t spis = 0;
    bool capped = false;
};
HostSpis vgic_host_spis(uint32_t host_intids);

/// The layout is one keel can emulate for `nr_vcpus` vCPUs: SPI count a
/// multiple of 32 in [32, kVgicMaxSpis], frames 64 KiB aligned, the
/// redistributor window big enough, no overlap between GICD and GICR.
bool vgic_layout_valid(const VgicLayout& l, uint32_t nr_vcpus);

}  // namespace keel::arm64
