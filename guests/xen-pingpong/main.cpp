// SPDX-License-Identifier: MIT
//
// guests/xen-pingpong/main.cpp
// Test guest for two dom0less domUs talking over Xen's guest ABI
// (../shared/docs/xen-arm-guest-abi.md), one binary, the role from /chosen
// bootargs: "role=ping|pong peer=<peer domid> port=<local static port>
// shm=<guest-physical base of the static shared memory>" (domUs are numbered 1,
// 2 in device-tree order). The static event channel (xen,evtchn) and the static
// shared memory (xen,shared-mem) come from the device tree (booting.txt).
//   (a) ping-pong N times over the static event channel: first with the upcall
//       interrupt (PPI 31, 2-level scan), then with IRQs masked: ping spins on
//       the 2-level pending bit, pong blocks in SCHEDOP_poll;
//   (b) a grant: pong grants a page to ping and tells the ref through the shared
//       memory; ping maps it (GNTTABOP_map_grant_ref) at a hole it made with
//       XENMEM_decrease_reservation, reads and writes it, maps it read-only (a
//       write faults), unmaps it (the hole faults again), and copies both ways
//       with GNTTABOP_copy; pong checks what arrived and revokes the grant;
//   (c) 4 KiB of data through the shared memory, answered with its checksum and
//       its complement.
// TAP lines per step; both end with SYSTEM_OFF.
#include "guest.hpp"
#include "xen.hpp"

using namespace guest;
using namespace guest::xen;
namespace x = guest::xa;

