// SPDX-License-Identifier: MIT
//
// tests/fuzz/fuzz_grant.cpp
// Harness 5b: the grant-entry protocol (grant_pin / grant_unpin) and the
// maptrack, driven by random operation sequences. Domain 1 grants: its 16
// shared v1 entries are rewritten by the guest at random (any flags, grantee,
// frame), either following the protocol (status bits of a pinned entry kept)
// or hostile (anything). Domains 2 and 3 map and unmap refs read-only or
// writable, for mappings or copies, each with its own maptrack (pages from a
// counting allocator). Invariants after every step: each ActiveGrant's reader
// and writer counts equal the live mappings of that ref; while a protocol-
// following granter's entry is pinned GTF_reading (and with writers
// GTF_writing) stays set, and both clear with the last unpin; a pin only
// succeeds for the grantee the entry names, never writable on a GTF_readonly
// entry, never by a second domain. At the end every mapping is undone and
// every maptrack page given back. The per-step check is one pass over the
// mappings (O(mappings + refs)) and is left out of coverage instrumentation.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdio>
#include <cstdlib>
#include <vector>

#include "core/grant/grant_entry.hpp"
#include "core/grant/maptrack.hpp"

// Checker code: not instrumented for coverage (it would only add noise to the feedback).
#define FUZZ_CHECKER __attribute__((no_sanitize("coverage")))

using namespace keel;

