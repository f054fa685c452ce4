// SPDX-License-Identifier: MIT
//
// core/grant/grant_table.cpp
// Owns DomainGrants and GNTTABOP_* (grant_table.hpp): table growth, the
// add_to_physmap hook, map/unmap by the maptrack, copy, and the small query
// ops; Xen 4.17 ARM semantics (xen/common/grant_table.c, xen/arch/arm/mm.c),
// keel's own code. Target only.
#include "core/grant/grant_table.hpp"

#include <new>

#include "arch/arm64/hw/barrier.hpp"
#include "core/domain/domain.hpp"
#include "core/domain/domain_ref.hpp"
#include "core/domain/domain_table.hpp"
#include "core/domain/object_heap.hpp"
#include "core/domain/vcpu.hpp"
#include "core/grant/grant_entry.hpp"
#include "core/grant/maptrack.hpp"
#include "core/hypercall/hypercall.hpp"
#include "core/memory/boot_memory.hpp"
#include "core/memory/frame_ref.hpp"
#include "core/memory/guest_virt.hpp"
#include "core/memory/p2m.hpp"
#include "lib/relaxed_copy.hpp"
#include "public/xen/grant_table.hpp"
#include "public/xen/memory.hpp"

namespace keel {

inline constexpr uint64_t kNoGfn = ~uint64_t{0};
inline constexpr uint32_t kActivePerPage = 4096 / sizeof(ActiveGrant);  // 256
inline constexpr uint32_t kActivePerFrame = xen::kGrantEntriesPerFrame / kActivePerPage;  // 2

struct DomainGrants {
    xen::GrantEntryV1* shared[kGrantMaxFrames] = {};         // keel heap pages
    ActiveGrant* active[kGrantMaxFrames * kActivePerFrame] = {};
    uint64_t frame_gfn[kGrantMaxFrames] = {};                // where the guest mapped frame i
    uint32_t nr_frames = 0;
    Maptrack maptrack;
};

namespace {

using xen::GntSt;

// Transient map slots of this CPU for GNTTABOP_copy (guest_copy.hpp uses 8-10).
constexpr unsigned kGrantCopySrcSlot = 12;
constexpr unsigned kGrantCopyDstSlot = 13;
constexpr uint64_t kGnttabCmdMask = 0xfff;  // GNTTABOP_CMD_MASK; the rest: continuation state

long err(Errno e) { return -static_cast<long>(e); }

Mfn heap_mfn(const void* p) { return Mfn::of(PhysAddr{reinterpret_cast<uint64_t>(p)}); }

void* alloc_page(void*) { return alloc_object_frames(kPageSize); }
void free_page(void*, void* p) { free_object_frames(p, kPageSize); }

// A domain by id (not DOMID_SELF), counted while the caller uses it; empty
// when there is none or it is Dead.
DomainRef live_domain(uint16_t id) { return domain_ref(id); }

uint16_t resolve(uint16_t dom, const Domain& self)
{
    return dom == xen::kDomidSelf ? self.id : dom;
}

uint32_t nr_entries(const DomainGrants& g) { return g.nr_frames * xen::kGrantEntriesPerFrame; }

xen::GrantEntryV1& entry(DomainGrants& g, uint32_t ref)
{
    return g.shared[ref / xen::kGrantEntriesPerFrame][ref % xen::kGrantEntriesPerFrame];
}
ActiveGrant& active(DomainGrants& g, uint32_t ref)
{
    return g.active[ref / kActivePerPage][ref % kActivePerPage];
}

// Grows g to `frames` frames (grant lock held).
Result<void> grow(DomainGrants& g, uint32_t frames)
{
    if (frames > kGrantMaxFrames) return Errno::Inval;
    while (g.nr_frames < frames) {
        const uint32_t i = g.nr_frames;
        void* shared = alloc_page(nullptr);
        if (shared == nullptr) return Errno::NoMem;
        ActiveGrant* act[kActivePerFrame] = {};
        for (uint32_t k = 0; k < kActivePerFrame; ++k) {
            act[k] = static_cast<ActiveGrant*>(alloc_page(nullptr));
            if (act[k] == nullptr) {
                for (uint32_t j = 0; j < k; ++j) free_page(nullptr, act[j]);
                free_page(nullptr, shared);
                return Errno::NoMem;
            }
        }
        for (uint32_t k = 0; k < kActivePerFrame; ++k) g.active[i * kActivePerFrame + k] = act[k];
        g.frame_gfn[i] = kNoGfn;
        // The guest reads it with its caches on (WB): no maintenance needed.
        g.shared[i] = static_cast<xen::GrantEntryV1*>(shared);
        g.nr_frames = i + 1;
    }
    return {};
}

// Pins ref of granter `gd` for `who`; the frame (with one frame reference
// for the caller) in `out`. `mapping` refuses sub-page grants.
GntSt pin_ref(Domain& gd, uint32_t ref, uint16_t who, bool readonly, bool mapping, Mfn& out)
{
    LockGuard guard{gd.grant_lock};
    DomainGrants* g = gd.grants;
    if (g == nullptr) return GntSt::BadDomain;
    if (ref >= nr_entries(*g)) return GntSt::BadGntref;
    xen::GrantEntryV1& e = entry(*g, ref);
    ActiveGrant& act = active(*g, ref);
    const bool first = !act.pinned();
    const GntSt st = grant_pin(e, act, who, readonly, mapping);
    if (st != GntSt::Okay) return st;
    if (first) {
        const uint32_t gfn = __atomic_load_n(&e.frame, __ATOMIC_ACQUIRE);
        auto mfn = p2m_get_page(gd, gfn, !readonly);
        if (!mfn.ok()) {
            grant_unpin(e, act, readonly);
            return GntSt::BadPage;
        }
        act.mfn = mfn.value().raw();
        out = mfn.value();
        return GntSt::Okay;
    }
    out = Mfn{act.mfn};
    if (!frame_get(out).ok()) {
        grant_unpin(e, act, readonly);
        return GntSt::GeneralError;
    }
    return GntSt::Okay;
}

// Undoes pin_ref's pin (not its frame reference). The granter may be gone.
void unpin_ref(uint16_t granter, uint32_t ref, bool readonly)
{
    const DomainRef gd = live_domain(granter);  // a Dead granter's table is gone: nothing to undo
    if (!gd) return;
    LockGuard guard{gd->grant_lock};
    DomainGrants* g = gd->grants;
    if (g == nullptr || ref >= nr_entries(*g)) return;
    ActiveGrant& act = active(*g, ref);
    if ((readonly ? act.readers : act.writers) == 0) return;
    grant_unpin(entry(*g, ref), act, readonly);
}

// --- map / unmap -------------------------------------------------------------

void map_one(Domain& d, xen::GnttabMapGrantRef& op)
{
    op.handle = 0;
    if ((op.flags & (xen::kGntmapHostMap | xen::kGntmapDeviceMap)) == 0) {
        op.status = static_cast<int16_t>(GntSt::BadGntref);
        return;
    }
    // An auto-translated guest maps only by host_map (+ readonly): Xen ARM.
    if ((op.flags & (xen::kGntmapDeviceMap | xen::kGntmapApplicationMap |
                     xen::kGntmapContainsPte)) != 0) {
        op.status = static_cast<int16_t>(GntSt::GeneralError);
        return;
    }
    const DomainRef gd = live_domain(op.dom);  // DOMID_SELF is not accepted here (Xen: by id)
    if (!gd) {
        op.status = static_cast<int16_t>(GntSt::BadDomain);
        return;
    }
    const bool ro = (op.flags & xen::kGntmapReadonly) != 0;

    uint32_t handle;
    {
        LockGuard guard{d.grant_lock};
        if (d.grants == nullptr) {
            op.status = static_cast<int16_t>(GntSt::GeneralError);
            return;
        }
        auto h = maptrack_get(d.grants->maptrack, alloc_page, nullptr);
        if (!h.ok()) {
            op.status = static_cast<int16_t>(GntSt::NoSpace);
            return;
        }
        handle = h.value();
        // Reserved (in use, no mapping yet) so no other op takes or unmaps it.
        maptrack_entry(d.grants->maptrack, handle)->flags = kMaptrackInUse | kMaptrackReserved;
    }
    auto give_back_handle = [&] {
        LockGuard guard{d.grant_lock};
        if (d.grants != nullptr) maptrack_put(d.grants->maptrack, handle);
    };

    Mfn mfn;
    const GntSt st = pin_ref(*gd, op.ref, d.id, ro, true, mfn);
    if (st != GntSt::Okay) {
        give_back_handle();
        op.status = static_cast<int16_t>(st);
        return;
    }
    const uint64_t gfn = op.host_addr >> kPageShift;
    // keel maps only into a hole: Xen would replace what is there.
    auto mapped = p2m_map_frame(d, gfn, mfn, ro ? P2mType::GrantMapRo : P2mType::GrantMapRw);
    if (!mapped.ok()) {
        frame_put(mfn);
        unpin_ref(gd->id, op.ref, ro);
        give_back_handle();
        op.status = static_cast<int16_t>(GntSt::GeneralError);
        return;
    }
    {
        LockGuard guard{d.grant_lock};
        MaptrackEntry* e = maptrack_entry(d.grants->maptrack, handle);
        e->gfn = gfn;
        e->mfn = mfn.raw();
        e->ref = op.ref;
        e->dom = gd->id;
        e->flags = static_cast<uint8_t>(kMaptrackInUse | (ro ? kMaptrackReadonly : 0));
    }
    op.handle = handle;
    op.dev_bus_addr = mfn.addr().raw();
    op.status = static_cast<int16_t>(GntSt::Okay);
}

// Removes mapping `handle` of d; `gfn` must be where it is (kNoGfn: anywhere).
GntSt unmap_handle(Domain& d, uint32_t handle, uint64_t gfn)
{
    MaptrackEntry m;
    {
        LockGuard guard{d.grant_lock};
        if (d.grants == nullptr) return GntSt::BadHandle;
        MaptrackEntry* e = maptrack_entry(d.grants->maptrack, handle);
        if (e == nullptr || e->flags == 0 || (e->flags & kMaptrackReserved) != 0) return GntSt::BadHandle;
        if (gfn != kNoGfn && gfn != e->gfn) return GntSt::GeneralError;
        const bool ro = (e->flags & kMaptrackReadonly) != 0;
        auto old = p2m_unmap_frame(d, e->gfn, ro ? P2mType::GrantMapRo : P2mType::GrantMapRw);
        if (!old.ok() || old.value().raw() != e->mfn) return GntSt::GeneralError;
        m = *e;
        maptrack_put(d.grants->maptrack, handle);
    }
    frame_put(Mfn{m.mfn});  // the reference the p2m entry held
    unpin_ref(m.dom, m.ref, (m.flags & kMaptrackReadonly) != 0);
    return GntSt::Okay;
}

// --- copy ----------------------------------------------------------------------

struct CopySide {
    Mfn mfn;
    bool pinned_gref = false;
    uint16_t dom = 0;
    uint32_t ref = 0;
    bool readonly = true;
};

GntSt claim(Domain& d, const xen::GnttabCopyPtr& p, bool is_gref, bool write, CopySide& out)
{
    const uint16_t dom = resolve(p.domid, d);
    out.readonly = !write;
    if (!is_gref) {
        // Xen looks the domain up first: an absent one is bad_domain.
        if (dom != d.id) return live_domain(dom) ? GntSt::PermissionDenied : GntSt::BadDomain;
        auto m = p2m_get_page(d, p.u.gmfn, write);
        if (!m.ok()) return GntSt::BadPage;
        out.mfn = m.value();
        return GntSt::Okay;
    }
    const DomainRef gd = live_domain(dom);
    if (!gd) return GntSt::BadDomain;
    const GntSt st = pin_ref(*gd, p.u.ref, d.id, !write, false, out.mfn);
    if (st != GntSt::Okay) return st;
    out.pinned_gref = true;
    out.dom = dom;
    out.ref = p.u.ref;
    return GntSt::Okay;
}

void release(CopySide& s)
{
    frame_put(s.mfn);
    if (s.pinned_gref) unpin_ref(s.dom, s.ref, s.readonly);
}


GntSt copy_one(Domain& d, const xen::GnttabCopy& op)
{
    if ((op.flags & ~(xen::kGntcopySourceGref | xen::kGntcopyDestGref)) != 0)
        return GntSt::BadCopyArg;
    if (op.source.offset + uint32_t{op.len} > kPageSize || op.dest.offset + uint32_t{op.len} > kPageSize)
        return GntSt::BadCopyArg;
    CopySide src;
    CopySide dst;
    GntSt st = claim(d, op.source, (op.flags & xen::kGntcopySourceGref) != 0, false, src);
    if (st != GntSt::Okay) return st;
    st = claim(d, op.dest, (op.flags & xen::kGntcopyDestGref) != 0, true, dst);
    if (st != GntSt::Okay) {
        release(src);
        return st;
    }
    if (op.len != 0) {
        const VirtAddr s = map_transient(src.mfn.addr(), kGrantCopySrcSlot);
        const VirtAddr t = map_transient(dst.mfn.addr(), kGrantCopyDstSlot);
        uint8_t* to = reinterpret_cast<uint8_t*>(t.raw()) + op.dest.offset;
        relaxed_copy(to, reinterpret_cast<const uint8_t*>(s.raw()) + op.source.offset, op.len);
        unmap_transient(kGrantCopyDstSlot);
        unmap_transient(kGrantCopySrcSlot);
    }
    release(dst);
    release(src);
    return GntSt::Okay;
}

// --- the ops -----------------------------------------------------------------------

template <typename Op, typename Fn>
long per_element(Vcpu& v, HypercallArgs& a, uint64_t count, Fn fn)
{
    const GuestVirtAddr base{a.arg[1]};
    for (uint64_t i = 0; i < count; ++i) {
        if (i != 0 && hypercall_preempt_check()) {
            a.arg[1] += i * sizeof(Op);
            a.arg[2] = count - i;
            return hypercall_continue(v, a);
        }
        Op op;
        if (!copy_from_guest(v, &op, base + i * sizeof(Op), sizeof op).ok()) return err(Errno::Fault);
        fn(op);
        if (!copy_to_guest(v, base + i * sizeof(Op), &op, sizeof op).ok()) return err(Errno::Fault);
    }
    return 0;
}

// A query about domain `dom`: Okay for the caller itself, else Xen's status.
GntSt query_target(Domain& d, uint16_t dom)
{
    const uint16_t id = resolve(dom, d);
    if (id == d.id) return GntSt::Okay;
    return live_domain(id) ? GntSt::PermissionDenied : GntSt::BadDomain;
}

long query_size(Vcpu& v, Domain& d, GuestVirtAddr p)
{
    xen::GnttabQuerySize q;
    if (!copy_from_guest(v, &q, p, sizeof q).ok()) return err(Errno::Fault);
    const GntSt st = query_target(d, q.dom);
    q.status = static_cast<int16_t>(st);
    if (st == GntSt::Okay) {
        LockGuard guard{d.grant_lock};
        q.nr_frames = d.grants != nullptr ? d.grants->nr_frames : 0;
        q.max_nr_frames = kGrantMaxFrames;
    }
    if (!copy_to_guest(v, p, &q, sizeof q).ok()) return err(Errno::Fault);
    return 0;
}

long setup_table(Vcpu& v, Domain& d, GuestVirtAddr p)
{
    xen::GnttabSetupTable s;
    if (!copy_from_guest(v, &s, p, sizeof s).ok()) return err(Errno::Fault);
    GntSt st = query_target(d, s.dom);
    if (st == GntSt::Okay && s.nr_frames > kGrantMaxFrames) st = GntSt::GeneralError;
    if (st == GntSt::Okay) {
        // Auto-translated: the list gives where each frame is mapped (or ~0).
        uint64_t gfns[kGrantMaxFrames];
        {
            LockGuard guard{d.grant_lock};
            if (d.grants == nullptr || !grow(*d.grants, s.nr_frames).ok()) {
                st = GntSt::GeneralError;
            } else {
                for (uint32_t i = 0; i < s.nr_frames; ++i) gfns[i] = d.grants->frame_gfn[i];
            }
        }
        if (st == GntSt::Okay &&
            !copy_to_guest(v, GuestVirtAddr{s.frame_list}, gfns, s.nr_frames * sizeof(uint64_t)).ok())
            return err(Errno::Fault);
    }
    s.status = static_cast<int16_t>(st);
    if (!copy_to_guest(v, p, &s, sizeof s).ok()) return err(Errno::Fault);
    return 0;
}

long set_version(Vcpu& v, GuestVirtAddr p)
{
    xen::GnttabSetVersion s;
    if (!copy_from_guest(v, &s, p, sizeof s).ok()) return err(Errno::Fault);
    long rc = 0;
    if (s.version == 2) {
        rc = err(Errno::NoSys);  // GNTTAB_MAX_VERSION is 1 on ARM
    } else if (s.version != 1) {
        rc = err(Errno::Inval);
    }
    s.version = 1;
    if (!copy_to_guest(v, p, &s, sizeof s).ok()) return err(Errno::Fault);
    return rc;
}

long get_version(Vcpu& v, Domain& d, GuestVirtAddr p)
{
    xen::GnttabGetVersion g;
    if (!copy_from_guest(v, &g, p, sizeof g).ok()) return err(Errno::Fault);
    const GntSt st = query_target(d, g.dom);
    if (st == GntSt::BadDomain) return err(Errno::Srch);
    if (st != GntSt::Okay) return err(Errno::Perm);
    g.version = 1;
    if (!copy_to_guest(v, p, &g, sizeof g).ok()) return err(Errno::Fault);
    return 0;
}

long get_status_frames(Vcpu& v, Domain& d, GuestVirtAddr p)
{
    xen::GnttabGetStatusFrames g;
    if (!copy_from_guest(v, &g, p, sizeof g).ok()) return err(Errno::Fault);
    GntSt st = query_target(d, g.dom);
    if (st == GntSt::Okay) st = GntSt::GeneralError;  // v1 has no status frames
    g.status = static_cast<int16_t>(st);
    if (!copy_to_guest(v, p, &g, sizeof g).ok()) return err(Errno::Fault);
    return 0;
}

// GNTTABOP_swap_grant_ref (v1): exchanges two entries of d's table unless
// either is in use (Xen: GNTST_eagain while pinned).
GntSt swap_refs(Domain& d, uint32_t ref_a, uint32_t ref_b)
{
    LockGuard guard{d.grant_lock};
    DomainGrants* g = d.grants;
    if (g == nullptr || ref_a >= nr_entries(*g) || ref_b >= nr_entries(*g)) return GntSt::BadGntref;
    if (ref_a == ref_b) return GntSt::Okay;
    if (active(*g, ref_a).pinned() || active(*g, ref_b).pinned()) return GntSt::Eagain;
    xen::GrantEntryV1& ea = entry(*g, ref_a);
    xen::GrantEntryV1& eb = entry(*g, ref_b);
    // The guest owns these words and may race with the swap; as in Xen, the
    // result is then whatever the interleaving gives, never a keel fault.
    const xen::GrantEntryV1 ta = ea;
    const xen::GrantEntryV1 tb = eb;
    ea = tb;
    eb = ta;
    return GntSt::Okay;
}

// Whether d holds a grant mapping of frame `mfn` (grant lock held): then the
// frame cannot go while the lock is held (the mapping's reference).
bool maps_frame(DomainGrants& g, Mfn mfn)
{
    Maptrack& m = g.maptrack;
    for (uint32_t h = 0; h < m.limit(); ++h) {
        const MaptrackEntry* e = maptrack_entry(m, h);
        if (e->flags != 0 && (e->flags & kMaptrackReserved) == 0 && e->mfn == mfn.raw()) return true;
    }
    return false;
}

void flush_frame(Mfn mfn, const xen::GnttabCacheFlush& c)
{
    const VirtAddr va = map_transient(mfn.addr(), kGrantCopySrcSlot);
    arm64::dcache_clean_inval_range(reinterpret_cast<const uint8_t*>(va.raw()) + c.offset, c.length);
    unmap_transient(kGrantCopySrcSlot);
}

// One cache-maintenance request on a page of the caller's own RAM or a page
// it has grant-mapped (Xen: owned by the caller, or grant_map_exists).
long cache_flush_one(Domain& d, const xen::GnttabCacheFlush& c)
{
    // Xen 4.17 cache_flush(): range and op bits first (GNTTAB_CACHE_SOURCE_GREF
    // is outside the accepted bits, so the by-reference form is -EINVAL), then
    // an empty request is done.
    if (c.offset >= kPageSize || c.length > kPageSize || c.offset + uint32_t{c.length} > kPageSize ||
        (c.op & ~(xen::kGnttabCacheClean | xen::kGnttabCacheInval)) != 0)
        return err(Errno::Inval);
    if (c.op == 0 || c.length == 0) return 0;
    // dev_bus_addr names a machine frame: not RAM is -EINVAL (mfn_valid), a
    // frame of no domain (keel's, free) -EPERM, another domain's frame the
    // caller has not grant-mapped -EINVAL (grant_map_exists).
    const Mfn mfn = Mfn::of(PhysAddr{c.a.dev_bus_addr});
    FrameInfo* f = memory().frames().find(mfn);
    if (f == nullptr) return err(Errno::Inval);
    if (f->state() != FrameState::Allocated || f->owner == kNoOwner) return err(Errno::Perm);
    if (f->owner == d.id) {
        flush_frame(mfn, c);
        return 0;
    }
    // Clean+invalidate for both ops: never an invalidate alone, which could
    // discard data the granter wrote.
    LockGuard guard{d.grant_lock};
    if (d.grants == nullptr || !maps_frame(*d.grants, mfn)) return err(Errno::Inval);
    flush_frame(mfn, c);
    return 0;
}

}  // namespace

Result<void> grant_domain_init(Domain& d)
{
    void* p = alloc_object_frames(sizeof(DomainGrants));
    if (p == nullptr) return Errno::NoMem;
    auto* g = new (p) DomainGrants{};
    LockGuard guard{d.grant_lock};
    d.grants = g;
    return {};
}

void grant_domain_destroy(Domain& d)
{
    // First every mapping d holds of others' pages (their frame references
    // and pins), then d's own table.
    for (;;) {
        uint32_t handle = kNoHandle;
        {
            LockGuard guard{d.grant_lock};
            if (d.grants == nullptr) return;
            Maptrack& m = d.grants->maptrack;
            for (uint32_t h = 0; h < m.limit() && handle == kNoHandle; ++h) {
                const MaptrackEntry* e = maptrack_entry(m, h);
                if (e->flags != 0 && (e->flags & kMaptrackReserved) == 0) handle = h;
            }
        }
        if (handle == kNoHandle) break;
        if (unmap_handle(d, handle, kNoGfn) != GntSt::Okay) {
            // The p2m entry went some other way: drop the bookkeeping only.
            LockGuard guard{d.grant_lock};
            maptrack_put(d.grants->maptrack, handle);
        }
    }
    DomainGrants* g;
    {
        LockGuard guard{d.grant_lock};
        g = d.grants;
        d.grants = nullptr;
    }
    if (g == nullptr) return;
    // Pins others hold on d's entries die with the table; their frame
    // references keep the pages until they unmap. A shared frame another
    // domain maps (acquire_resource) goes at its last frame_put.
    for (uint32_t i = 0; i < g->nr_frames; ++i) {
        if (keel_page_owner_drop(heap_mfn(g->shared[i]))) free_page(nullptr, g->shared[i]);
        for (uint32_t k = 0; k < kActivePerFrame; ++k) free_page(nullptr, g->active[i * kActivePerFrame + k]);
    }
    maptrack_release(g->maptrack, free_page, nullptr);
    free_object_frames(g, sizeof(DomainGrants));
}

long grant_map_frame_at(Domain& d, uint64_t idx, uint64_t gfn)
{
    if ((idx & xen::kMapIdxGrantTableStatus) != 0) return err(Errno::Inval);  // v1: no status frames
    if (idx >= kGrantMaxFrames) return err(Errno::Inval);
    LockGuard guard{d.grant_lock};
    DomainGrants* g = d.grants;
    if (g == nullptr) return err(Errno::Inval);
    auto grown = grow(*g, static_cast<uint32_t>(idx) + 1);
    if (!grown.ok()) return err(grown.error());
    // Xen 4.17: a frame mapped already (anywhere) must be removed first.
    if (g->frame_gfn[idx] != kNoGfn) return err(Errno::Busy);
    auto r = p2m_map_frame_over_ram(d, gfn, heap_mfn(g->shared[idx]), P2mType::GrantTable);
    if (!r.ok()) return err(r.error());
    g->frame_gfn[idx] = gfn;
    return 0;
}

Result<Mfn> grant_frame_acquire(Domain& d, uint32_t idx)
{
    if (idx >= kGrantMaxFrames) return Errno::Inval;
    LockGuard guard{d.grant_lock};  // the table cannot go meanwhile
    DomainGrants* g = d.grants;
    if (g == nullptr) return Errno::Inval;
    KEEL_TRY(grow(*g, idx + 1));
    const Mfn mfn = heap_mfn(g->shared[idx]);
    KEEL_TRY(frame_get(mfn));
    return mfn;
}

bool grant_unmap_frame_at(Domain& d, uint64_t gfn)
{
    LockGuard guard{d.grant_lock};
    DomainGrants* g = d.grants;
    if (g == nullptr) return false;
    for (uint32_t i = 0; i < g->nr_frames; ++i) {
        if (g->frame_gfn[i] != gfn) continue;
        if (!p2m_unmap_frame(d, gfn, P2mType::GrantTable).ok()) return false;
        g->frame_gfn[i] = kNoGfn;
        return true;
    }
    return false;
}

long do_grant_table_op(Vcpu& v, HypercallArgs& a)
{
    Domain& d = *v.domain;
    const uint64_t cmd = a.arg[0] & kGnttabCmdMask;
    const uint64_t opaque = a.arg[0] >> 12;
    const GuestVirtAddr ptr{a.arg[1]};
    const uint64_t count = a.arg[2];
    if (cmd != static_cast<uint64_t>(xen::GnttabOp::CacheFlush) && opaque != 0) return err(Errno::Inval);
    if (static_cast<int32_t>(count) < 0 || count > 0xffffffffu) return err(Errno::Inval);

    switch (static_cast<xen::GnttabOp>(cmd)) {
    case xen::GnttabOp::MapGrantRef:
        return per_element<xen::GnttabMapGrantRef>(v, a, count,
                                                   [&](xen::GnttabMapGrantRef& op) { map_one(d, op); });
    case xen::GnttabOp::UnmapGrantRef:
        return per_element<xen::GnttabUnmapGrantRef>(v, a, count, [&](xen::GnttabUnmapGrantRef& op) {
            op.status = static_cast<int16_t>(unmap_handle(d, op.handle, op.host_addr >> kPageShift));
        });
    case xen::GnttabOp::UnmapAndReplace:
        return per_element<xen::GnttabUnmapAndReplace>(
            v, a, count, [&](xen::GnttabUnmapAndReplace& op) {
                // Xen ARM cannot move a grant mapping to new_addr.
                op.status = static_cast<int16_t>(
                    op.new_addr != 0 ? GntSt::GeneralError
                                     : unmap_handle(d, op.handle, op.host_addr >> kPageShift));
            });
    case xen::GnttabOp::Copy:
        return per_element<xen::GnttabCopy>(
            v, a, count, [&](xen::GnttabCopy& op) { op.status = static_cast<int16_t>(copy_one(d, op)); });
    case xen::GnttabOp::SetupTable:
        if (count != 1) return err(Errno::Inval);
        return setup_table(v, d, ptr);
    case xen::GnttabOp::DumpTable:
        return err(Errno::NoSys);  // Xen 4.17's answer to a domU (a debugging op)
    case xen::GnttabOp::QuerySize:
        if (count != 1) return err(Errno::Inval);
        return query_size(v, d, ptr);
    case xen::GnttabOp::SetVersion:
        if (count != 1) return err(Errno::Inval);
        return set_version(v, ptr);
    case xen::GnttabOp::GetStatusFrames:
        if (count != 1) return err(Errno::Inval);
        return get_status_frames(v, d, ptr);
    case xen::GnttabOp::GetVersion:
        if (count != 1) return err(Errno::Inval);
        return get_version(v, d, ptr);
    case xen::GnttabOp::CacheFlush: {
        for (uint64_t i = opaque; i < count; ++i) {
            if (i != opaque && hypercall_preempt_check()) {
                a.arg[0] = cmd | (i << 12);
                return hypercall_continue(v, a);
            }
            xen::GnttabCacheFlush c;
            if (!copy_from_guest(v, &c, ptr + i * sizeof c, sizeof c).ok()) return err(Errno::Fault);
            const long rc = cache_flush_one(d, c);
            if (rc != 0) return rc;
        }
        return 0;
    }
    case xen::GnttabOp::Transfer:  // page transfer: not for auto-translated guests (Xen ARM)
        return err(Errno::OpNotSupp);
    case xen::GnttabOp::SwapGrantRef:
        return per_element<xen::GnttabSwapGrantRef>(v, a, count, [&](xen::GnttabSwapGrantRef& op) {
            op.status = static_cast<int16_t>(swap_refs(d, op.ref_a, op.ref_b));
        });
    }
    return err(Errno::NoSys);
}

}  // namespace keel
