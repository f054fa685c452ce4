// SPDX-License-Identifier: MIT
//
// core/memory/frame_allocator.cpp
// Owns the buddy algorithm: splitting on alloc, merging on free, the free lists
// and the free-frame count. The buddy of the block of order k at frame m is the
// block at m ^ 2^k; blocks are aligned in machine frame numbers, so a 2 MiB
// block is 2 MiB aligned physically (stage-2 can map it with one descriptor).
#include "core/memory/frame_allocator.hpp"

#include "lib/check.hpp"

namespace keel {

namespace {

// Order recorded on every frame of a block except its first: free() of a frame
// inside a block is then caught, whatever order the caller claims.
constexpr uint8_t kTailOrder = 0xff;

constexpr uint64_t frames_of(unsigned order) { return uint64_t{1} << order; }

// True when the block of 2^order frames at `mfn` lies wholly in `seg`.
bool in_segment(const FrameTable::Segment& seg, Mfn mfn, unsigned order)
{
    return mfn >= seg.base && mfn - seg.base <= seg.count &&
           seg.count - (mfn - seg.base) >= frames_of(order);
}

}  // namespace

void FrameAllocator::init(FrameTable& table, uint8_t pool_id)
{
    KEEL_CHECK(pool_id >= 1 && pool_id <= FrameInfo::PoolField::kMask >> FrameInfo::PoolField::kLo);
    table_ = &table;
    pool_id_ = pool_id;
    for (FrameIndex& h : heads_) h = kNoFrame;
    for (uint64_t& c : block_counts_) c = 0;
    free_frames_ = 0;
    total_frames_ = 0;
}

void FrameAllocator::add_free(Mfn first, uint64_t count)
{
    KEEL_CHECK(table_ != nullptr);
    if (count == 0) return;
    const FrameTable::Segment* seg = table_->segment_of(first);
    KEEL_CHECK(seg != nullptr);
    KEEL_CHECK(first - seg->base + count <= seg->count);  // one bank only

    const FrameInfo* frames = &table_->at(table_->index_of(first));  // in one segment: contiguous
    for (uint64_t i = 0; i < count; ++i) {
        const FrameInfo& f = frames[i];
        if (f.state() != FrameState::Reserved)
            KEEL_PANIC("frame allocator: frame added twice to a pool");
    }

    // Cut the range into the largest naturally aligned blocks and free each.
    Mfn m = first;
    const Mfn end = first + count;
    while (m < end) {
        unsigned order = kMaxOrder;
        while (order > 0 && ((m.raw() & (frames_of(order) - 1)) != 0 ||
                             end - m < frames_of(order))) {
            --order;
        }
        release(table_->index_of(m), m, order, *seg);  // marks the block Free
        m = m + frames_of(order);
    }
    total_frames_ += count;
}

Result<Mfn> FrameAllocator::alloc(unsigned order)
{
    KEEL_CHECK(table_ != nullptr);
    if (order > kMaxOrder) return Errno::Inval;
    unsigned j = order;
    while (j <= kMaxOrder && heads_[j] == kNoFrame) ++j;
    if (j > kMaxOrder) return Errno::NoMem;

    return take(heads_[j], j, order);
}

Result<Mfn> FrameAllocator::alloc_below(unsigned order, Mfn limit)
{
    KEEL_CHECK(table_ != nullptr);
    if (order > kMaxOrder) return Errno::Inval;
    // The lower part of a larger block is what take() hands out, so a block of
    // any order >= `order` qualifies when its first 2^order frames end in time.
    FrameIndex best = kNoFrame;
    unsigned best_order = 0;
    uint64_t best_mfn = ~uint64_t{0};
    for (unsigned j = order; j <= kMaxOrder; ++j) {
        for (FrameIndex i = heads_[j]; i != kNoFrame; i = table_->at(i).next) {
            const uint64_t m = table_->mfn_of(i).raw();
            if (m + frames_of(order) > limit.raw() || m >= best_mfn) continue;
            best = i;
            best_order = j;
            best_mfn = m;
        }
    }
    if (best == kNoFrame) return Errno::NoMem;
    return take(best, best_order, order);
}

Mfn FrameAllocator::take(FrameIndex head, unsigned j, unsigned order)
{
    unlink(head, j);
    // Split: keep the lower half, put the upper half on the next lower list.
    while (j > order) {
        --j;
        const FrameIndex upper = head + static_cast<FrameIndex>(frames_of(j));
        table_->at(upper).order = static_cast<uint8_t>(j);
        push(upper, j);
    }
    mark(head, frames_of(order), FrameState::Allocated);
    table_->at(head).order = static_cast<uint8_t>(order);
    free_frames_ -= frames_of(order);
    return table_->mfn_of(head);
}

void FrameAllocator::free(Mfn first, unsigned order)
{
    KEEL_CHECK(table_ != nullptr);
    KEEL_CHECK(order <= kMaxOrder);
    KEEL_CHECK((first.raw() & (frames_of(order) - 1)) == 0);
    const FrameTable::Segment* seg = table_->segment_of(first);
    if (seg == nullptr || !in_segment(*seg, first, order))
        KEEL_PANIC("frame allocator: free of a frame outside RAM");

    const FrameIndex head = table_->index_of(first);
    for (uint64_t i = 0; i < frames_of(order); ++i) {
        const FrameInfo& f = table_->at(head + static_cast<FrameIndex>(i));
        if (f.state() == FrameState::Free) KEEL_PANIC("frame allocator: double free");
        if (f.state() != FrameState::Allocated)
            KEEL_PANIC("frame allocator: free of a reserved frame");
        if (f.pool() != pool_id_) KEEL_PANIC("frame allocator: free into the wrong pool");
    }
    if (table_->at(head).order != order)
        KEEL_PANIC("frame allocator: free with an order other than the allocation's");
    release(head, first, order, *seg);
}

uint64_t FrameAllocator::free_blocks(unsigned order) const
{
    return order <= kMaxOrder ? block_counts_[order] : 0;
}

bool FrameAllocator::owns(Mfn mfn) const
{
    if (table_ == nullptr) return false;
    const FrameInfo* f = table_->find(mfn);
    return f != nullptr && f->state() != FrameState::Reserved && f->pool() == pool_id_;
}

void FrameAllocator::release(FrameIndex head, Mfn mfn, unsigned order,
                             const FrameTable::Segment& seg)
{
    mark(head, frames_of(order), FrameState::Free);
    free_frames_ += frames_of(order);
    while (order < kMaxOrder) {
        const Mfn buddy{mfn.raw() ^ frames_of(order)};
        if (!in_segment(seg, buddy, order)) break;
        const FrameIndex bi = seg.first + static_cast<FrameIndex>(buddy - seg.base);
        const FrameInfo& b = table_->at(bi);
        // The buddy's first frame is a block head of the same order only when the
        // whole buddy is free: a larger free block holding it would hold us too.
        if (b.state() != FrameState::Free || b.pool() != pool_id_ || b.order != order) break;
        unlink(bi, order);
        if (buddy < mfn) {
            mfn = buddy;
            head = bi;
        } else {
            table_->at(bi).order = kTailOrder;
        }
        ++order;
    }
    table_->at(head).order = static_cast<uint8_t>(order);
    push(head, order);
}

void FrameAllocator::mark(FrameIndex head, uint64_t count, FrameState state)
{
    // One record built once and stored whole (two 64-bit stores a frame): this
    // loop touches every frame of every block allocated or freed.
    FrameInfo rec;
    rec.set(state, pool_id_);
    rec.order = kTailOrder;
    KEEL_CHECK(count <= table_->size() && head <= table_->size() - count);
    fill_frames(&table_->at(head), count, rec);
}

void FrameAllocator::push(FrameIndex head, unsigned order)
{
    FrameInfo& f = table_->at(head);
    f.prev = kNoFrame;
    f.next = heads_[order];
    if (heads_[order] != kNoFrame) table_->at(heads_[order]).prev = head;
    heads_[order] = head;
    ++block_counts_[order];
}

void FrameAllocator::unlink(FrameIndex head, unsigned order)
{
    FrameInfo& f = table_->at(head);
    if (f.prev != kNoFrame) {
        table_->at(f.prev).next = f.next;
    } else {
        KEEL_CHECK(heads_[order] == head);
        heads_[order] = f.next;
    }
    if (f.next != kNoFrame) table_->at(f.next).prev = f.prev;
    f.next = kNoFrame;
    f.prev = kNoFrame;
    --block_counts_[order];
}

}  // namespace keel