namespace {

constexpr uint32_t kRounds = 100;
constexpr uint64_t kWaitUs = 10000000;  // 10 s of guest time for any one step
constexpr uint32_t kGrantRef = 10;      // past the 8 reserved refs

// The shared-memory protocol (both guests map the same frames at `shm=`).
struct Shm {
    volatile uint32_t ready[2];  // [0] ping, [1] pong
    volatile uint32_t seq;       // ping -> pong
    volatile uint32_t ack;       // pong -> ping
    volatile uint32_t gref;      // pong's grant ref for ping
    volatile uint32_t gstate;    // 1: granted, 2: ping done with it
    volatile uint32_t data_len;  // ping -> pong
    volatile uint32_t data_sum;  // pong -> ping
    volatile uint32_t done[2];
    volatile uint32_t phase[2];  // barrier between the steps
};

alignas(4096) constinit uint8_t g_shinfo[4096] = {};
alignas(4096) constinit uint8_t g_vcpu_info[4096] = {};
alignas(4096) constinit uint8_t g_page[4096] = {};  // pong: granted; ping: copy buffer
alignas(4096) constinit uint8_t g_hole[4096] = {};  // ping: decreased, grant target

constinit Shm* g_shm = nullptr;
constinit volatile uint8_t* g_data = nullptr;  // shm + 4096
constinit uint32_t g_port = 0;
constinit volatile uint32_t g_events = 0;

void on_event(uint32_t port)
{
    if (port == g_port) g_events = g_events + 1;
}

bool has_arg(const char* args, const char* word)
{
    for (const char* p = args; *p != '\0'; ++p) {
        if (p != args && p[-1] != ' ') continue;
        const char* a = p;
        const char* w = word;
        while (*w != '\0' && *a == *w) {
            ++a;
            ++w;
        }
        if (*w == '\0' && (*a == '\0' || *a == ' ')) return true;
    }
    return false;
}

uint8_t pattern(uint8_t seed, uint32_t i) { return static_cast<uint8_t>(seed + i * 13); }

void fill(volatile uint8_t* p, uint8_t seed, uint32_t off, uint32_t len)
{
    for (uint32_t i = off; i < off + len; ++i) p[i] = pattern(seed, i);
}

bool check(const volatile uint8_t* p, uint8_t seed, uint32_t off, uint32_t len)
{
    for (uint32_t i = off; i < off + len; ++i)
        if (p[i] != pattern(seed, i)) return false;
    return true;
}

template <typename Pred>
bool wait(Pred pred)
{
    return timer::spin_until(pred, kWaitUs);
}

/// Both guests reach step `n` before either goes on (no event of the next step
/// can reach a guest still in the previous one).
constinit uint32_t g_me = 0;
bool barrier(uint32_t n)
{
    g_shm->phase[g_me] = n;
    dmb();
    return wait([n] { return g_shm->phase[1 - g_me] >= n; });
}

// ---- (a) ping-pong
void pingpong_upcall(bool ping)
{
    const uint32_t base = g_events;
    bool ok = true;
    irq_enable();
    for (uint32_t i = 1; i <= kRounds && ok; ++i) {
        if (ping) {
            g_shm->seq = i;
            dmb();
            ok = evtchn_send(g_port) == 0 && wait([&] { return g_events - base >= i && g_shm->ack == i; });
        } else {
            ok = wait([&] { return g_events - base >= i; }) && g_shm->seq == i;
            g_shm->ack = i;
            dmb();
            ok = ok && evtchn_send(g_port) == 0;
        }
    }
    irq_disable();
    tap::ok(ok && g_events - base == kRounds, "%u round trips over static port %u with the upcall (%u events)",
            kRounds, g_port, g_events - base);
}

void pingpong_poll(bool ping)
{
    bool ok = true;
    uint32_t polls = 0;
    for (uint32_t i = kRounds + 1; i <= 2 * kRounds && ok; ++i) {
        if (ping) {
            g_shm->seq = i;
            dmb();
            ok = evtchn_send(g_port) == 0 && wait_pending(g_port, kWaitUs) && g_shm->ack == i;
        } else {
            uint32_t port = g_port;
            for (uint32_t tries = 0; !evtchn_test_and_clear_pending(g_port); ++tries) {
                if (tries > 100000 || sched_poll(&port, 1, 0) != 0) {
                    ok = false;
                    break;
                }
                ++polls;
            }
            ok = ok && g_shm->seq == i;
            g_shm->ack = i;
            dmb();
            ok = ok && evtchn_send(g_port) == 0;
        }
    }
    if (ping) {
        tap::ok(ok, "%u round trips with IRQs masked, spinning on the 2-level pending bit", kRounds);
    } else {
        tap::ok(ok, "%u round trips with IRQs masked, blocking in SCHEDOP_poll (%u polls)", kRounds, polls);
    }
}

// ---- (b) grant
void grant_pong(uint16_t peer)
{
    const long rc = map_grant_frames(keel::xen::kGuestGnttabBase >> 12, 1);
    tap::ok(rc == 0, "grant table frame 0 mapped at 0x38000000 (-> %ld)", rc);
    fill(g_page, 0x5c, 0, 4096);
    grant_access(kGrantRef, peer, gfn_of(g_page), false);
    g_shm->gref = kGrantRef;
    dmb();
    g_shm->gstate = 1;
    dmb();
    (void)evtchn_send(g_port);
    const bool back = wait([] { return g_shm->gstate == 2; });
    tap::ok(back, "ping is done with the grant");
    volatile uint8_t* p = g_page;
    bool mapped_write = true;
    for (uint32_t i = 0; i < 64; ++i) mapped_write = mapped_write && p[i] == static_cast<uint8_t>(0xa5);
    tap::ok(mapped_write, "ping's writes through its mapping are in the granted page");
    tap::ok(check(p, 0x77, 2048, 512), "GNTTABOP_copy into the grant (dest gref) arrived");
    tap::ok(check(p, 0x5c, 64, 2048 - 64) && check(p, 0x5c, 2560, 4096 - 2560), "the rest of the page is untouched");
    const uint16_t flags = grant_flags(kGrantRef);
    tap::ok(grant_end(kGrantRef), "grant revoked after ping unmapped it (flags were 0x%x)", flags);
}

void grant_ping(uint16_t peer)
{
    tap::ok(wait([] { return g_shm->gstate == 1; }), "pong granted a page (ref %u)", g_shm->gref);
    const uint32_t ref = g_shm->gref;
    const long dec = decrease_one(gfn_of(g_hole));
    tap::ok(dec == 1, "XENMEM_decrease_reservation made a hole (-> %ld)", dec);

    x::GnttabMapGrantRef m{};
    m.host_addr = ptr(g_hole);
    m.flags = x::kGntmapHostMap;
    m.ref = ref;
    m.dom = peer;
    long rc = grant_table_op(x::kGnttabMapGrantRef, &m, 1);
    tap::ok(rc == 0 && m.status == 0, "GNTTABOP_map_grant_ref at the hole (-> %ld, status %d)", rc, m.status);
    volatile uint8_t* hole = g_hole;
    if (rc == 0 && m.status == 0) {
        tap::ok(check(hole, 0x5c, 0, 4096), "the mapping shows pong's page");
        for (uint32_t i = 0; i < 64; ++i) hole[i] = 0xa5;
        dsb();
    }
    x::GnttabUnmapGrantRef u{};
    u.host_addr = ptr(g_hole);
    u.handle = m.handle;
    rc = grant_table_op(x::kGnttabUnmapGrantRef, &u, 1);
    tap::ok(rc == 0 && u.status == 0, "GNTTABOP_unmap_grant_ref (-> %ld, status %d)", rc, u.status);

    // Read-only mapping: reads work, a write faults.
    m = {};
    m.host_addr = ptr(g_hole);
    m.flags = x::kGntmapHostMap | x::kGntmapReadonly;
    m.ref = ref;
    m.dom = peer;
    rc = grant_table_op(x::kGnttabMapGrantRef, &m, 1);
    tap::ok(rc == 0 && m.status == 0, "read-only map (-> %ld, status %d)", rc, m.status);
    if (rc == 0 && m.status == 0) {
        tap::ok(hole[0] == 0xa5 && hole[100] == pattern(0x5c, 100), "the read-only mapping reads");
        expect_fault();
        hole[200] = 0x11;
        const FaultRecord f = take_fault();
        // The abort injected for a stage-2 fault carries no syndrome beyond its
        // class (Xen's inject_abt64_exception leaves the ISS zero; keel reports an
        // external abort), so only the class is checked.
        tap::ok(f.taken && esr_ec(f.esr) == kEcDataAbortSameEl,
                "a write to the read-only mapping is a data abort (ESR %lx)", static_cast<unsigned long>(f.esr));
        u = {};
        u.host_addr = ptr(g_hole);
        u.handle = m.handle;
        rc = grant_table_op(x::kGnttabUnmapGrantRef, &u, 1);
        tap::ok(rc == 0 && u.status == 0, "read-only unmap (-> %ld, status %d)", rc, u.status);
    }
    expect_fault();
    volatile uint8_t v = hole[0];
    (void)v;
    const FaultRecord gone = take_fault();
    tap::ok(gone.taken, "the hole faults again after the unmap");

    // GNTTABOP_copy: from the grant into a local page, and from a local page into the grant.
    x::GnttabCopy c{};
    c.source.u = ref;
    c.source.domid = peer;
    c.dest.u = gfn_of(g_page);
    c.dest.domid = x::kDomidSelf;
    c.len = 4096;
    c.flags = x::kGntcopySourceGref;
    rc = grant_table_op(x::kGnttabCopy, &c, 1);
    const volatile uint8_t* pg = g_page;
    tap::ok(rc == 0 && c.status == 0 && pg[0] == 0xa5 && check(pg, 0x5c, 64, 4096 - 64),
            "GNTTABOP_copy from the grant (-> %ld, status %d)", rc, c.status);
    fill(g_page, 0x77, 0, 4096);
    c = {};
    c.source.u = gfn_of(g_page);
    c.source.domid = x::kDomidSelf;
    c.source.offset = 2048;
    c.dest.u = ref;
    c.dest.domid = peer;
    c.dest.offset = 2048;
    c.len = 512;
    c.flags = x::kGntcopyDestGref;
    rc = grant_table_op(x::kGnttabCopy, &c, 1);
    tap::ok(rc == 0 && c.status == 0, "GNTTABOP_copy into the grant (-> %ld, status %d)", rc, c.status);
    const long pop = populate_one(gfn_of(g_hole));
    tap::ok(pop == 1, "XENMEM_populate_physmap fills the hole again (-> %ld)", pop);
    dmb();
    g_shm->gstate = 2;
    dmb();
    (void)evtchn_send(g_port);
}

// ---- (c) data through the static shared memory
void data_ping()
{
    fill(g_data, 0x21, 0, 4096);
    uint32_t sum = 0;
    for (uint32_t i = 0; i < 4096; ++i) sum += pattern(0x21, i);
    dmb();
    g_shm->data_len = 4096;
    dmb();
    (void)evtchn_send(g_port);
    const bool answered = wait([] { return g_shm->data_sum != 0; });
    tap::ok(answered && g_shm->data_sum == sum, "pong's checksum of 4 KiB of shared memory (%x, want %x)", g_shm->data_sum,
            sum);
    bool complement = true;
    for (uint32_t i = 0; i < 4096; ++i)
        complement = complement && g_data[i] == static_cast<uint8_t>(~pattern(0x21, i));
    tap::ok(complement, "pong's complement of the data is in the shared memory");
}

void data_pong()
{
    const bool arrived = wait([] { return g_shm->data_len == 4096; });
    dmb();
    uint32_t sum = 0;
    for (uint32_t i = 0; i < 4096; ++i) sum += g_data[i];
    tap::ok(arrived && check(g_data, 0x21, 0, 4096), "ping's 4 KiB arrived through the shared memory");
    for (uint32_t i = 0; i < 4096; ++i) g_data[i] = static_cast<uint8_t>(~g_data[i]);
    dmb();
    g_shm->data_sum = sum;
    dmb();
    (void)evtchn_send(g_port);
}

}  // namespace

