// SPDX-License-Identifier: MIT
//
// core/memory/frame_ref.hpp
// Owns frame references: FrameInfo::refcount as an atomic count of the
// references to a domain-pool frame beyond its owner's (a grant mapping in
// another domain, a long-lived keel map of a vcpu_info page, ...), and who
// frees a RAM frame. The owner's own reference is implicit while the frame is
// in its p2m; when the owner drops the frame (decrease_reservation,
// add_to_physmap over RAM, p2m_destroy) the frame is marked orphaned, and it
// goes back to the domain pool at once if nobody else holds it, else at the
// last frame_put. A frame is only ever referenced through its owner's p2m
// (p2m_get_page, under the p2m lock), so no new reference appears on an
// orphaned frame.
//
// keel's own heap-pool pages that another domain may map (grant-table frames
// handed out by XENMEM_acquire_resource) follow the same protocol: keel drops
// them with keel_page_owner_drop, and the last frame_put frees them; the
// P2mEnv's free_ram sends a frame back to the pool its record names.
//
// Orphaned frames must be order-0 blocks in the allocator's records (the p2m
// shatters a block before it orphans part of it). Frames without a frame-table
// record (StaticShm outside RAM banks) are not counted. Pure apart from the
// target's frame_get/frame_put (defined with the target P2mEnv).
#pragma once
#include <atomic>
#include <cstdint>

#include "core/memory/frame_table.hpp"
#include "lib/addr.hpp"
#include "lib/result.hpp"

namespace keel {

class P2mEnv;

inline constexpr uint32_t kFrameRefOrphan = 1u << 31;       // the owner dropped the frame
inline constexpr uint32_t kFrameRefMax = kFrameRefOrphan - 1;

/// References beyond the owner's.
inline uint32_t frame_ref_count(FrameInfo& f)
{
    return std::atomic_ref<uint32_t>{f.refcount}.load(std::memory_order_acquire) & kFrameRefMax;
}

/// One more reference; false (nothing taken) when the count is full.
inline bool frame_ref_get(FrameInfo& f)
{
    std::atomic_ref<uint32_t> r{f.refcount};
    uint32_t old = r.load(std::memory_order_relaxed);
    do {
        if ((old & kFrameRefMax) == kFrameRefMax) return false;
    } while (!r.compare_exchange_weak(old, old + 1, std::memory_order_acq_rel));
    return true;
}

/// Drops a reference; true when it was the last one of an orphaned frame: the
/// caller frees the frame.
inline bool frame_ref_put(FrameInfo& f)
{
    const uint32_t old = std::atomic_ref<uint32_t>{f.refcount}.fetch_sub(1, std::memory_order_acq_rel);
    return old == (kFrameRefOrphan | 1);
}

/// The owner drops the frame; true when nobody else holds it: the caller frees it.
inline bool frame_ref_owner_drop(FrameInfo& f)
{
    const uint32_t old =
        std::atomic_ref<uint32_t>{f.refcount}.fetch_or(kFrameRefOrphan, std::memory_order_acq_rel);
    return (old & kFrameRefMax) == 0;
}

/// frame_get / frame_put over an environment (host tests use a fake one).
Result<void> frame_get(P2mEnv& env, Mfn mfn);
void frame_put(P2mEnv& env, Mfn mfn);

/// keel lets go of its own page `mfn` (one it may have let others reference):
/// true when nobody references it: the caller frees it now; otherwise the
/// last frame_put does. Frames without a record: true.
bool keel_page_owner_drop(P2mEnv& env, Mfn mfn);

/// keel's: references to frames of the domain pool (target).
Result<void> frame_get(Mfn mfn);
void frame_put(Mfn mfn);
bool keel_page_owner_drop(Mfn mfn);

}  // namespace keel
