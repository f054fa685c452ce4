// SPDX-License-Identifier: MIT
//
// guests/hostile/grant.cpp
// Owns hostile=grant: a grant churn. Maps, unmaps and copies of refs this
// domain does not own (other and absent domain ids, DOMID_SELF/XEN/specials,
// refs in and out of range, bad host addresses and flags); refs of its own
// table mapped by itself and then revoked under the mapping (flags cleared
// while GTF_reading/writing are set, as a malicious granter would), copied
// through while revoked, the granted page given back with decrease_reservation
// while still mapped, then unmapped; the query ops with bad arguments. Some
// mappings are left in place at the end: keel must undo them at teardown.
#include "hostile.hpp"
#include "xen.hpp"

namespace hostile {
namespace {

namespace xa = guest::xa;
namespace gx = guest::xen;

constexpr uint32_t kMaxMaps = 64;
struct Mapping {
    uint64_t host_addr;
    uint32_t handle;
    bool live;
};
constinit Mapping g_maps[kMaxMaps] = {};

struct Tally {
    uint64_t ops = 0, rc_ok = 0, rc_err = 0, st_ok = 0, st_err = 0, own_cycles = 0, left_mapped = 0, foreign_maps = 0;
};
constinit Tally g_t;

void count(long rc, int16_t status)
{
    ++g_t.ops;
    if (rc == 0) ++g_t.rc_ok;
    else ++g_t.rc_err;
    if (status == 0) ++g_t.st_ok;
    else ++g_t.st_err;
}

/// Upper-RAM pages [upper + 1 MiB, ...): page i of the area used as mapping targets (holes).
uint64_t target(uint32_t i) { return ctx().upper + 0x100000 + uint64_t{i} * 4096; }
/// Pages granted to ourselves: after the targets.
uint64_t granted(uint32_t i) { return ctx().upper + 0x200000 + uint64_t{i} * 4096; }

long map(uint16_t dom, uint32_t ref, uint32_t flags, uint64_t host, int16_t& status, uint32_t& handle)
{
    xa::GnttabMapGrantRef m{};
    m.host_addr = host;
    m.flags = flags;
    m.ref = ref;
    m.dom = dom;
    const long rc = gx::grant_table_op(xa::kGnttabMapGrantRef, &m, 1);
    status = m.status;
    handle = m.handle;
    return rc;
}

long unmap(uint64_t host, uint32_t handle, int16_t& status)
{
    xa::GnttabUnmapGrantRef u{};
    u.host_addr = host;
    u.handle = handle;
    const long rc = gx::grant_table_op(xa::kGnttabUnmapGrantRef, &u, 1);
    status = u.status;
    return rc;
}

long copy(const xa::GnttabCopyPtr& src, const xa::GnttabCopyPtr& dst, uint16_t len, uint16_t flags, int16_t& status)
{
    xa::GnttabCopy c{};
    c.source = src;
    c.dest = dst;
    c.len = len;
    c.flags = flags;
    const long rc = gx::grant_table_op(xa::kGnttabCopy, &c, 1);
    status = c.status;
    return rc;
}

uint32_t any_ref(guest::Prng& r)
{
    switch (r.below(3)) {
    case 0: return static_cast<uint32_t>(r.below(64));
    case 1: return r.pick({0u, 7u, 8u, 511u, 512u, 1023u, 1024u, 4095u, 32767u, 32768u, 0xffffffffu});
    default: return static_cast<uint32_t>(r.next());
    }
}

xa::GnttabCopyPtr copy_ptr(guest::Prng& r, bool& as_ref)
{
    xa::GnttabCopyPtr p{};
    as_ref = r.one_in(2);
    p.domid = as_ref ? any_domid() : r.pick({xa::kDomidSelf, ctx().self, any_domid()});
    p.u = as_ref ? any_ref(r) : any_gfn();
    p.offset = static_cast<uint16_t>(r.one_in(4) ? r.next() : r.below(4096));
    return p;
}

void foreign_op(guest::Prng& r)
{
    int16_t st = 0;
    uint32_t handle = 0;
    switch (r.below(4)) {
    case 0:
    case 1: {  // map a ref we were never granted
        const uint32_t slot = static_cast<uint32_t>(r.below(kMaxMaps));
        const uint64_t host = r.one_in(4) ? bad_ptr(0, 0) & ~0xffful : target(slot);
        const uint32_t flags = static_cast<uint32_t>(
            r.one_in(6) ? any_value() : (xa::kGntmapHostMap | (r.one_in(2) ? xa::kGntmapReadonly : 0)));
        const uint16_t dom = any_domid();
        const long rc = map(dom, any_ref(r), flags, host, st, handle);
        count(rc, st);
        if (rc == 0 && st == 0) {
            // Only our own refs (to ourselves) can work: nobody granted us anything.
            if (dom != ctx().self && dom != xa::kDomidSelf) ++g_t.foreign_maps;
            // It should not have worked; keep it to unmap (the report counts st_ok).
            for (Mapping& m : g_maps)
                if (!m.live) {
                    m = Mapping{host, handle, true};
                    break;
                }
        }
        break;
    }
    case 2: {  // unmap with made-up handles and addresses
        const long rc = unmap(r.one_in(2) ? target(static_cast<uint32_t>(r.below(kMaxMaps))) : bad_ptr(0, 0),
                              static_cast<uint32_t>(r.one_in(2) ? r.below(256) : r.next()), st);
        count(rc, st);
        break;
    }
    default: {
        bool sref = false, dref = false;
        const xa::GnttabCopyPtr s = copy_ptr(r, sref), d = copy_ptr(r, dref);
        const uint16_t flags =
            static_cast<uint16_t>((sref ? xa::kGntcopySourceGref : 0) | (dref ? xa::kGntcopyDestGref : 0));
        const long rc = copy(s, d, static_cast<uint16_t>(r.one_in(4) ? r.next() : r.below(4097)),
                             r.one_in(8) ? static_cast<uint16_t>(r.next()) : flags, st);
        count(rc, st);
        break;
    }
    }
}

/// Grant a page to ourselves, map it, revoke the grant under the mapping, copy
/// through the revoked ref, give the page back while mapped, unmap.
void own_cycle(guest::Prng& r)
{
    Ctx& c = ctx();
    ++g_t.own_cycles;
    const uint32_t ref = xa::kGnttabNrReservedEntries + static_cast<uint32_t>(r.below(56));
    const uint32_t slot = static_cast<uint32_t>(r.below(kMaxMaps));
    const uint64_t page = granted(static_cast<uint32_t>(r.below(64)));
    if (g_maps[slot].live) {
        int16_t st = 0;
        count(unmap(g_maps[slot].host_addr, g_maps[slot].handle, st), st);
        g_maps[slot].live = false;
    }
    (void)gx::populate_one(page >> 12);  // it may have been given back by an earlier cycle
    gx::grant_access(ref, c.self, page >> 12, r.one_in(3));
    int16_t st = 0;
    uint32_t handle = 0;
    const uint32_t flags = xa::kGntmapHostMap | (r.one_in(3) ? xa::kGntmapReadonly : 0);
    long rc = map(r.one_in(2) ? c.self : xa::kDomidSelf, ref, flags, target(slot), st, handle);
    count(rc, st);
    if (rc != 0 || st != 0) return;
    g_maps[slot] = Mapping{target(slot), handle, true};
    // Revoke under the mapping: a granter that ignores GTF_reading/GTF_writing.
    gx::grant_entry(ref)->flags = 0;
    guest::dsb();
    bool sref = true;
    xa::GnttabCopyPtr src{ref, c.self, 0, 0}, dst{};
    dst.u = granted(64) >> 12;
    dst.domid = xa::kDomidSelf;
    (void)sref;
    count(copy(src, dst, 64, xa::kGntcopySourceGref, st), st);
    if (r.one_in(2)) (void)gx::decrease_one(page >> 12);  // the granted frame given back while mapped
    if (r.one_in(4)) return;                              // left mapped (some until the end)
    count(unmap(target(slot), handle, st), st);
    g_maps[slot].live = false;
}

void query_op(guest::Prng& r)
{
    uint8_t buf[64] = {};
    fill_hostile(buf, sizeof(buf));
    const uint64_t cmd = r.pick({xa::kGnttabSetupTable, xa::kGnttabQuerySize, xa::kGnttabSetVersion,
                                 xa::kGnttabGetStatusFrames, xa::kGnttabGetVersion, xa::kGnttabSwapGrantRef,
                                 xa::kGnttabCacheFlush, xa::kGnttabUnmapAndReplace, xa::kGnttabTransfer,
                                 uint64_t{14}, uint64_t{100}});
    count(gx::grant_table_op(cmd, buf, 1), 0);
}

}  // namespace

uint64_t run_grant(uint64_t n)
{
    Ctx& c = ctx();
    guest::Prng& r = c.rng;
    // Our own table at the grant window; the mapping targets become holes.
    const long grc = gx::map_grant_frames(keel::xen::kGuestGnttabBase >> 12, 1);
    gx::grant_table_at(keel::xen::kGuestGnttabBase);
    for (uint32_t i = 0; i < kMaxMaps; ++i) (void)gx::decrease_one(target(i) >> 12);
    guest::print("HOSTILE-NOTE grant: own table mapped -> %ld\n", grc);
    for (uint64_t i = 0; i < n; ++i) {
        switch (r.below(8)) {
        case 0:
        case 1: own_cycle(r); break;
        case 2: query_op(r); break;
        default: foreign_op(r); break;
        }
        if ((i + 1) % 5000 == 0) guest::print("HOSTILE-PROGRESS grant %lu\n", static_cast<unsigned long>(i + 1));
    }
    for (const Mapping& m : g_maps) g_t.left_mapped += m.live;
    guest::print("HOSTILE-RESULT grant ops=%lu rc_ok=%lu rc_err=%lu status_ok=%lu status_err=%lu own_cycles=%lu "
                  "left_mapped=%lu foreign_maps_that_worked=%lu\n",
                  static_cast<unsigned long>(g_t.ops), static_cast<unsigned long>(g_t.rc_ok),
                  static_cast<unsigned long>(g_t.rc_err), static_cast<unsigned long>(g_t.st_ok),
                  static_cast<unsigned long>(g_t.st_err), static_cast<unsigned long>(g_t.own_cycles),
                  static_cast<unsigned long>(g_t.left_mapped), static_cast<unsigned long>(g_t.foreign_maps));
    return g_t.ops;
}

}  // namespace hostile