namespace {

FUZZ_CHECKER void fuzz_assert(bool ok, const char* what)
{
    if (!ok) {
        std::fprintf(stderr, "fuzz_grant: invariant broken: %s\n", what);
        __builtin_trap();
    }
}

constexpr uint32_t kRefs = 16;

struct Mapping {
    uint16_t dom;
    uint32_t handle;
};

struct World {
    xen::GrantEntryV1 entry[kRefs] = {};
    ActiveGrant act[kRefs] = {};
    bool hostile[kRefs] = {};  // the granter broke the protocol since the entry was last unpinned
    Maptrack mt[2];            // domains 2 and 3
    std::vector<Mapping> maps;
    int pages = 0;
    int page_budget = 0;       // pages the allocator still gives (then nullptr)
};

void* alloc_page(void* ctx)
{
    auto* w = static_cast<World*>(ctx);
    if (w->page_budget-- <= 0) return nullptr;
    ++w->pages;
    return std::calloc(1, 4096);
}

void free_page(void* ctx, void* page)
{
    --static_cast<World*>(ctx)->pages;
    std::free(page);
}

// One pass over the live mappings, then one over the refs: O(mappings + refs).
FUZZ_CHECKER void check(World& w)
{
    uint32_t ro[kRefs] = {};
    uint32_t rw[kRefs] = {};
    for (const Mapping& m : w.maps) {
        MaptrackEntry* e = maptrack_entry(w.mt[m.dom - 2], m.handle);
        fuzz_assert(e != nullptr && (e->flags & kMaptrackInUse) != 0, "a live mapping's handle is in use");
        fuzz_assert(e->ref < kRefs, "a mapping names a ref of the table");
        const uint32_t r = e->ref;
        fuzz_assert(e->dom == 1, "maptrack names the granter");
        fuzz_assert(w.act[r].domid == m.dom, "all pins of a ref are by one domain");
        fuzz_assert(e->mfn == w.act[r].mfn, "a mapping maps the frame pinned first");
        ((e->flags & kMaptrackReadonly) != 0 ? ro : rw)[r] += 1;
    }
    for (uint32_t r = 0; r < kRefs; ++r) {
        fuzz_assert(w.act[r].readers == ro[r] && w.act[r].writers == rw[r], "pin counts equal the live mappings");
        if (!w.hostile[r]) {
            const uint16_t f = w.entry[r].flags;
            fuzz_assert(((f & xen::kGtfReading) != 0) == w.act[r].pinned(), "GTF_reading iff pinned");
            fuzz_assert(((f & xen::kGtfWriting) != 0) == (w.act[r].writers != 0), "GTF_writing iff written");
        }
    }
    fuzz_assert(w.mt[0].in_use + w.mt[1].in_use == w.maps.size(), "maptrack in_use counts the mappings");
}

void unmap(World& w, size_t i)
{
    const Mapping m = w.maps[i];
    MaptrackEntry* e = maptrack_entry(w.mt[m.dom - 2], m.handle);
    const bool ro = (e->flags & kMaptrackReadonly) != 0;
    grant_unpin(w.entry[e->ref], w.act[e->ref], ro);
    if (!w.act[e->ref].pinned()) w.hostile[e->ref] = false;  // the granter may reuse it now
    maptrack_put(w.mt[m.dom - 2], m.handle);
    w.maps.erase(w.maps.begin() + static_cast<long>(i));
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    FuzzedDataProvider in{data, size};
    World w;
    w.page_budget = in.ConsumeIntegralInRange<int>(0, 10);

    for (int step = 0; step < 300 && in.remaining_bytes() > 0; ++step) {
        const uint32_t ref = in.ConsumeIntegralInRange<uint32_t>(0, kRefs - 1);
        switch (in.ConsumeIntegralInRange<int>(0, 5)) {
        case 0: {  // the granter (re)writes its entry
            xen::GrantEntryV1& e = w.entry[ref];
            const bool follow = in.ConsumeBool();
            uint16_t flags = in.ConsumeIntegral<uint16_t>();
            if (follow) {
                if (w.act[ref].pinned()) break;  // a well-behaved granter leaves a busy entry alone
                flags &= static_cast<uint16_t>(~(xen::kGtfReading | xen::kGtfWriting));
                if (in.ConsumeBool()) flags = static_cast<uint16_t>((flags & ~xen::kGtfTypeMask) | xen::kGtfPermitAccess);
            } else {
                w.hostile[ref] = true;
            }
            e.flags = flags;
            e.domid = in.ConsumeBool() ? in.ConsumeIntegralInRange<uint16_t>(1, 4) : in.ConsumeIntegral<uint16_t>();
            e.frame = in.ConsumeIntegral<uint32_t>();
            break;
        }
        case 1:
        case 2:
        case 3: {  // a mapper maps (or pins for a copy) ref
            const uint16_t who = in.ConsumeBool() ? 2 : 3;
            const bool ro = in.ConsumeBool();
            const bool mapping = in.ConsumeBool();
            const xen::GrantEntryV1 before = w.entry[ref];
            const bool was_pinned = w.act[ref].pinned();
            // Pins that touch the shared entry: the first, and the first writable one.
            const bool touches = !was_pinned || (!ro && w.act[ref].writers == 0);
            const uint16_t holder = w.act[ref].domid;
            const xen::GntSt st = grant_pin(w.entry[ref], w.act[ref], who, ro, mapping);
            if (st != xen::GntSt::Okay) break;
            if (touches) {
                fuzz_assert((before.flags & xen::kGtfTypeMask) == xen::kGtfPermitAccess, "pinned a permit_access entry");
                fuzz_assert(before.domid == who, "pinned only by the grantee the entry names");
                fuzz_assert(ro || (before.flags & xen::kGtfReadonly) == 0, "no writable pin of a read-only grant");
            }
            fuzz_assert(!was_pinned || holder == who, "no second domain pins a pinned entry");
            if (!was_pinned) {
                w.act[ref].mfn = before.frame;
                w.act[ref].domid = who;
            }
            if (!mapping) {  // a copy: pinned for the duration only
                grant_unpin(w.entry[ref], w.act[ref], ro);
                if (!w.act[ref].pinned()) w.hostile[ref] = false;
                break;
            }
            auto h = maptrack_get(w.mt[who - 2], alloc_page, &w);
            if (!h.ok()) {
                grant_unpin(w.entry[ref], w.act[ref], ro);
                if (!w.act[ref].pinned()) w.hostile[ref] = false;
                break;
            }
            MaptrackEntry* e = maptrack_entry(w.mt[who - 2], h.value());
            fuzz_assert(e != nullptr && e->flags == 0, "a fresh handle is a zeroed entry");
            e->gfn = 0x8000 + h.value();
            e->mfn = w.act[ref].mfn;
            e->ref = ref;
            e->dom = 1;
            e->flags = static_cast<uint8_t>(kMaptrackInUse | (ro ? kMaptrackReadonly : 0));
            w.maps.push_back(Mapping{who, h.value()});
            break;
        }
        case 4:
            if (!w.maps.empty()) unmap(w, in.ConsumeIntegralInRange<size_t>(0, w.maps.size() - 1));
            break;
        case 5: {  // handles the guest names: any number
            const uint32_t h = in.ConsumeIntegral<uint32_t>();
            MaptrackEntry* e = maptrack_entry(w.mt[in.ConsumeBool() ? 0 : 1], h);
            fuzz_assert(e == nullptr || h < w.mt[0].limit() || h < w.mt[1].limit(), "entry only in range");
            break;
        }
        }
        check(w);
    }
    while (!w.maps.empty()) unmap(w, w.maps.size() - 1);
    check(w);
    for (uint32_t r = 0; r < kRefs; ++r) fuzz_assert(!w.act[r].pinned(), "nothing pinned at the end");
    fuzz_assert(w.mt[0].in_use == 0 && w.mt[1].in_use == 0, "maptrack empty");
    maptrack_release(w.mt[0], free_page, &w);
    maptrack_release(w.mt[1], free_page, &w);
    fuzz_assert(w.pages == 0, "every maptrack page given back");
    return 0;
}
