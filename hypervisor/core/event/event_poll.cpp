// SPDX-License-Identifier: MIT
//
// core/event/event_poll.cpp
// Owns SCHEDOP_poll's wait (xen/common/sched/core.c do_poll): the vCPU marks
// itself as polling (DomainEvents::pollers, the one port in
// VcpuEvents::poll_port), checks the ports, and blocks; set-pending on a polled
// port wakes it (evtchn::check_pollers), and so does its timeout, a keel timer
// armed on the CPU where it polled. Returning early is allowed (the guest
// re-checks), which keeps the timer simple: a timer still armed on another CPU
// from an earlier poll is left alone and the new poll returns at once. Target only.
#include "arch/arm64/smp/idle.hpp"
#include "arch/arm64/smp/ipi.hpp"
#include "arch/arm64/timer/hyp_timer.hpp"
#include "core/domain/domain.hpp"
#include "core/domain/vcpu.hpp"
#include "core/event/event_channel.hpp"
#include "core/event/event_core.hpp"
#include "core/event/event_target.hpp"
#include "core/memory/guest_virt.hpp"
#include "core/percpu.hpp"
#include "core/sched/schedule.hpp"
#include "core/sched/vcpu_flags.hpp"

namespace keel {

namespace {

constexpr uint32_t kMaxPollPorts = 128;  // xen/common/sched/core.c SCHEDOP_poll
constexpr uint64_t kPstateI = uint64_t{1} << 7;  // SPSR_EL2.I: the guest masks IRQs

void on_poll_timeout(Timer&, void* context)
{
    Vcpu& v = *static_cast<Vcpu*>(context);
    v.events->poll_timer_cpu.store(kEvtchnNoCpu, std::memory_order_release);
    DomainEvents& de = *v.domain->events;
    const uint32_t bit = 1u << v.id;
    if ((de.pollers.fetch_and(~bit, std::memory_order_seq_cst) & bit) != 0) {
        v.events->poll_port.store(0, std::memory_order_relaxed);
        vcpu_wake(v);
    }
}

// Arms v's timeout on this CPU; false when it is still armed on another one.
bool arm_poll_timer(Vcpu& v, Ticks deadline)
{
    VcpuEvents& ve = *v.events;
    const CpuIndex me = this_cpu().index;
    const uint32_t cpu = ve.poll_timer_cpu.load(std::memory_order_acquire);
    if (cpu != kEvtchnNoCpu && cpu != me) return false;
    ve.poll_timer_cpu.store(me, std::memory_order_release);
    arm64::timer::arm(ve.poll_timer, deadline);
    return true;
}

struct PollTeardown {
    Vcpu* v;
    std::atomic<bool> done{false};
};

void cancel_here(void* arg)
{
    auto* t = static_cast<PollTeardown*>(arg);
    VcpuEvents& ve = *t->v->events;
    if (ve.poll_timer_cpu.load(std::memory_order_acquire) == this_cpu().index) {
        (void)arm64::timer::cancel(ve.poll_timer);
        ve.poll_timer_cpu.store(kEvtchnNoCpu, std::memory_order_release);
    }
    t->done.store(true, std::memory_order_release);
}

}  // namespace

void evtchn_poll_timer_init(Vcpu& v) { v.events->poll_timer.set_callback(on_poll_timeout, &v); }

bool evtchn_poll_timer_teardown(Vcpu& v)
{
    if (v.events == nullptr) return true;
    const uint32_t where = v.events->poll_timer_cpu.load(std::memory_order_acquire);
    if (where == kEvtchnNoCpu) return true;
    PollTeardown t{&v};
    arm64::run_on(cpu(where), cancel_here, &t);
    return arm64::wait_until([&t] { return t.done.load(std::memory_order_acquire); },
                             arm64::timer::rate().from_ms(1000));
}

long evtchn_poll(Vcpu& v, GuestVirtAddr ports, uint32_t nr, uint64_t timeout)
{
    Domain& d = *v.domain;
    if (d.events == nullptr || v.events == nullptr) return hc_error(Errno::NoSys);
    if (nr > kMaxPollPorts) return hc_error(Errno::Inval);
    DomainEvents& de = *d.events;
    VcpuEvents& ve = *v.events;
    TargetEvtchnEnv env;
    const uint32_t bit = 1u << v.id;

    // Polling before looking (any port until we know which): a set-pending after
    // the look then finds us, and its vcpu_wake keeps us from blocking.
    (void)take_flag(v.sched_flags, VcpuFlag::WakePending);
    ve.poll_port.store(0, std::memory_order_relaxed);
    de.pollers.fetch_or(bit, std::memory_order_seq_cst);
    const auto done = [&](long rc) {
        de.pollers.fetch_and(~bit, std::memory_order_seq_cst);
        ve.poll_port.store(0, std::memory_order_relaxed);
        return rc;
    };

    uint32_t port = 0;
    for (uint32_t i = 0; i < nr; ++i) {
        if (!copy_from_guest(v, port, ports + uint64_t{i} * sizeof(uint32_t)).ok())
            return done(hc_error(Errno::Fault));
        const auto pending = evtchn::poll_port_pending(env, de, port);
        if (!pending.ok()) return done(hc_error(pending.error()));
        if (pending.value()) return done(0);
    }
    // An upcall the guest would take now ends the poll too (Xen on ARM:
    // local_events_need_delivery, only with the guest's IRQs unmasked).
    if ((current_frame().spsr & kPstateI) == 0 && evtchn::upcall_pending(env, de, v.id))
        return done(0);
    if (nr == 1) ve.poll_port.store(port, std::memory_order_relaxed);

    if (timeout != 0) {
        // The guest's clock: its virtual counter, which starts at d.cntvoff.
        const Ticks deadline = d.cntvoff + arm64::timer::rate().from_ns(timeout);
        if (deadline <= arm64::timer::now() || !arm_poll_timer(v, deadline)) return done(0);
    }
    vcpu_block(v);  // at the end of this trap; a wake since the flag was cleared cancels it
    return 0;
}

}  // namespace keel
