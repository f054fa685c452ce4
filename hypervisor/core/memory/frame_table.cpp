// SPDX-License-Identifier: MIT
//
// core/memory/frame_table.cpp
// Owns the frame table's layout over the RAM banks and the frame-number <->
// table-index conversions (a linear scan over at most kMaxSegments banks).
#include "core/memory/frame_table.hpp"

#include "lib/check.hpp"

namespace keel {

namespace {

// A bank rounded inward to whole frames: [first, first + count).
struct BankFrames {
    Mfn first;
    uint64_t count;
};

BankFrames bank_frames(const PhysRange& bank)
{
    const uint64_t lo = align_up(bank.base.raw(), kPageSize);
    const uint64_t hi = align_down(bank.end().raw(), kPageSize);
    if (hi <= lo) return {Mfn{lo >> kPageShift}, 0};
    return {Mfn{lo >> kPageShift}, (hi - lo) >> kPageShift};
}

}  // namespace

uint64_t FrameTable::frames_needed(std::span<const PhysRange> banks)
{
    uint64_t total = 0;
    for (const PhysRange& bank : banks) total += bank_frames(bank).count;
    return total;
}

void FrameTable::init(std::span<const PhysRange> banks, FrameInfo* storage,
                      uint64_t storage_entries)
{
    KEEL_CHECK(banks.size() <= kMaxSegments);
    const uint64_t needed = frames_needed(banks);
    KEEL_CHECK(needed <= storage_entries);
    KEEL_CHECK(needed < kNoFrame);  // indices are 32 bits

    frames_ = storage;
    size_ = static_cast<FrameIndex>(needed);
    segment_count_ = 0;
    FrameIndex next_index = 0;
    Mfn previous_end{0};
    for (const PhysRange& bank : banks) {
        const BankFrames f = bank_frames(bank);
        if (f.count == 0) continue;
        KEEL_CHECK(f.first >= previous_end);  // sorted, non-overlapping
        segments_[segment_count_++] = Segment{f.first, f.count, next_index};
        next_index += static_cast<FrameIndex>(f.count);
        previous_end = f.first + f.count;
    }
    fill_frames(frames_, size_, FrameInfo{});
}

const FrameTable::Segment* FrameTable::segment_of(Mfn mfn) const
{
    for (size_t i = 0; i < segment_count_; ++i) {
        const Segment& s = segments_[i];
        if (mfn >= s.base && mfn - s.base < s.count) return &s;
    }
    return nullptr;
}

FrameIndex FrameTable::index_of(Mfn mfn) const
{
    const Segment* s = segment_of(mfn);
    if (s == nullptr) return kNoFrame;
    return s->first + static_cast<FrameIndex>(mfn - s->base);
}

Mfn FrameTable::mfn_of(FrameIndex index) const
{
    for (size_t i = 0; i < segment_count_; ++i) {
        const Segment& s = segments_[i];
        if (index >= s.first && index - s.first < s.count) return s.base + (index - s.first);
    }
    KEEL_PANIC("frame index outside the frame table");
}

FrameInfo* FrameTable::find(Mfn mfn)
{
    const FrameIndex i = index_of(mfn);
    return i == kNoFrame ? nullptr : &frames_[i];
}

const FrameInfo* FrameTable::find(Mfn mfn) const
{
    const FrameIndex i = index_of(mfn);
    return i == kNoFrame ? nullptr : &frames_[i];
}

}  // namespace keel
