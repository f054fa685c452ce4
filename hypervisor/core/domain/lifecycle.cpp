// SPDX-License-Identifier: MIT
//
// core/domain/lifecycle.cpp
// Owns domain start and end (see lifecycle.hpp).
//
// Counting: Domain::live_vcpus starts at the number of vCPUs; every vCPU that
// becomes Dead takes one off, and whoever takes the last one destroys the
// domain. domain_shutdown() holds one extra count while it walks the vCPUs, so
// the domain cannot be destroyed under it.
#include "core/domain/lifecycle.hpp"

#include "arch/arm64/psci/psci.hpp"
#include "arch/arm64/smp/idle.hpp"
#include "arch/arm64/smp/ipi.hpp"
#include "arch/arm64/timer/hyp_timer.hpp"
#include "arch/arm64/timer/vtimer.hpp"
#include "arch/arm64/vgic/vgic.hpp"
#include "core/boot/boot_state.hpp"
#include "core/console/log.hpp"
#include "core/console/vpl011.hpp"
#include "core/domain/domain_table.hpp"
#include "core/domain/domain_ref.hpp"
#include "core/domain/vcpu.hpp"
#include "core/event/event_channel.hpp"
#include "core/grant/grant_table.hpp"
#include "core/memory/memory_op.hpp"
#include "core/memory/p2m.hpp"
#include "core/sched/schedule.hpp"

