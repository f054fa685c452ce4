// SPDX-License-Identifier: MIT
//
// arch/arm64/mmu/vmap.hpp
// Owns keel's long-lived mapping window (Xen's vmap / map_domain_page_global):
// kVmapPages page slots at kVmapBase, above the transient window, for guest
// pages keel must reach from any CPU at any time (vcpu_info, FIFO control
// blocks and event arrays, runstate areas — core/memory/guest_map.hpp). A
// bitmap allocator under one lock hands out slots; the level-3 tables are
// created on first use from the heap pool (through keel's stage-1 table) and
// kept. A mapping is Normal write-back, read/write, execute-never. Unmapping
// invalidates the VA on every CPU (TLBI VAE2IS + DSB ISH). Target only.
#pragma once
#include <cstddef>
#include <cstdint>

#include "lib/addr.hpp"
#include "lib/result.hpp"

namespace keel::arm64 {

inline constexpr VirtAddr kVmapBase{0x0000'9000'0000'0000};
inline constexpr size_t kVmapPages = 4096;  // 16 MiB of window, 8 level-3 tables

/// Maps the frame at `pa` (page aligned) in a free slot. Errno::NoSpc when the
/// window is full, Errno::NoMem without a table page.
Result<VirtAddr> vmap_page(PhysAddr pa);

/// Unmaps a slot vmap_page returned and frees it.
void vunmap_page(VirtAddr va);

/// Slots in use (for leak checks and logs).
size_t vmap_used();

}  // namespace keel::arm64
