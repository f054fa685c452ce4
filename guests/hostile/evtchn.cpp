// SPDX-License-Identifier: MIT
//
// guests/hostile/evtchn.cpp
// Owns hostile=evtchn and hostile=offmidflood. evtchn: an event-channel flood —
// EVTCHNOP_send on this domain's own ports (IPIs and a loopback interdomain
// pair) and on random ports (free, out of range, huge), with churn in between
// (close and rebind, unmask, status of random ports, pending bits cleared in
// shared_info so delivery keeps working). offmidflood: vCPU 1 floods without
// end while vCPU 0 calls PSCI SYSTEM_OFF in the middle of it.
#include "hostile.hpp"
#include "xen.hpp"

namespace hostile {
namespace {

namespace xa = guest::xa;
namespace gx = guest::xen;

constexpr uint32_t kOwn = 8;
constinit uint32_t g_own[kOwn] = {};
constinit volatile uint64_t g_flood_sends = 0;
constinit volatile uint32_t g_flood_go = 0;

struct Tally {
    uint64_t calls = 0, ok = 0, einval = 0, enoent = 0, other = 0, churn = 0;
};
constinit Tally g_t;

void tally(long rc)
{
    ++g_t.calls;
    if (rc == 0) ++g_t.ok;
    else if (rc == -xa::kEINVAL) ++g_t.einval;
    else if (rc == -xa::kENOENT) ++g_t.enoent;
    else ++g_t.other;
}

uint32_t bind_ipi(uint32_t vcpu)
{
    xa::EvtchnBindIpi b{vcpu, 0};
    return gx::event_channel_op(xa::kEvtchnBindIpi, &b) == 0 ? b.port : 0;
}

/// A loopback pair (alloc_unbound for ourselves, bound by ourselves): the local end.
uint32_t bind_loopback()
{
    uint32_t a = 0, b = 0;
    if (gx::evtchn_alloc_unbound(xa::kDomidSelf, &a) != 0) return 0;
    if (gx::evtchn_bind_interdomain(xa::kDomidSelf, a, &b) != 0) return a;
    return b;
}

uint32_t own_port(uint32_t i) { return i % 2 == 0 ? bind_ipi(0) : bind_loopback(); }

uint32_t random_port(guest::Prng& r)
{
    switch (r.below(4)) {
    case 0: return static_cast<uint32_t>(r.below(64));
    case 1: return static_cast<uint32_t>(r.below(4096));
    case 2: return r.pick({0u, 1023u, 1024u, 4095u, 4096u, 131071u, 131072u, 0x7fffffffu, 0xffffffffu});
    default: return static_cast<uint32_t>(r.next());
    }
}

void setup()
{
    Ctx& c = ctx();
    // shared_info over a page of upper RAM, so the pending bits can be cleared.
    (void)gx::map_shared_info(reinterpret_cast<void*>(c.upper));
    for (uint32_t i = 0; i < kOwn; ++i) g_own[i] = own_port(i);
}

void churn(guest::Prng& r)
{
    ++g_t.churn;
    const uint32_t i = static_cast<uint32_t>(r.below(kOwn));
    switch (r.below(4)) {
    case 0:
        (void)gx::evtchn_close(g_own[i]);
        g_own[i] = own_port(i);
        break;
    case 1: (void)gx::evtchn_unmask(random_port(r)); break;
    case 2: {
        xa::EvtchnStatus s{};
        s.dom = r.one_in(2) ? xa::kDomidSelf : any_domid();
        s.port = random_port(r);
        (void)gx::event_channel_op(xa::kEvtchnStatus, &s);
        break;
    }
    default: (void)gx::evtchn_close(random_port(r)); break;
    }
    for (uint32_t p : g_own) gx::evtchn_clear_pending(p);
}

}  // namespace

uint64_t run_evtchn(uint64_t n)
{
    guest::Prng& r = ctx().rng;
    setup();
    for (uint64_t i = 0; i < n; ++i) {
        const uint32_t port = r.below(4) != 0 ? g_own[r.below(kOwn)] : random_port(r);
        tally(gx::evtchn_send(port));
        if ((i & 4095) == 4095) churn(r);
        if ((i + 1) % 250000 == 0) guest::print("HOSTILE-PROGRESS evtchn %lu\n", static_cast<unsigned long>(i + 1));
    }
    guest::print("HOSTILE-RESULT evtchn sends=%lu ok=%lu einval=%lu enoent=%lu other=%lu churn=%lu\n",
                  static_cast<unsigned long>(g_t.calls), static_cast<unsigned long>(g_t.ok),
                  static_cast<unsigned long>(g_t.einval), static_cast<unsigned long>(g_t.enoent),
                  static_cast<unsigned long>(g_t.other), static_cast<unsigned long>(g_t.churn));
    return g_t.calls + g_t.churn;
}

void flood_secondary()
{
    guest::Prng r(ctx().seed ^ 0x5eed);
    while (g_flood_go == 0) guest::dmb();
    for (;;) {
        const uint32_t port = r.below(4) != 0 ? g_own[r.below(kOwn)] : random_port(r);
        (void)gx::evtchn_send(port);
        g_flood_sends = g_flood_sends + 1;
    }
}

[[noreturn]] void run_offmidflood()
{
    Ctx& c = ctx();
    setup();
    if (c.vcpus < 2) guest::tap::bail("hostile=offmidflood needs 2 vCPUs");
    const int64_t rc = guest::psci::cpu_on(1, reinterpret_cast<uint64_t>(&guest_secondary_entry), 1);
    if (rc != 0) guest::tap::bail("CPU_ON(vcpu1) -> %ld", static_cast<long>(rc));
    g_flood_go = 1;
    guest::dsb();
    uint64_t own = 0;
    // Flood from here too until vCPU 1 is well into its own flood, then power off under it.
    while (g_flood_sends < 20000 + ctx().rng.below(20000)) {
        (void)gx::evtchn_send(g_own[own % kOwn]);
        ++own;
    }
    guest::print("HOSTILE-DONE offmidflood calls=%lu (vcpu1 sends=%lu, still sending)\n",
                  static_cast<unsigned long>(own + g_flood_sends), static_cast<unsigned long>(g_flood_sends));
    guest::psci::system_off();
}

}  // namespace hostile
