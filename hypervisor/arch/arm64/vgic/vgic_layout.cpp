// SPDX-License-Identifier: MIT
//
// arch/arm64/vgic/vgic_layout.cpp
// Owns the layout arithmetic declared in vgic_layout.hpp.
#include "arch/arm64/vgic/vgic_layout.hpp"

#include "core/boot/boot_info.hpp"
#include "core/boot/guest_layout.hpp"

namespace keel::arm64 {
namespace {

constexpr uint64_t kFrameAlign = 0x10000;  // redistributor frames are 64 KiB aligned (IHI 0069)
constexpr uint64_t kPageAlign = 0x1000;    // the GICD window: a stage-2 page (Xen's domU GICD is not 64 KiB aligned)
constexpr uint32_t kMaxHostIntids = 1020;  // INTIDs 1020-1023 are special

}  // namespace

VgicLayout vgic_domu_layout()
{
    return VgicLayout{GuestPhysAddr{kGuestGicv3GicdBase}, GuestPhysAddr{kGuestGicv3Gicr0Base},
                      kGuestGicv3Gicr0Size, kVgicDomuSpis};
}

HostSpis vgic_host_spis(uint32_t host_intids)
{
    const uint32_t intids = host_intids > kMaxHostIntids ? kMaxHostIntids : host_intids;
    // Whole registers of 32 INTIDs only: GICD_TYPER.ITLinesNumber counts them.
    const uint32_t spis = intids > 32 ? (intids - 32) / 32 * 32 : 0;
    if (spis > kVgicMaxSpis) return {kVgicMaxSpis, true};
    return {spis, false};
}

Result<VgicLayout> vgic_host_layout_of(const GicInfo& gic, uint32_t host_intids, uint32_t nr_vcpus)
{
    if (gic.version != 3 || gic.dist.empty() || gic.redist_count == 0 || gic.redist[0].empty()) {
        return Errno::NoDev;
    }
    // Like Xen, vCPU i's redistributor is the i-th 128 KiB frame of the host's
    // region, whatever stride the host's own redistributors have; keel exposes
    // the first region only (kMaxVcpusPerDomain frames fit in any real one).
    const PhysRange& rd = gic.redist[0];
    if (rd.size / kVgicRedistFrameSize < nr_vcpus) return Errno::Range;
    const HostSpis s = vgic_host_spis(host_intids);
    VgicLayout l{GuestPhysAddr{gic.dist.base.raw()}, GuestPhysAddr{rd.base.raw()}, rd.size, s.spis};
    if (l.nr_spis < 32) l.nr_spis = 32;  // a GICv3 has at least one SPI register
    return l;
}

bool vgic_layout_valid(const VgicLayout& l, uint32_t nr_vcpus)
{
    if (l.nr_spis < 32 || l.nr_spis > kVgicMaxSpis || l.nr_spis % 32 != 0) return false;
    if (l.gicd_base.raw() % kPageAlign != 0) return false;
    if (l.gicr_base.raw() % kFrameAlign != 0) return false;
    if (nr_vcpus == 0 || l.gicr_size / kVgicRedistFrameSize < nr_vcpus) return false;
    const uint64_t d0 = l.gicd_base.raw(), d1 = d0 + kVgicDistSize;
    const uint64_t r0 = l.gicr_base.raw(), r1 = r0 + l.gicr_size;
    if (d1 < d0 || r1 < r0) return false;  // wraps
    return d1 <= r0 || r1 <= d0;
}

}  // namespace keel::arm64
