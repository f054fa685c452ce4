// SPDX-License-Identifier: MIT
//
// core/grant/maptrack.cpp
// Owns the maptrack free list and its growth by pages (maptrack.hpp). Pure.
#include "core/grant/maptrack.hpp"

#include "lib/check.hpp"

namespace keel {

MaptrackEntry* maptrack_entry(Maptrack& m, uint32_t handle)
{
    if (handle >= m.limit()) return nullptr;
    return &m.pages[handle / kMaptrackPerPage][handle % kMaptrackPerPage];
}

Result<uint32_t> maptrack_get(Maptrack& m, void* (*alloc_page)(void* ctx), void* ctx)
{
    if (m.free_head == kNoHandle) {
        if (m.nr_pages == kMaptrackPages) return Errno::NoSpc;
        auto* page = static_cast<MaptrackEntry*>(alloc_page(ctx));
        if (page == nullptr) return Errno::NoSpc;
        const uint32_t base = m.limit();
        m.pages[m.nr_pages++] = page;
        // Chain the new entries, lowest handle first.
        for (uint32_t i = kMaptrackPerPage; i-- > 0;) {
            page[i] = MaptrackEntry{};
            page[i].next_free = m.free_head;
            m.free_head = base + i;
        }
    }
    const uint32_t h = m.free_head;
    MaptrackEntry* e = maptrack_entry(m, h);
    KEEL_CHECK(e != nullptr && e->flags == 0);
    m.free_head = e->next_free;
    *e = MaptrackEntry{};
    ++m.in_use;
    return h;
}

void maptrack_put(Maptrack& m, uint32_t handle)
{
    MaptrackEntry* e = maptrack_entry(m, handle);
    KEEL_CHECK(e != nullptr && m.in_use != 0);
    *e = MaptrackEntry{};
    e->next_free = m.free_head;
    m.free_head = handle;
    --m.in_use;
}

void maptrack_release(Maptrack& m, void (*free_page)(void* ctx, void* page), void* ctx)
{
    for (uint32_t i = 0; i < m.nr_pages; ++i) free_page(ctx, m.pages[i]);
    m = Maptrack{};
}

}  // namespace keel
