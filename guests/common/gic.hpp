// SPDX-License-Identifier: MIT
//
// guests/common/gic.hpp
// Owns the guest's view of its virtual GICv3 (GICv3 spec IHI 0069): the
// distributor at 0x03001000 and the redistributors from 0x03020000, 128 KiB
// each (GUEST_GICV3_GICD_BASE / GUEST_GICV3_GICR0_BASE in Xen's arch-arm.h),
// and the ICC system-register CPU interface. All interrupts Group 1.
#pragma once
#include <cstdint>

namespace guest::gic {

inline constexpr uint64_t kGicd = 0x03001000;
inline constexpr uint64_t kGicr0 = 0x03020000;
inline constexpr uint64_t kGicrStride = 0x20000;
inline constexpr uint32_t kVirtualTimerPpi = 27;  // GUEST_TIMER_VIRT_PPI
inline constexpr uint32_t kPhysTimerPpi = 30;     // GUEST_TIMER_PHYS_NS_PPI
inline constexpr uint32_t kVpl011Spi = 32;        // GUEST_VPL011_SPI

/// Distributor on (affinity routing, Group 1). false when it never settles.
bool init_distributor();
/// This vCPU's redistributor (found by GICR_TYPER affinity) awake, its SGIs
/// and PPIs in Group 1 at priority 0xa0, and the CPU interface on.
/// false when no redistributor matches this vCPU's MPIDR.
bool init_cpu();
/// This vCPU's redistributor base (RD_base), 0 before init_cpu().
uint64_t my_redistributor();

void enable_private(uint32_t intid);   // SGI/PPI on this vCPU
void disable_private(uint32_t intid);
bool private_pending(uint32_t intid);  // GICR_ISPENDR0
bool private_active(uint32_t intid);   // GICR_ISACTIVER0
bool spi_pending(uint32_t intid);      // GICD_ISPENDR<n>
bool spi_active(uint32_t intid);       // GICD_ISACTIVER<n>
/// An SPI routed to the vCPU with affinity `aff` (Aff0 | Aff1 << 8), enabled.
void enable_spi(uint32_t intid, uint64_t aff);
void disable_spi(uint32_t intid);
/// SGI `sgi` (0-15) to vCPU `vcpu` (Xen's vCPU numbering: Aff0 = id % 16, Aff1 = id / 16).
void send_sgi(uint32_t sgi, uint32_t vcpu);

uint32_t gicd_typer();

}  // namespace guest::gic
