// SPDX-License-Identifier: MIT
//
// arch/arm64/mmu/el2_map.hpp
// Owns the layout of keel's own (EL2 stage-1) address space, as a pure plan
// over a Stage1Table: the identity map (VA == PA) with W^X per image section,
// the DTB read-only, the heap pool read/write, device windows (console UART,
// GICD, GICR) as Device-nGnRE, all but text execute-never; and the transient
// map window above the identity range, whose level-3 tables exist from boot so
// a transient map is one descriptor store. Boot modules and the domain pool are
// deliberately absent. Turning the map on is boot_memory.cpp's job.
#pragma once
#include <cstddef>
#include <cstdint>

#include "arch/arm64/mmu/page_table.hpp"
#include "arch/arm64/mmu/stage1.hpp"
#include "build_config.hpp"
#include "core/boot/boot_info.hpp"
#include "lib/addr.hpp"
#include "lib/result.hpp"

namespace keel::arm64 {

using Stage1Table = PageTable<Stage1El2>;

// The transient map window: kTransientSlotsPerCpu page slots per CPU, above
// every identity-mapped address (PA < 2^47 on every machine keel supports).
inline constexpr VirtAddr kTransientBase{0x0000'8000'0000'0000};
inline constexpr unsigned kTransientSlotsPerCpu = 16;
inline constexpr size_t kTransientSlots = config::kMaxCpus * kTransientSlotsPerCpu;

constexpr VirtAddr transient_va(unsigned cpu, unsigned slot)
{
    return kTransientBase + (uint64_t{cpu} * kTransientSlotsPerCpu + slot) * kPageSize;
}

// The transient block window: one 2 MiB level-2 block slot per CPU, 1 GiB above
// the page slots, for work on whole blocks of domain RAM (scrubbing a new
// domain's memory) without a map per page.
inline constexpr VirtAddr kTransientBlockBase = kTransientBase + (uint64_t{1} << 30);
inline constexpr unsigned kTransientBlockLevel = 2;
inline constexpr uint64_t kTransientBlockSize = uint64_t{1} << 21;

constexpr VirtAddr transient_block_va(unsigned cpu)
{
    return kTransientBlockBase + uint64_t{cpu} * kTransientBlockSize;
}

// Attributes of a transient mapping: domain RAM, read/write, execute-never.
inline constexpr Stage1Attrs kTransientAttrs{Perm::RW, MemType::Normal};

struct El2MapSpec {
    static constexpr size_t kMaxDevices = 2 + kMaxRedistRegions;  // UART, GICD, GICRs

    PhysRange text;    // keel's image sections at their run-time addresses
    PhysRange rodata;
    PhysRange data;    // .data and .bss
    PhysRange dtb;
    PhysRange heap;
    PhysRange devices[kMaxDevices];
    size_t device_count = 0;

    /// Adds the console UART, the GIC distributor and every redistributor region.
    void add_devices(const BootInfo& info);
};

/// Maps everything in `spec` (VA == PA), each range rounded outward to pages.
Result<void> build_el2_identity_map(Stage1Table& table, const El2MapSpec& spec);

/// Creates the level-3 tables of the transient window and stores, for each of
/// the kTransientSlots slots (cpu-major), the address of its descriptor.
Result<void> prepare_transient_window(Stage1Table& table, uint64_t* (&slots)[kTransientSlots]);

/// Creates the tables above the transient block window and stores, per CPU, the
/// address of its level-2 block descriptor.
Result<void> prepare_transient_blocks(Stage1Table& table, uint64_t* (&blocks)[config::kMaxCpus]);

}  // namespace keel::arm64
