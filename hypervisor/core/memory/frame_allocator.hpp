// SPDX-License-Identifier: MIT
//
// core/memory/frame_allocator.hpp
// Owns one pool of physical frames as a buddy allocator over the shared frame
// table: blocks of 2^order frames (order 0..kMaxOrder), naturally aligned in
// the physical address space, one doubly linked free list per order, exact
// free-frame counts. keel has two pools (heap and domain, core/memory/
// boot_memory.hpp); each frame belongs to at most one, recorded in its FrameInfo
// so buddies are never merged across pools.
//
// Cost: the free-list work of alloc and free is O(kMaxOrder) (split or merge
// once per order); the per-frame records of the block are written once each,
// since every frame's state and owner must stay exact (double frees are caught
// on any frame of a block, and a domain's frames are found frame by frame).
//
// Not thread-safe: the caller serialises (keel's pools take a lock around it).
#pragma once
#include <cstdint>

#include "core/memory/frame_table.hpp"
#include "lib/addr.hpp"
#include "lib/result.hpp"

namespace keel {

class FrameAllocator {
public:
    static constexpr unsigned kMaxOrder = 18;  // 1 GiB blocks
    static constexpr unsigned kOrders = kMaxOrder + 1;

    constexpr FrameAllocator() = default;

    /// Binds the pool to `table`; `pool_id` (1..3) marks its frames in the table.
    void init(FrameTable& table, uint8_t pool_id);

    /// Hands the Reserved frames [first, first + count) to this pool as free
    /// frames (merging with free neighbours). The range must lie in one bank.
    void add_free(Mfn first, uint64_t count);

    /// A naturally aligned block of 2^order frames, or Errno::NoMem.
    Result<Mfn> alloc(unsigned order);

    /// The lowest-addressed naturally aligned block of 2^order frames that ends
    /// at or below frame `limit` (exclusive), or Errno::NoMem. For callers that
    /// care where a block is (dom0's direct-mapped RAM): O(free blocks).
    Result<Mfn> alloc_below(unsigned order, Mfn limit);

    /// Returns a block from alloc(order). Freeing a frame that is not allocated
    /// from this pool (free, reserved, another pool's, wrong order) is a keel bug.
    void free(Mfn first, unsigned order);

    uint64_t free_frames() const { return free_frames_; }
    uint64_t total_frames() const { return total_frames_; }  // frames ever added
    uint64_t free_blocks(unsigned order) const;             // length of one free list
    uint8_t pool_id() const { return pool_id_; }
    /// True when `mfn` is a frame of this pool (free or allocated).
    bool owns(Mfn mfn) const;

private:
    // Takes the free block of order j at `head` and returns its first 2^order frames.
    Mfn take(FrameIndex head, unsigned j, unsigned order);
    void push(FrameIndex head, unsigned order);
    void unlink(FrameIndex head, unsigned order);
    // Frees an allocated block into the lists, merging with its buddies.
    void release(FrameIndex head, Mfn mfn, unsigned order, const FrameTable::Segment& seg);
    void mark(FrameIndex head, uint64_t count, FrameState state);

    FrameTable* table_ = nullptr;
    uint8_t pool_id_ = 0;
    FrameIndex heads_[kOrders] = {kNoFrame, kNoFrame, kNoFrame, kNoFrame, kNoFrame,
                                  kNoFrame, kNoFrame, kNoFrame, kNoFrame, kNoFrame,
                                  kNoFrame, kNoFrame, kNoFrame, kNoFrame, kNoFrame,
                                  kNoFrame, kNoFrame, kNoFrame, kNoFrame};
    uint64_t block_counts_[kOrders] = {};
    uint64_t free_frames_ = 0;
    uint64_t total_frames_ = 0;
};

}  // namespace keel
