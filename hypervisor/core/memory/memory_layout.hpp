// SPDX-License-Identifier: MIT
//
// core/memory/memory_layout.hpp
// Owns the boot-time plan of physical memory (pure, host-tested): which frames
// are RAM, which are excluded (keel's image, the DTB, reserved ranges, boot
// modules), where the heap pool goes (right after keel's image when it fits,
// holding the frame table at its start), and which ranges are left for the
// domain pool. Carrying the plan out (frame table, pools, page tables) is
// boot_memory.cpp's job.
#pragma once
#include <cstddef>
#include <cstdint>

#include "core/boot/boot_info.hpp"
#include "lib/addr.hpp"
#include "lib/result.hpp"

namespace keel {

inline constexpr uint64_t kDefaultHeapExtraBytes = uint64_t{16} << 20;  // xenheap_megabytes default

struct MemoryLayout {
    // image + DTB + reserved ranges + modules
    static constexpr size_t kMaxExcluded = 2 + kMaxReservedRanges + kMaxBootModules;
    // Each exclusion splits at most one free range in two.
    static constexpr size_t kMaxFree = kMaxMemoryBanks + kMaxExcluded;

    PhysRange banks[kMaxMemoryBanks];  // RAM, rounded inward to whole pages, sorted
    size_t bank_count = 0;
    uint64_t total_ram_bytes = 0;      // sum of the banks as the DT gives them

    PhysRange excluded[kMaxExcluded];  // rounded outward to whole pages, sorted by base
    size_t excluded_count = 0;

    PhysRange heap;                    // the heap pool region
    uint64_t frame_table_bytes = 0;    // at heap.base, whole pages

    PhysRange free[kMaxFree];          // the domain pool: RAM minus excluded minus heap, sorted
    size_t free_count = 0;

    uint64_t free_bytes() const;       // sum of free[]
};

/// Plans memory for `info`, with keel's image at `image` and a heap pool of
/// frame table + `heap_extra_bytes`. Errno::Inval when the banks are unsorted or
/// overlap, Errno::NoMem when no free range holds the heap pool.
Result<void> plan_memory(const BootInfo& info, PhysRange image, uint64_t heap_extra_bytes,
                         MemoryLayout& out);

}  // namespace keel
