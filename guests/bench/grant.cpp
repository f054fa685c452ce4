// SPDX-License-Identifier: MIT
//
// guests/bench/grant.cpp
// Owns bench=grant role=a|b peer=<domid> pages=<n> iters=<i> [batch=<b>]
// [port=<a's port>] [timeout=<s>]: grant-copy throughput and map+unmap rate
// between two domUs.
//   a: maps grant frame 0 at GUEST_GNTTAB_BASE, fills n of its pages (page k:
//      byte j = k * 7 + j * 13) and grants them read-write to b with refs
//      8..8+n-1 (deterministic: b needs no out-of-band channel), then offers an
//      event channel (as bench=evtchn: alloc_unbound, port 1) and waits in WFI
//      for b's "done" event; then powers off. b's successful bind implies the
//      grants are in place.
//   b: binds to a's port, then
//      - copy: i passes, each copying all n granted pages (4 KiB per
//        GNTTABOP_copy op, b ops per hypercall, default 16) into its own pages;
//        the first pass is checked against a's pattern;
//      - map+unmap: one page of b made empty with XENMEM_decrease_reservation;
//        i x n times GNTTABOP_map_grant_ref (host_map, read-write) of the next
//        ref there, then GNTTABOP_unmap_grant_ref; the first map is checked;
//      then refills the page, sends "done" and prints
//   BENCH grant copy_pass n=<i> ...                ticks per pass (n pages)
//   BENCH grant copy value=<x.xxx> unit=MiB/s      i*n*4 KiB / sum of passes
//   BENCH grant copy_bytes value=<bytes> unit=bytes
//   BENCH grant copy_ticks value=<ticks> unit=ticks
//   BENCH grant map_unmap n=<i*n> ...              ticks per map+unmap pair
//   BENCH grant map_unmap_rate value=<x.xxx> unit=ops/s   pairs per second
#include "bench.hpp"
#include "benches.hpp"
#include "guest.hpp"

