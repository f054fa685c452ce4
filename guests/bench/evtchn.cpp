// SPDX-License-Identifier: MIT
//
// guests/bench/evtchn.cpp
// Owns bench=evtchn role=a|b peer=<domid> iters=<n> [port=<a's port>]
// [warmup=<w>] [timeout=<s>]: the event-channel round trip between two domUs.
// The channel is made with dynamic ops only (no static event channel, no shared
// memory: Xen 4.17 has neither for plain dom0less domUs): a allocates an unbound
// port for b (port 1 on a fresh domain, on Xen and keel alike) and b binds to
// a's port=<p> (default 1), retrying while a has not allocated it yet, then
// sends a "hello" event that starts a's rounds (again every retry_ms until a's
// first event comes). Both use the 2-level ABI, vcpu_info registered, the PPI
// 31 upcall, and wait in WFI (IRQs masked around the check, no spinning).
// One round trip, measured on a: CNTVCT before EVTCHNOP_send -> b's upcall ->
// b sends back from inside its upcall handler -> CNTVCT in a's upcall handler.
// w (default min(n/10, 100)) unmeasured rounds first. A round not answered
// within retry_ms (default 1000) is counted as lost and sent again: on Xen 4.17
// with the two vCPUs on different CPUs one round in ~10^3 once went unanswered
// for 20 s with a's and b's event state clean (nothing pending); b echoes every
// event and ends once none came for quiet_ms (default 2 x retry_ms) after the
// w + n expected.
// Prints (a)
//   BENCH evtchn round_trip n=<n> ...   ticks per round trip
//   BENCH evtchn lost value=<count> unit=events
// and (b) BENCH evtchn echoes value=<n + w + lost> unit=events. Same-CPU vs
// cross-CPU is the harness's choice (-smp 1 / -smp 2).
#include "bench.hpp"
#include "benches.hpp"
#include "gic.hpp"
#include "guest.hpp"

