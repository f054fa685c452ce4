// SPDX-License-Identifier: MIT
//
// core/memory/frame_pool.hpp
// Owns FramePool: one FrameAllocator behind its lock, the form in which the
// heap and domain pools are used once more than one CPU runs. The lock is a
// leaf: nothing else is taken while it is held.
#pragma once
#include <cstdint>

#include "arch/arm64/hw/spinlock.hpp"
#include "core/memory/frame_allocator.hpp"

namespace keel {

class FramePool {
public:
    FramePool() = default;
    FramePool(const FramePool&) = delete;
    FramePool& operator=(const FramePool&) = delete;

    /// A naturally aligned block of 2^order frames, or Errno::NoMem / Errno::Inval.
    Result<Mfn> alloc(unsigned order)
    {
        LockGuard guard{lock_};
        return allocator_.alloc(order);
    }
    /// The lowest block of 2^order frames ending at or below `limit` (exclusive).
    Result<Mfn> alloc_below(unsigned order, Mfn limit)
    {
        LockGuard guard{lock_};
        return allocator_.alloc_below(order, limit);
    }
    /// Returns a block from alloc(order) (anything else panics: a keel bug).
    void free(Mfn first, unsigned order)
    {
        LockGuard guard{lock_};
        allocator_.free(first, order);
    }
    uint64_t free_frames()
    {
        LockGuard guard{lock_};
        return allocator_.free_frames();
    }
    uint64_t total_frames()
    {
        LockGuard guard{lock_};
        return allocator_.total_frames();
    }
    bool owns(Mfn mfn)
    {
        LockGuard guard{lock_};
        return allocator_.owns(mfn);
    }

    /// The allocator without its lock: only while a single CPU runs (boot, with the
    /// MMU still off, where exclusive accesses cannot be relied on).
    FrameAllocator& unlocked() { return allocator_; }

private:
    SpinLock lock_;
    FrameAllocator allocator_;
};

}  // namespace keel