namespace keel {
namespace {

// Domain-pool free frames before the first domain was created: what the pool
// must hold again when every domain has ended.
constinit uint64_t g_baseline_frames = 0;
constinit bool g_have_baseline = false;

struct VtimerTeardown {
    Vcpu* v;
    std::atomic<bool> done{false};
};

void vtimer_teardown_here(void* arg)
{
    auto* t = static_cast<VtimerTeardown*>(arg);
    arm64::vtimer_vcpu_destroy(*t->v);
    t->done.store(true, std::memory_order_release);
}

// vtimer_vcpu_destroy on the CPU whose timer queue may hold v's stand-in timer.
// Returns false when that CPU did not answer within a second.
bool teardown_vtimer(Vcpu& v)
{
    const CpuIndex where = std::atomic_ref<CpuIndex>{v.processor}.load(std::memory_order_acquire);
    VtimerTeardown t{&v};
    if (where == this_cpu().index) {
        vtimer_teardown_here(&t);
        return true;
    }
    arm64::call_on(cpu(where), vtimer_teardown_here, &t);
    return arm64::wait_until([&t] { return t.done.load(std::memory_order_acquire); },
                             arm64::timer::rate().from_ms(1000));
}

void all_domains_ended()
{
    const uint64_t now = domain_pool_free_frames();
    if (g_have_baseline && now != g_baseline_frames) {
        log("keel: all domains ended\n");
        log("keel: warning: domain-pool free frames {} before the first domain, {} now\n",
            g_baseline_frames, now);
    } else {
        log("keel: all domains ended; domain-pool free frames {}, as before the first domain\n",
            now);
    }
    if (boot_options().exit_when_idle) {
        log("keel: keel.exit_when_idle: powering off\n");
        arm64::psci::system_off();
    }
}

void destroy(Domain& d)
{
    d.state.store(DomainState::Dead, std::memory_order_seq_cst);
    evtchn_domain_destroy(d);  // first: peers blocked on closing a pair with d wait for it
    for (Vcpu* v : d.vcpus) {
        if (v == nullptr || teardown_vtimer(*v)) continue;
        log("keel: warning: d{} ({}): CPU {} did not release vCPU {}; its memory is kept\n", d.id,
            d.name, v->processor, v->id);
        return;  // something may still point at it: leak rather than free
    }
    vpl011_release(d);  // flushes its last output line, leaves the console mux
    vgic_domain_destroy(d);  // its hardware-linked SPIs (dom0's) back to keel, disabled
    // Everything the domain took from the domain pool while it was built is RAM in
    // its p2m; p2m_destroy gives all of it back. (The pool's own count cannot be
    // compared per domain: another domain may end on another CPU meanwhile. The
    // exact pool check is all_domains_ended's.)
    const uint64_t held = d.p2m.ram_frames;
    grant_domain_destroy(d);  // its maps of others' grants, then its table
    p2m_destroy(d);
    memory_domain_destroy(d);  // shared_info
    const uint64_t after = domain_pool_free_frames();
    log("keel: d{} ({}) ended: {}; domain-pool free frames {} -> {}\n", d.id, d.name,
        shutdown_reason_name(d.shutdown_reason), d.frames_before_create, after);
    if (held != d.frames_used) {
        log("keel: warning: d{} ({}) took {} domain-pool frames but its p2m held {}\n", d.id,
            d.name, d.frames_used, held);
    }
    // The toolstack's xenstored re-reads its domains (Xen: shutdown finalised, dead).
    evtchn_send_global_virq(xen::Virq::DomExc);
    // Freed now, or when the last DomainRef is dropped (core/domain/domain_ref.hpp).
    domain_refs_retire(d);
}

// [dom0] Xen's hwdom_shutdown(): the hardware domain's end is the machine's.
// The domain-pool line is the "all domains ended" one, for the same checks.
[[noreturn]] void hwdom_shutdown(Domain& d, ShutdownReason reason)
{
    log("keel: d{} ({}) shut down: {}; hardware domain: the machine {}\n", d.id, d.name,
        shutdown_reason_name(reason), reason == ShutdownReason::Poweroff ? "halts" : "restarts");
    log("keel: domain-pool free frames {} ({} before the first domain)\n",
        domain_pool_free_frames(), g_baseline_frames);
    if (reason == ShutdownReason::Poweroff) arm64::psci::system_off();
    arm64::psci::system_reset();
}

void drop_live(Domain& d, uint32_t n)
{
    if (n != 0 && d.live_vcpus.fetch_sub(n, std::memory_order_acq_rel) == n) destroy(d);
}

}  // namespace

const char* shutdown_reason_name(ShutdownReason r)
{
    switch (r) {
    case ShutdownReason::Poweroff: return "poweroff";
    case ShutdownReason::Reboot: return "reboot";
    case ShutdownReason::Suspend: return "suspend";
    case ShutdownReason::Crash: return "crash";
    case ShutdownReason::Watchdog: return "watchdog";
    }
    return "unknown";
}

void domain_built(Domain& d)
{
    // Domains are built one after the other (and all built before any starts):
    // what the pool lost since this one's creation is this domain's.
    d.frames_used = d.frames_before_create - domain_pool_free_frames();
    if (!g_have_baseline) {
        g_baseline_frames = d.frames_before_create;
        g_have_baseline = true;
    }
}

void domain_start(Domain& d)
{
    for (Vcpu* v : d.vcpus) {
        // A pinned vCPU (dom0_vcpus_pin) keeps the CPU its builder gave it.
        if (v != nullptr && !v->pinned)
            std::atomic_ref<CpuIndex>{v->processor}.store(sched_place_vcpu());
    }
    d.state.store(DomainState::Running, std::memory_order_seq_cst);
    log("keel: d{} ({}) starts: {} vCPU{}, {} domain-pool frames; vCPU 0 at {:#x} on CPU {}\n",
        d.id, d.name, d.vcpu_count, d.vcpu_count == 1 ? "" : "s", d.frames_used,
        d.vcpus[0]->regs.elr, d.vcpus[0]->processor);
    (void)vcpu_start(*d.vcpus[0], nullptr, nullptr);
}

void domain_shutdown(Domain& d, ShutdownReason reason)
{
    DomainState s = d.state.load(std::memory_order_seq_cst);
    do {
        if (s != DomainState::Building && s != DomainState::Running) return;  // already ending
    } while (!d.state.compare_exchange_weak(s, DomainState::ShuttingDown));
    d.shutdown_reason = reason;
    if (d.hardware) hwdom_shutdown(d, reason);

    d.live_vcpus.fetch_add(1, std::memory_order_acq_rel);  // hold d while walking its vCPUs
    uint32_t killed = 0;
    for (Vcpu* v : d.vcpus) {
        if (v != nullptr && vcpu_kill(*v)) ++killed;
    }
    drop_live(d, killed + 1);
}

void domain_crash(Domain& d, const char* why)
{
    log("keel: d{} ({}) crashed: {}\n", d.id, d.name, why);
    domain_shutdown(d, ShutdownReason::Crash);
}

void domain_destroy_unstarted(Domain& d)
{
    d.state.store(DomainState::Dead, std::memory_order_seq_cst);
    evtchn_domain_destroy(d);
    for (Vcpu* v : d.vcpus) {
        if (v != nullptr) arm64::vtimer_vcpu_destroy(*v);  // never ran: nothing on another CPU
    }
    vpl011_release(d);
    vgic_domain_destroy(d);
    grant_domain_destroy(d);
    p2m_destroy(d);
    memory_domain_destroy(d);
    (void)free_domain(d);
}

void domain_vcpu_dead(Vcpu& v) { drop_live(*v.domain, 1); }

void domains_all_ended() { all_domains_ended(); }

}  // namespace keel
