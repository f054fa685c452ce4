// SPDX-License-Identifier: MIT
//
// core/grant/maptrack.hpp
// Owns a domain's maptrack: one entry per grant mapping it made (which
// domain's which ref, at which of its GFNs, which frame, read-only or not),
// named by the handle returned to the guest. Entries live in pages the caller
// supplies on demand (up to kMaptrackPages), free ones on a list; handles
// never move. Not thread-safe: the owner's grant lock serialises. Pure.
#pragma once
#include <cstddef>
#include <cstdint>

#include "lib/result.hpp"

namespace keel {

struct MaptrackEntry {
    uint64_t gfn = 0;        // where the mapper sees the page (host_addr >> 12)
    uint64_t mfn = 0;        // the granted frame (one frame reference held by the p2m entry)
    uint32_t ref = 0;        // the granter's grant reference
    uint16_t dom = 0;        // the granting domain
    uint8_t flags = 0;       // kMaptrackInUse | kMaptrackReadonly; 0 = free
    uint8_t pad = 0;
    uint32_t next_free = 0;  // free list link (handle)
    uint32_t pad1 = 0;
};
static_assert(sizeof(MaptrackEntry) == 32);

inline constexpr uint8_t kMaptrackInUse = 1u << 0;
inline constexpr uint8_t kMaptrackReadonly = 1u << 1;
inline constexpr uint8_t kMaptrackReserved = 1u << 7;  // handed out, mapping not made yet
inline constexpr size_t kMaptrackPerPage = 4096 / sizeof(MaptrackEntry);  // 128
inline constexpr size_t kMaptrackPages = 8;                                 // 1024 handles
inline constexpr uint32_t kNoHandle = ~uint32_t{0};

struct Maptrack {
    MaptrackEntry* pages[kMaptrackPages] = {};
    uint32_t nr_pages = 0;
    uint32_t free_head = kNoHandle;
    uint32_t in_use = 0;
    uint32_t limit() const { return nr_pages * static_cast<uint32_t>(kMaptrackPerPage); }
};

/// A free handle (its entry zeroed, not yet marked in use); grows by one page
/// from alloc_page (zeroed 4 KiB, or nullptr) when none is free.
/// Errno::NoSpc at the limit or without a page.
Result<uint32_t> maptrack_get(Maptrack& m, void* (*alloc_page)(void* ctx), void* ctx);
/// Gives a handle from maptrack_get back.
void maptrack_put(Maptrack& m, uint32_t handle);
/// The entry of `handle`, or nullptr when out of range.
MaptrackEntry* maptrack_entry(Maptrack& m, uint32_t handle);
/// Calls free_page for every page; the maptrack is empty afterwards.
void maptrack_release(Maptrack& m, void (*free_page)(void* ctx, void* page), void* ctx);

}  // namespace keel
