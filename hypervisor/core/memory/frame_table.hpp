// SPDX-License-Identifier: MIT
//
// core/memory/frame_table.hpp
// Owns the frame table: one 16-byte FrameInfo per 4 KiB frame of RAM, for every
// RAM bank (one contiguous segment of the table per bank, so holes between banks
// cost nothing), and the conversions between a machine frame number and its
// index in the table. Which frames are free, and in which pool, is the frame
// allocators' business (frame_allocator.hpp); this file only holds the records.
#pragma once
#include <bit>
#include <cstddef>
#include <cstdint>
#include <span>

#include "core/boot/boot_info.hpp"
#include "lib/addr.hpp"
#include "lib/bits.hpp"
#include "lib/check.hpp"

namespace keel {

enum class FrameState : uint8_t {
    Reserved = 0,   // not allocatable: outside every pool (image, DTB, modules, frame table, ...)
    Free = 1,       // in a pool's free lists (the block's first frame carries the order)
    Allocated = 2,  // handed out by a pool
};

// Index of a frame in the frame table (32 bits: 16 TiB of RAM).
using FrameIndex = uint32_t;
inline constexpr FrameIndex kNoFrame = ~FrameIndex{0};
inline constexpr uint16_t kNoOwner = 0x7ff4;  // DOMID_INVALID (xen/include/public/xen.h)

// Per-frame record. Links are frame indices, not pointers, so the record stays
// 16 bytes: a free block's first frame sits on its order's free list; an
// allocated frame may later sit on its owner domain's page list.
struct alignas(8) FrameInfo {
    using StateField = BitField<1, 0, FrameState>;
    using PoolField = BitField<3, 2, uint8_t>;  // which allocator owns the frame (0 = none)

    FrameIndex next = kNoFrame;
    FrameIndex prev = kNoFrame;
    uint32_t refcount = 0;     // references beyond the owner's (grant mappings, later)
    uint16_t owner = kNoOwner; // owning domain id, kNoOwner for keel's own frames
    uint8_t order = 0;         // block order, meaningful on a block's first frame
    uint8_t flags = 0;         // StateField | PoolField

    constexpr FrameState state() const { return StateField::get(flags); }
    constexpr uint8_t pool() const { return PoolField::get(flags); }
    constexpr void set(FrameState s, uint8_t pool_id)
    {
        flags = static_cast<uint8_t>(StateField::make(s) | PoolField::make(pool_id));
    }
};
static_assert(sizeof(FrameInfo) == 16, "the frame table's size is budgeted at 16 bytes a frame");

// Fills `count` records with `rec` in two 64-bit stores each. The loops that
// touch every frame of a bank (table init, allocator marking) otherwise store
// field by field (six stores a frame): this is a sixth of keel's boot work.
inline void fill_frames(FrameInfo* dst, uint64_t count, const FrameInfo& rec)
{
    static_assert(offsetof(FrameInfo, prev) == 4 && offsetof(FrameInfo, refcount) == 8 &&
                  offsetof(FrameInfo, owner) == 12 && offsetof(FrameInfo, order) == 14 &&
                  offsetof(FrameInfo, flags) == 15);
    static_assert(std::endian::native == std::endian::little);
    using Word [[gnu::may_alias]] = uint64_t;
    const uint64_t lo = uint64_t{rec.next} | uint64_t{rec.prev} << 32;
    const uint64_t hi = uint64_t{rec.refcount} | uint64_t{rec.owner} << 32 |
                        uint64_t{rec.order} << 48 | uint64_t{rec.flags} << 56;
    auto* w = reinterpret_cast<Word*>(dst);  // FrameInfo is 8-byte aligned
    for (uint64_t i = 0; i < count; ++i) {
        w[2 * i] = lo;
        w[2 * i + 1] = hi;
    }
}

class FrameTable {
public:
    static constexpr size_t kMaxSegments = kMaxMemoryBanks;  // one segment per RAM bank

    struct Segment {
        Mfn base;                // first frame of the bank
        uint64_t count = 0;      // frames in the bank
        FrameIndex first = 0;    // table index of `base`
    };

    constexpr FrameTable() = default;

    /// Frames the table needs for `banks` (each rounded inward to whole pages).
    static uint64_t frames_needed(std::span<const PhysRange> banks);

    /// Lays the table over `banks` (sorted by base, non-overlapping) in `storage`,
    /// which must hold frames_needed(banks) records; every frame starts Reserved.
    void init(std::span<const PhysRange> banks, FrameInfo* storage, uint64_t storage_entries);

    FrameIndex size() const { return size_; }
    std::span<const Segment> segments() const { return {segments_, segment_count_}; }

    /// The table index of `mfn`, or kNoFrame when it lies in no bank.
    FrameIndex index_of(Mfn mfn) const;
    /// The segment holding `mfn`, or nullptr.
    const Segment* segment_of(Mfn mfn) const;
    Mfn mfn_of(FrameIndex index) const;

    // Inline: the allocator walks every frame of a block through these.
    FrameInfo& at(FrameIndex index)
    {
        KEEL_CHECK(index < size_);
        return frames_[index];
    }
    const FrameInfo& at(FrameIndex index) const
    {
        KEEL_CHECK(index < size_);
        return frames_[index];
    }
    /// The record of `mfn`, or nullptr when it lies in no bank.
    FrameInfo* find(Mfn mfn);
    const FrameInfo* find(Mfn mfn) const;

private:
    FrameInfo* frames_ = nullptr;
    FrameIndex size_ = 0;
    Segment segments_[kMaxSegments] = {};
    size_t segment_count_ = 0;
};

}  // namespace keel