namespace guest::bench {
namespace {

constexpr const char* kName = "evtchn";
constexpr uint64_t kMaxLost = 100;

constinit uint32_t g_port = 0;
constinit volatile uint32_t g_events = 0;  // events on g_port
constinit volatile uint64_t g_stamp = 0;   // CNTVCT at the last one (a)
constinit volatile bool g_armed = false;   // events before this are not the protocol's
constinit volatile bool g_echo = false;    // b: answer from the handler
constinit uint32_t g_echo_limit = 0;

void on_event(uint32_t port)
{
    // g_port is 0 only between a's alloc_unbound and its result reaching g_port.
    if (!g_armed || (port != g_port && g_port != 0)) return;
    g_stamp = timer::now();
    g_events = g_events + 1;
    if (g_echo) (void)xen::evtchn_send(g_port);
}

/// Where the event stands (when a round trip was not answered in time).
void state(const char* what, uint64_t round)
{
    const auto* vi = static_cast<const keel::xen::VcpuInfo*>(static_cast<const void*>(vcpu_info_page()));
    note("%s %lu: port %u pending %d masked %d, sel %lx, upcall_pending %u, PPI 31 %s", what,
         static_cast<unsigned long>(round), g_port, xen::evtchn_pending(g_port) ? 1 : 0,
         xen::evtchn_masked(g_port) ? 1 : 0, static_cast<unsigned long>(vi->evtchn_pending_sel),
         vi->evtchn_upcall_pending, gic::private_pending(keel::xen::kGuestEvtchnPpi) ? "pending" : "not pending");
}

}  // namespace

void run_evtchn(const char* args)
{
    const bool a = arg_is(args, "role", "a");
    const bool b = arg_is(args, "role", "b");
    const auto peer = static_cast<xa::domid_t>(bootarg_u64(args, "peer", 0));
    const uint64_t n = bootarg_u64(args, "iters", 10000);
    const uint64_t warm = bootarg_u64(args, "warmup", n / 10 < 100 ? n / 10 : 100);
    const uint64_t timeout_s = bootarg_u64(args, "timeout", 300);
    const uint64_t retry_ms = bootarg_u64(args, "retry_ms", 1000);
    const uint64_t quiet_ms = bootarg_u64(args, "quiet_ms", 2 * retry_ms);
    if (a == b || peer == 0 || n == 0) fail(kName, "bootargs want role=a|b peer=<domid> iters=<n>");
    if (n > kPoolSlots) fail(kName, "iters > %u", kPoolSlots);
    const char* role = a ? "a" : "b";
    if (!init_interrupts()) fail(kName, "no GIC");
    if (!xen_init(on_event)) fail(kName, "no shared_info");

    if (a) {
        g_armed = true;
        const long rc = channel_offer(peer, &g_port);
        if (rc != 0) fail(kName, "EVTCHNOP_alloc_unbound(remote=d%u) -> %ld", peer, rc);
        note("role a: port %u offered to d%u", g_port, peer);
        watchdog_start(timeout_s * 1000000);
        if (!wait_irq([] { return g_events >= 1; })) fail(kName, "no hello from d%u", peer);
        uint64_t* samples = pool();
        uint64_t lost = 0;
        for (uint64_t i = 0; i < warm + n;) {
            const uint32_t want = g_events + 1;
            const uint64_t t0 = timer::now();
            if (const long s = xen::evtchn_send(g_port); s != 0) fail(kName, "EVTCHNOP_send -> %ld", s);
            watchdog_start(retry_ms * 1000);
            const bool answered = wait_irq([want] { return g_events >= want; });
            if (!answered) {  // lost on the way (seen on Xen 4.17 with -smp 2): count it, send again
                if (lost == 0) state("no answer to round", i);
                if (++lost > kMaxLost) fail(kName, "%lu round trips lost", static_cast<unsigned long>(lost));
                continue;
            }
            if (i >= warm) samples[i - warm] = g_stamp - t0;
            ++i;
        }
        watchdog_stop();
        distribution(kName, "round_trip", samples, static_cast<uint32_t>(n));
        scalar(kName, "lost", lost, "events");
    } else {
        const uint32_t remote = static_cast<uint32_t>(bootarg_u64(args, "port", 1));
        g_echo_limit = static_cast<uint32_t>(warm + n);
        g_echo = true;
        const long rc = channel_join(peer, remote, &g_port, timeout_s * 1000000);
        if (rc != 0) fail(kName, "EVTCHNOP_bind_interdomain(d%u port %u) -> %ld", peer, remote, rc);
        // Xen marks the local port pending on bind (a notification the unbound
        // port may have lost): not an event of the protocol. Armed at once: a
        // starts sending as soon as it sees the port bound.
        irq_disable();
        xen::evtchn_clear_pending(g_port);
        g_armed = true;
        irq_enable();
        note("role b: port %u bound to d%u port %u", g_port, peer, remote);
        // "hello": a starts the rounds on it. Sent again every retry_ms until a's
        // first event arrives (in case it is lost too); a's warmup absorbs a late one.
        for (uint32_t tries = 0;; ++tries) {
            if (const long h = xen::evtchn_send(g_port); h != 0) fail(kName, "hello: EVTCHNOP_send -> %ld", h);
            watchdog_start(retry_ms * 1000);
            if (wait_irq([] { return g_events >= 1; })) break;
            if (tries * retry_ms > timeout_s * 1000) fail(kName, "no event from d%u after the hello", peer);
        }
        watchdog_start(timeout_s * 1000000);
        if (!wait_irq([] { return g_events >= g_echo_limit; })) {
            state("stuck after events:", g_events);
            fail(kName, "only %u of %u events", g_events, g_echo_limit);
        }
        // a sends again what it thinks was lost: keep echoing until it is quiet.
        for (uint32_t seen = g_events;; seen = g_events) {
            watchdog_start(quiet_ms * 1000);
            if (!wait_irq([seen] { return g_events != seen; })) break;
        }
        watchdog_stop();
        scalar(kName, "echoes", g_events, "events");
    }
    finish(kName, role);
}

}  // namespace guest::bench
