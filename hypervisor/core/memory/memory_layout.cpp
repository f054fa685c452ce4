// SPDX-License-Identifier: MIT
//
// core/memory/memory_layout.cpp
// Owns the arithmetic of the boot memory plan: page rounding, subtracting the
// excluded ranges from RAM, and choosing the heap pool's place.
#include "core/memory/memory_layout.hpp"

#include "core/memory/frame_table.hpp"

namespace keel {

namespace {

PhysRange round_inward(const PhysRange& r)
{
    const uint64_t lo = align_up(r.base.raw(), kPageSize);
    const uint64_t hi = align_down(r.end().raw(), kPageSize);
    return hi > lo ? PhysRange{PhysAddr{lo}, hi - lo} : PhysRange{PhysAddr{lo}, 0};
}

PhysRange round_outward(const PhysRange& r)
{
    const uint64_t lo = align_down(r.base.raw(), kPageSize);
    const uint64_t hi = align_up(r.end().raw(), kPageSize);
    return PhysRange{PhysAddr{lo}, hi - lo};
}

void add_excluded(MemoryLayout& out, const PhysRange& r)
{
    if (r.empty()) return;
    const PhysRange p = round_outward(r);
    // Insertion keeps the list sorted by base (it holds a few dozen entries at most).
    size_t i = out.excluded_count++;
    while (i > 0 && out.excluded[i - 1].base > p.base) {
        out.excluded[i] = out.excluded[i - 1];
        --i;
    }
    out.excluded[i] = p;
}

// RAM minus the excluded ranges, bank by bank, in address order.
void subtract_excluded(MemoryLayout& out)
{
    out.free_count = 0;
    for (size_t b = 0; b < out.bank_count; ++b) {
        const PhysRange& bank = out.banks[b];
        PhysAddr cur = bank.base;
        for (size_t e = 0; e < out.excluded_count && cur < bank.end(); ++e) {
            const PhysRange& ex = out.excluded[e];
            if (ex.end() <= cur || ex.base >= bank.end()) continue;
            if (ex.base > cur) out.free[out.free_count++] = PhysRange{cur, ex.base - cur};
            if (ex.end() > cur) cur = ex.end();
        }
        if (cur < bank.end()) out.free[out.free_count++] = PhysRange{cur, bank.end() - cur};
    }
}

// Index of the free range the heap pool starts: the one starting right at the
// end of keel's image when it is big enough, else the first big enough range
// above the image, else the first big enough range anywhere.
size_t choose_heap_range(const MemoryLayout& out, PhysAddr image_end, uint64_t size)
{
    size_t above = out.free_count;
    size_t anywhere = out.free_count;
    for (size_t i = 0; i < out.free_count; ++i) {
        const PhysRange& r = out.free[i];
        if (r.size < size) continue;
        if (r.base == image_end) return i;
        if (r.base >= image_end && above == out.free_count) above = i;
        if (anywhere == out.free_count) anywhere = i;
    }
    return above != out.free_count ? above : anywhere;
}

}  // namespace

uint64_t MemoryLayout::free_bytes() const
{
    uint64_t total = 0;
    for (size_t i = 0; i < free_count; ++i) total += free[i].size;
    return total;
}

Result<void> plan_memory(const BootInfo& info, PhysRange image, uint64_t heap_extra_bytes,
                         MemoryLayout& out)
{
    out = MemoryLayout{};
    if (info.memory_count > kMaxMemoryBanks) return Errno::Inval;
    for (size_t i = 0; i < info.memory_count; ++i) {
        const PhysRange& bank = info.memory[i];
        if (i > 0 && bank.base < info.memory[i - 1].end()) return Errno::Inval;
        out.total_ram_bytes += bank.size;
        const PhysRange r = round_inward(bank);
        if (!r.empty()) out.banks[out.bank_count++] = r;
    }
    if (out.bank_count == 0) return Errno::Inval;

    add_excluded(out, image);
    add_excluded(out, info.dtb);
    for (size_t i = 0; i < info.reserved_count && i < kMaxReservedRanges; ++i)
        add_excluded(out, info.reserved[i]);
    for (size_t i = 0; i < info.module_count && i < kMaxBootModules; ++i)
        add_excluded(out, info.modules[i].range);
    subtract_excluded(out);

    const uint64_t frames = FrameTable::frames_needed({out.banks, out.bank_count});
    out.frame_table_bytes = align_up(frames * sizeof(FrameInfo), kPageSize);
    const uint64_t heap_size = out.frame_table_bytes + align_up(heap_extra_bytes, kPageSize);

    const PhysAddr image_end = image.end().align_up(kPageSize);
    const size_t h = choose_heap_range(out, image_end, heap_size);
    if (h == out.free_count) return Errno::NoMem;
    out.heap = PhysRange{out.free[h].base, heap_size};
    // The heap takes the start of its range; drop the range if nothing is left.
    out.free[h].base = out.free[h].base + heap_size;
    out.free[h].size -= heap_size;
    if (out.free[h].empty()) {
        for (size_t i = h; i + 1 < out.free_count; ++i) out.free[i] = out.free[i + 1];
        --out.free_count;
    }
    return {};
}

}  // namespace keel
