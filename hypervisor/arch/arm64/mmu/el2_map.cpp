// SPDX-License-Identifier: MIT
//
// arch/arm64/mmu/el2_map.cpp
// Owns the list of what keel maps for itself and with which attributes.
#include "arch/arm64/mmu/el2_map.hpp"

namespace keel::arm64 {

namespace {

Result<void> map_identity(Stage1Table& table, const PhysRange& r, Stage1Attrs attrs)
{
    if (r.empty()) return {};
    const PhysAddr lo = r.base.align_down(kPageSize);
    const PhysAddr hi = r.end().align_up(kPageSize);
    return table.map(VirtAddr{lo.raw()}, lo, hi - lo, attrs);
}

}  // namespace

void El2MapSpec::add_devices(const BootInfo& info)
{
    auto add = [this](const PhysRange& r) {
        if (!r.empty() && device_count < kMaxDevices) devices[device_count++] = r;
    };
    add(info.uart);
    add(info.gic.dist);
    for (size_t i = 0; i < info.gic.redist_count && i < kMaxRedistRegions; ++i)
        add(info.gic.redist[i]);
}

Result<void> build_el2_identity_map(Stage1Table& table, const El2MapSpec& spec)
{
    KEEL_TRY(map_identity(table, spec.text, {Perm::RX, MemType::Normal}));
    KEEL_TRY(map_identity(table, spec.rodata, {Perm::R, MemType::Normal}));
    KEEL_TRY(map_identity(table, spec.data, {Perm::RW, MemType::Normal}));
    KEEL_TRY(map_identity(table, spec.dtb, {Perm::R, MemType::Normal}));
    KEEL_TRY(map_identity(table, spec.heap, {Perm::RW, MemType::Normal}));
    for (size_t i = 0; i < spec.device_count; ++i)
        KEEL_TRY(map_identity(table, spec.devices[i], {Perm::RW, MemType::DeviceNGnRE}));
    return {};
}

Result<void> prepare_transient_window(Stage1Table& table, uint64_t* (&slots)[kTransientSlots])
{
    for (size_t i = 0; i < kTransientSlots; ++i) {
        const VirtAddr va = kTransientBase + i * kPageSize;
        slots[i] = KEEL_TRY(table.page_slot(va));
    }
    return {};
}

Result<void> prepare_transient_blocks(Stage1Table& table, uint64_t* (&blocks)[config::kMaxCpus])
{
    for (unsigned cpu = 0; cpu < config::kMaxCpus; ++cpu)
        blocks[cpu] = KEEL_TRY(table.entry_slot(transient_block_va(cpu), kTransientBlockLevel));
    return {};
}

}  // namespace keel::arm64