void test_main(uint64_t)
{
    const char* args = dt().bootargs;
    const bool ping = has_arg(args, "role=ping");
    const bool pong = has_arg(args, "role=pong");
    const auto peer = static_cast<uint16_t>(bootarg_u64(args, "peer", 0));
    g_port = static_cast<uint32_t>(bootarg_u64(args, "port", 0));
    const uint64_t shm = bootarg_u64(args, "shm", 0);
    if ((ping == pong) || peer == 0 || g_port == 0 || shm == 0)
        tap::bail("bootargs want role=ping|pong peer=N port=N shm=ADDR (have \"%s\")", args);
    const uint32_t me = ping ? 0 : 1;
    tap::note("%s: peer d%u, static port %u, shared memory at 0x%lx", ping ? "ping" : "pong", peer, g_port,
              static_cast<unsigned long>(shm));
    g_shm = static_cast<Shm*>(reinterpret_cast<void*>(shm));
    g_data = reinterpret_cast<volatile uint8_t*>(shm + 4096);

    tap::ok(gic::init_distributor() && gic::init_cpu(), "GICv3 comes up");
    const long si = map_shared_info(g_shinfo);
    if (!tap::ok(si == 0, "shared_info mapped (-> %ld)", si)) tap::bail("no shared_info");
    x::VcpuRegisterVcpuInfo r{gfn_of(g_vcpu_info), 0, 0};
    const long vi = vcpu_op(x::kVcpuopRegisterVcpuInfo, 0, &r);
    tap::ok(vi == 0, "vcpu_info registered (-> %ld)", vi);
    upcall_init(on_event, vi == 0 ? static_cast<keel::xen::VcpuInfo*>(static_cast<void*>(g_vcpu_info)) : nullptr);
    x::EvtchnStatus st{};
    st.dom = x::kDomidSelf;
    st.port = g_port;
    const long sr = event_channel_op(x::kEvtchnStatus, &st);
    tap::ok(sr == 0 && st.status == x::kEvtchnstatInterdomain && st.u.interdomain.dom == peer,
            "static port %u is interdomain to d%u port %u (-> %ld, status %u)", g_port, st.u.interdomain.dom,
            st.u.interdomain.port, sr, st.status);
    // What was pending before the protocol starts (bind, registration) is not an event of it.
    (void)upcall_scan();
    evtchn_clear_pending(g_port);
    evtchn_clear_mask(g_port);
    g_events = 0;
    g_shm->ready[me] = 1;
    dmb();
    if (!tap::ok(wait([me] { return g_shm->ready[1 - me] == 1; }), "the peer is up (shared memory)"))
        tap::bail("no peer");

    g_me = me;
    pingpong_upcall(ping);
    if (!barrier(1)) tap::bail("the peer did not finish the upcall round trips");
    pingpong_poll(ping);
    if (!barrier(2)) tap::bail("the peer did not finish the polled round trips");
    irq_enable();
    if (ping) {
        grant_ping(peer);
        data_ping();
    } else {
        grant_pong(peer);
        data_pong();
    }
    g_shm->done[me] = 1;
    dmb();
    tap::ok(wait([me] { return g_shm->done[1 - me] == 1; }), "the peer is done");
    irq_disable();
}
