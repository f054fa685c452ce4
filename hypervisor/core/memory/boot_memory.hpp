// SPDX-License-Identifier: MIT
//
// core/memory/boot_memory.hpp
// Owns keel's memory manager: the one object that holds the frame table, the
// heap pool (identity-mapped: frame table, page tables, keel's objects) and the
// domain pool (never mapped permanently), keel's EL2 stage-1 page table and the
// per-CPU transient map slots through which keel reaches a domain frame.
// memory_init() builds all of it at boot and turns the MMU on; memory() is the
// one accessor. Target only (it programs the MMU); the arithmetic underneath
// is pure (memory_layout, frame_allocator, arch/arm64/mmu).
#pragma once
#include <cstdint>

#include "arch/arm64/hw/mmu.hpp"
#include "arch/arm64/mmu/el2_map.hpp"
#include "core/boot/boot_info.hpp"
#include "core/memory/frame_pool.hpp"
#include "core/memory/frame_table.hpp"
#include "core/memory/memory_layout.hpp"
#include "lib/addr.hpp"

namespace keel {

inline constexpr uint8_t kHeapPoolId = 1;
inline constexpr uint8_t kDomainPoolId = 2;

class MemoryManager {
public:
    FrameTable& frames() { return frames_; }
    FramePool& heap() { return heap_; }
    FramePool& domain() { return domain_; }
    const MemoryLayout& layout() const { return layout_; }
    arm64::Stage1Table& stage1() { return stage1_; }
    const arm64::MmuControls& mmu_controls() const { return controls_; }
    const arm64::El2MapSpec& map_spec() const { return spec_; }

    /// Where keel reaches a heap-pool address (identity map); panics outside the heap.
    void* heap_ptr(PhysAddr pa) const;

    /// Maps `frame` (one page) at transient slot `slot` (< kTransientSlotsPerCpu) of
    /// CPU `cpu`, read/write, execute-never. The slot must be free (unmapped), so no
    /// TLB maintenance is needed: an invalid entry is never cached.
    VirtAddr map_transient(PhysAddr frame, unsigned slot, unsigned cpu);
    /// Unmaps that slot and forgets its translation on this CPU (slots are per CPU
    /// and only used by their CPU, so a local TLBI suffices).
    void unmap_transient(unsigned slot, unsigned cpu);
    /// The same for CPU `cpu`'s 2 MiB block slot: `block` 2 MiB aligned.
    VirtAddr map_transient_block(PhysAddr block, unsigned cpu);
    void unmap_transient_block(unsigned cpu);

private:
    friend void memory_init(const BootInfo&, PhysRange, uint64_t, PhysRange);

    uint64_t* slot_entry(unsigned slot, unsigned cpu) const;

    MemoryLayout layout_;
    FrameTable frames_;
    FramePool heap_;
    FramePool domain_;
    arm64::El2MapSpec spec_;
    arm64::Stage1Table stage1_;
    uint64_t* transient_[arm64::kTransientSlots] = {};
    uint64_t* transient_block_[config::kMaxCpus] = {};
    arm64::MmuControls controls_{};
};

/// The memory manager (valid after memory_init).
MemoryManager& memory();

/// Boot step 2 on the boot CPU, MMU off: plans memory (BootInfo, keel's `image`,
/// a heap pool of frame table + `heap_extra_bytes`), builds the frame table and
/// both pools, the EL2 stage-1 map and the transient window, turns the MMU and
/// caches on, and publishes the MMU controls for secondaries (g_secondary_mmu).
/// `console` is the UART keel logs to when it is not BootInfo.uart (the fallback),
/// so it stays mapped. Panics when memory cannot be set up.
void memory_init(const BootInfo& info, PhysRange image,
                 uint64_t heap_extra_bytes = kDefaultHeapExtraBytes, PhysRange console = {});

/// Free frames in the domain pool / the heap pool; RAM as the DT gives it.
uint64_t free_domain_frames();
uint64_t free_heap_frames();
uint64_t total_ram_bytes();

/// This CPU's transient slots (the CPU index comes from PerCpu once attached;
/// before that only the boot CPU, index 0, runs).
VirtAddr map_transient(PhysAddr frame, unsigned slot);
void unmap_transient(unsigned slot);
/// This CPU's 2 MiB transient block slot (kTransientBlockSize, aligned `block`).
VirtAddr map_transient_block(PhysAddr block);
void unmap_transient_block();

}  // namespace keel
