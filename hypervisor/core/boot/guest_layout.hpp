// SPDX-License-Identifier: MIT
//
// core/boot/guest_layout.hpp
// Owns the fixed guest physical memory map of an arm64 domU and the load-time
// decisions Xen makes for a dom0less domU: how its RAM splits into the two guest
// RAM banks, vCPU id → virtual MPIDR, and where the kernel, the device tree and
// the initrd go. Pure arithmetic; nothing here touches memory.
//
// Values are Xen's public ABI (xen/include/public/arch-arm.h, Xen 4.17). They
// belong in include/public/xen/ once that header exists; guest code must read
// them from the DT anyway (arch-arm.h says so).
#pragma once
#include <cstddef>
#include <cstdint>

#include "core/boot/arm64_image.hpp"
#include "lib/addr.hpp"
#include "lib/result.hpp"

namespace keel {

using GuestRange = Range<GuestPhysAddr>;

// xen/include/public/arch-arm.h
inline constexpr uint64_t kGuestGicv3GicdBase = 0x03001000;   // GUEST_GICV3_GICD_BASE
inline constexpr uint64_t kGuestGicv3GicdSize = 0x00010000;   // GUEST_GICV3_GICD_SIZE
inline constexpr uint64_t kGuestGicv3Gicr0Base = 0x03020000;  // GUEST_GICV3_GICR0_BASE
inline constexpr uint64_t kGuestGicv3Gicr0Size = 0x01000000;  // GUEST_GICV3_GICR0_SIZE
inline constexpr uint64_t kGuestPl011Base = 0x22000000;       // GUEST_PL011_BASE
inline constexpr uint64_t kGuestPl011Size = 0x00001000;       // GUEST_PL011_SIZE
inline constexpr uint64_t kGuestGnttabBase = 0x38000000;      // GUEST_GNTTAB_BASE
inline constexpr uint64_t kGuestGnttabSize = 0x01000000;      // GUEST_GNTTAB_SIZE
inline constexpr uint64_t kGuestMagicBase = 0x39000000;       // GUEST_MAGIC_BASE
inline constexpr uint64_t kGuestRam0Base = 0x40000000;        // GUEST_RAM0_BASE
inline constexpr uint64_t kGuestRam0Size = 0xc0000000;        // GUEST_RAM0_SIZE (3 GiB)
inline constexpr uint64_t kGuestRam1Base = 0x0200000000;      // GUEST_RAM1_BASE
inline constexpr uint64_t kGuestRam1Size = 0xfe00000000;      // GUEST_RAM1_SIZE (1016 GiB)
inline constexpr size_t kGuestRamBanks = 2;                   // GUEST_RAM_BANKS
inline constexpr uint32_t kGuestMaxVcpus = 128;               // GUEST_MAX_VCPUS
inline constexpr uint32_t kGuestTimerVirtPpi = 27;            // GUEST_TIMER_VIRT_PPI
inline constexpr uint32_t kGuestTimerPhysSPpi = 29;           // GUEST_TIMER_PHYS_S_PPI
inline constexpr uint32_t kGuestTimerPhysNsPpi = 30;          // GUEST_TIMER_PHYS_NS_PPI
inline constexpr uint32_t kGuestEvtchnPpi = 31;               // GUEST_EVTCHN_PPI
inline constexpr uint32_t kGuestVpl011Spi = 32;               // GUEST_VPL011_SPI
inline constexpr uint32_t kGuestRootAddressCells = 2;         // GUEST_ROOT_ADDRESS_CELLS
inline constexpr uint32_t kGuestRootSizeCells = 2;            // GUEST_ROOT_SIZE_CELLS
// xen/include/public/device_tree_defs.h
inline constexpr uint32_t kGuestPhandleGic = 65000;  // GUEST_PHANDLE_GIC

// The RAM a domU is given, in guest banks (empty banks have size 0 and come last).
struct GuestRamBanks {
    GuestRange bank[kGuestRamBanks];
    size_t count = 0;
    uint64_t total() const;
};

/// Splits `bytes` of guest RAM the way Xen 4.17 allocate_memory() does for a
/// dom0less domU: bank 0 at 0x40000000 gets min(bytes, 3 GiB), bank 1 at
/// 0x200000000 the rest. Errno::Inval for 0 or a size not a multiple of 4 KiB,
/// Errno::NoMem for more than the two banks hold.
Result<GuestRamBanks> split_guest_ram(uint64_t bytes);

/// Xen's vcpuid_to_vaffinity() (xen/arch/arm/include/asm/domain.h): vCPU i has
/// Aff0 = i % 16 (GICv3 target lists hold 16 CPUs) and Aff1 = i / 16.
constexpr uint64_t vcpu_mpidr_affinity(uint32_t vcpu)
{
    return (uint64_t{vcpu} & 0xf) | ((uint64_t{vcpu >> 4} & 0xff) << 8);
}

// Where a dom0less domU's images go, all in bank 0.
struct GuestLoadPlan {
    GuestRange kernel;  // base = entry point; size = effective image_size
    GuestRange dtb;     // size = the DTB's total size
    GuestRange initrd;  // size 0 when there is none
    GuestPhysAddr entry;
};

/// Xen 4.17 (xen/arch/arm/kernel.c, kernel_zimage_place + place_modules) for a
/// 64-bit domU: the kernel at bank-0 base + text_offset; the DTB and then the
/// initrd (each padded to 2 MiB) at bank-0 base + 128 MiB when they fit there
/// and the kernel ends below that mark, else at the top of bank 0 when that is
/// above the kernel, else just below the kernel. Errno::NoMem when none fits
/// (Xen panics), Errno::Inval for a DTB larger than 2 MiB (Linux's MAX_FDT_SIZE).
/// Differs from Xen in one point: the kernel's end is computed from image_size
/// (which includes .bss) rather than the file size, so modules never land in
/// the kernel's .bss.
Result<GuestLoadPlan> place_dom0less_images(const GuestRamBanks& ram, const Arm64ImageInfo& image,
                                            uint64_t dtb_size, uint64_t initrd_size);

}  // namespace keel