namespace guest::bench {
namespace {

constexpr const char* kName = "grant";
constexpr uint32_t kFirstRef = 8;  // refs 0-7 are reserved (Xen's GNTTAB_NR_RESERVED_ENTRIES)
constexpr uint32_t kMaxPages = 256;
constexpr uint32_t kMaxBatch = 64;

alignas(4096) constinit uint8_t g_pages[kMaxPages][4096] = {};
alignas(4096) constinit uint8_t g_hole[4096] = {};
constinit xa::GnttabCopy g_ops[kMaxPages] = {};

constinit uint32_t g_port = 0;
constinit volatile bool g_armed = false;
constinit volatile uint32_t g_events = 0;

void on_event(uint32_t port)
{
    if (g_armed && (port == g_port || g_port == 0)) g_events = g_events + 1;
}

void send_done() { (void)xen::evtchn_send(g_port); }

uint8_t pattern(uint32_t page, uint32_t i) { return static_cast<uint8_t>(page * 7 + i * 13); }

bool check_page(const volatile uint8_t* p, uint32_t page)
{
    for (uint32_t i = 0; i < 4096; i += 61)
        if (p[i] != pattern(page, i)) return false;
    return p[4095] == pattern(page, 4095);
}

[[noreturn]] void role_a(xa::domid_t peer, uint32_t pages, uint64_t timeout_s)
{
    const long rc = xen::map_grant_frames(keel::xen::kGuestGnttabBase >> 12, 1);
    if (rc != 0) fail(kName, "grant frame 0 not mapped (-> %ld)", rc);
    for (uint32_t k = 0; k < pages; ++k) {
        for (uint32_t i = 0; i < 4096; ++i) g_pages[k][i] = pattern(k, i);
        xen::grant_access(kFirstRef + k, peer, xen::gfn_of(g_pages[k]), false);
    }
    g_armed = true;  // b may be done (and say so) as soon as the port exists
    const long off = channel_offer(peer, &g_port);
    if (off != 0) fail(kName, "EVTCHNOP_alloc_unbound(remote=d%u) -> %ld", peer, off);
    note("role a: refs %u-%u granted to d%u, port %u offered", kFirstRef, kFirstRef + pages - 1, peer, g_port);
    watchdog_start(timeout_s * 1000000);
    if (!wait_irq([] { return g_events >= 1; })) fail(kName, "no done event from d%u", peer);
    watchdog_stop();
    scalar(kName, "granted", pages, "pages");
    finish(kName, "a");
}

void copy_bench(xa::domid_t peer, uint32_t pages, uint64_t iters, uint32_t batch)
{
    for (uint32_t k = 0; k < pages; ++k) {
        xa::GnttabCopy& c = g_ops[k];
        c = {};
        c.source.u = kFirstRef + k;
        c.source.domid = peer;
        c.dest.u = xen::gfn_of(g_pages[k]);
        c.dest.domid = xa::kDomidSelf;
        c.len = 4096;
        c.flags = xa::kGntcopySourceGref;
    }
    uint64_t* samples = pool();
    uint64_t total = 0;
    for (uint64_t pass = 0; pass < iters; ++pass) {
        const uint64_t t0 = timer::now();
        for (uint32_t k = 0; k < pages; k += batch) {
            const uint32_t cnt = pages - k < batch ? pages - k : batch;
            const long rc = xen::grant_table_op(xa::kGnttabCopy, &g_ops[k], cnt);
            if (rc != 0) fail(kName, "GNTTABOP_copy -> %ld", rc);
        }
        const uint64_t t = timer::now() - t0;
        samples[pass] = t;
        total += t;
        if (pass == 0) {
            for (uint32_t k = 0; k < pages; ++k)
                if (g_ops[k].status != xa::kGntstOkay || !check_page(g_pages[k], k))
                    fail(kName, "copy of ref %u: status %d, data %s", kFirstRef + k, g_ops[k].status,
                         check_page(g_pages[k], k) ? "right" : "wrong");
        }
    }
    const uint64_t bytes = iters * pages * 4096;
    distribution(kName, "copy_pass", samples, static_cast<uint32_t>(iters));
    scalar_milli(kName, "copy", ratio_milli(mul_div(bytes, timer::freq(), total), 1u << 20), "MiB/s");
    scalar(kName, "copy_bytes", bytes, "bytes");
    scalar(kName, "copy_ticks", total, "ticks");
}

void map_bench(xa::domid_t peer, uint32_t pages, uint64_t iters)
{
    const long dec = xen::decrease_one(xen::gfn_of(g_hole));
    if (dec != 1) fail(kName, "XENMEM_decrease_reservation -> %ld", dec);
    const uint64_t pairs = iters * pages;
    uint64_t* samples = pool();
    uint64_t total = 0;
    for (uint64_t i = 0; i < pairs; ++i) {
        const auto page = static_cast<uint32_t>(i % pages);
        xa::GnttabMapGrantRef m{};
        m.host_addr = xen::ptr(g_hole);
        m.flags = xa::kGntmapHostMap;
        m.ref = kFirstRef + page;
        m.dom = peer;
        xa::GnttabUnmapGrantRef u{};
        u.host_addr = xen::ptr(g_hole);
        const uint64_t t0 = timer::now();
        const long rc = xen::grant_table_op(xa::kGnttabMapGrantRef, &m, 1);
        u.handle = m.handle;
        const long urc = xen::grant_table_op(xa::kGnttabUnmapGrantRef, &u, 1);
        const uint64_t t = timer::now() - t0;
        if (rc != 0 || m.status != xa::kGntstOkay)
            fail(kName, "GNTTABOP_map_grant_ref(ref %u) -> %ld, status %d", m.ref, rc, m.status);
        if (urc != 0 || u.status != xa::kGntstOkay)
            fail(kName, "GNTTABOP_unmap_grant_ref -> %ld, status %d", urc, u.status);
        if (i < kPoolSlots) samples[i] = t;
        total += t;
        if (i == 0) {  // once, outside the timed part: the mapping shows a's page
            m = {};
            m.host_addr = xen::ptr(g_hole);
            m.flags = xa::kGntmapHostMap;
            m.ref = kFirstRef;
            m.dom = peer;
            if (xen::grant_table_op(xa::kGnttabMapGrantRef, &m, 1) != 0 || m.status != 0 ||
                !check_page(g_hole, 0))
                fail(kName, "the mapping of ref %u does not show d%u's page", kFirstRef, peer);
            u = {};
            u.host_addr = xen::ptr(g_hole);
            u.handle = m.handle;
            (void)xen::grant_table_op(xa::kGnttabUnmapGrantRef, &u, 1);
        }
    }
    const long pop = xen::populate_one(xen::gfn_of(g_hole));
    if (pop != 1) note("XENMEM_populate_physmap -> %ld", pop);
    distribution(kName, "map_unmap", samples, static_cast<uint32_t>(pairs < kPoolSlots ? pairs : kPoolSlots));
    scalar_milli(kName, "map_unmap_rate", mul_div(pairs * 1000, timer::freq(), total), "ops/s");
}

}  // namespace

void run_grant(const char* args)
{
    const bool a = arg_is(args, "role", "a");
    const bool b = arg_is(args, "role", "b");
    const auto peer = static_cast<xa::domid_t>(bootarg_u64(args, "peer", 0));
    const auto pages = static_cast<uint32_t>(bootarg_u64(args, "pages", 64));
    const uint64_t iters = bootarg_u64(args, "iters", 100);
    const auto batch = static_cast<uint32_t>(bootarg_u64(args, "batch", 16));
    const uint64_t timeout_s = bootarg_u64(args, "timeout", 300);
    if (a == b || peer == 0) fail(kName, "bootargs want role=a|b peer=<domid>");
    if (pages == 0 || pages > kMaxPages || iters == 0 || iters > kPoolSlots || batch == 0 || batch > kMaxBatch)
        fail(kName, "want 1 <= pages <= %u, 1 <= iters <= %u, 1 <= batch <= %u", kMaxPages, kPoolSlots, kMaxBatch);
    if (!init_interrupts()) fail(kName, "no GIC");
    if (!xen_init(on_event)) fail(kName, "no shared_info");
    if (a) role_a(peer, pages, timeout_s);

    const uint32_t remote = static_cast<uint32_t>(bootarg_u64(args, "port", 1));
    const long rc = channel_join(peer, remote, &g_port, timeout_s * 1000000);
    if (rc != 0) fail(kName, "EVTCHNOP_bind_interdomain(d%u port %u) -> %ld", peer, remote, rc);
    at_fail(send_done);  // a must not wait for its timeout
    note("role b: port %u bound to d%u port %u; %u pages x %lu", g_port, peer, remote, pages,
         static_cast<unsigned long>(iters));
    copy_bench(peer, pages, iters, batch);
    map_bench(peer, pages, iters);
    if (const long s = xen::evtchn_send(g_port); s != 0) note("done: EVTCHNOP_send -> %ld", s);
    finish(kName, "b");
}

}  // namespace guest::bench
