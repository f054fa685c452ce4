// SPDX-License-Identifier: MIT
//
// core/event/event_channel.cpp
// Owns HYPERVISOR_event_channel_op (copying each op struct in and out through
// the caller's virtual addresses, resolving DOMID_SELF and other domains —
// the control domain may name any), a domain's event state at creation and
// destruction, vcpu_info registration, static event channels and keel-raised
// VIRQs, global ones to the control domain (event_channel.hpp). The rules
// are event_core's; this file only adapts them to Domain/Vcpu. Target only.
#include "core/event/event_channel.hpp"

#include <new>

#include "core/console/log.hpp"
#include "core/domain/domain.hpp"
#include "core/domain/domain_ref.hpp"
#include "core/domain/domain_table.hpp"
#include "core/domain/object_heap.hpp"
#include "core/domain/vcpu.hpp"
#include "core/event/event_core.hpp"
#include "core/event/event_target.hpp"
#include "core/memory/guest_virt.hpp"
#include "public/xen/event_channel.hpp"

namespace keel {

namespace {

using xen::EvtchnOp;

// DomainEvents::logged bits: what was already reported for the domain.
enum class EvtchnLog : uint32_t { UnknownOp = 1u << 0, Fault = 1u << 1, OtherDomain = 1u << 2 };

bool first_time(DomainEvents& d, EvtchnLog what)
{
    const auto bit = static_cast<uint32_t>(what);
    return (d.logged.fetch_or(bit, std::memory_order_relaxed) & bit) == 0;
}

long to_rc(Errno e) { return hc_error(e); }

template <typename T>
long to_rc(const Result<T>& r)
{
    return r.ok() ? 0 : hc_error(r.error());
}

// `dom` as the caller named it (Xen: rcu_lock_domain_by_any_id, then
// XSM_TARGET): its own domain (DOMID_SELF or its id) is allowed; another
// existing one only for the control domain (`other` then holds it), else
// -EPERM; an unknown one is -ESRCH. The domain's event state, or the error.
long resolve_domain(Domain& d, uint16_t dom, DomainRef& other, DomainEvents*& events)
{
    events = d.events;
    if (dom == xen::kDomidSelf || dom == d.id) return 0;
    other = domain_ref(dom);
    if (!other || other->events == nullptr) return hc_error(Errno::Srch);
    if (d.privileged) {
        events = other->events;
        return 0;
    }
    if (first_time(*d.events, EvtchnLog::OtherDomain))
        log("keel: d{}: event_channel_op on d{} refused (reported once)\n", d.id, dom);
    return hc_error(Errno::Perm);
}

long fault(Domain& d, uint64_t cmd)
{
    if (first_time(*d.events, EvtchnLog::Fault))
        log("keel: d{}: event_channel_op {}: bad argument pointer (reported once)\n", d.id, cmd);
    return hc_error(Errno::Fault);
}

template <typename T>
bool copy_in(Vcpu& v, T& op, GuestVirtAddr arg)
{
    return copy_from_guest(v, op, arg).ok();
}

long alloc_unbound(Vcpu& v, TargetEvtchnEnv& env, GuestVirtAddr arg)
{
    Domain& d = *v.domain;
    xen::EvtchnAllocUnbound op{};
    if (!copy_in(v, op, arg)) return fault(d, 6);
    DomainRef other;  // the control domain allocating in another domain
    DomainEvents* target = nullptr;
    if (const long rc = resolve_domain(d, op.dom, other, target); rc != 0) return rc;
    // DOMID_SELF as the remote end means the caller (not the domain allocated in).
    const uint16_t remote = op.remote_dom == xen::kDomidSelf ? d.id : op.remote_dom;
    if (remote != d.id && !domain_ref(remote)) return hc_error(Errno::Srch);  // as Xen 4.17
    auto port = evtchn::alloc_unbound(env, *target, remote);
    if (!port.ok()) return to_rc(port.error());
    op.port = port.value();
    return copy_to_guest(v, arg, op).ok() ? 0 : fault(d, 6);
}

long bind_interdomain(Vcpu& v, TargetEvtchnEnv& env, GuestVirtAddr arg)
{
    Domain& d = *v.domain;
    xen::EvtchnBindInterdomain op{};
    if (!copy_in(v, op, arg)) return fault(d, 0);
    DomainRef remote;  // keeps another domain alive across the bind
    DomainEvents* re = d.events;
    if (op.remote_dom != xen::kDomidSelf && op.remote_dom != d.id) {
        remote = domain_ref(op.remote_dom);
        if (!remote || remote->events == nullptr) return hc_error(Errno::Srch);
        re = remote->events;
    }
    const auto port = evtchn::bind_interdomain(env, *d.events, *re, op.remote_port);
    if (!port.ok()) return to_rc(port.error());
    op.local_port = port.value();
    return copy_to_guest(v, arg, op).ok() ? 0 : fault(d, 0);
}

long bind_virq(Vcpu& v, TargetEvtchnEnv& env, GuestVirtAddr arg)
{
    Domain& d = *v.domain;
    xen::EvtchnBindVirq op{};
    if (!copy_in(v, op, arg)) return fault(d, 1);
    auto port = evtchn::bind_virq(env, *d.events, op.virq, op.vcpu);
    if (!port.ok()) return to_rc(port.error());
    op.port = port.value();
    return copy_to_guest(v, arg, op).ok() ? 0 : fault(d, 1);
}

long bind_ipi(Vcpu& v, TargetEvtchnEnv& env, GuestVirtAddr arg)
{
    Domain& d = *v.domain;
    xen::EvtchnBindIpi op{};
    if (!copy_in(v, op, arg)) return fault(d, 7);
    auto port = evtchn::bind_ipi(env, *d.events, op.vcpu);
    if (!port.ok()) return to_rc(port.error());
    op.port = port.value();
    return copy_to_guest(v, arg, op).ok() ? 0 : fault(d, 7);
}

// ARM has no PIRQs: Xen 4.17 accepts the number (below nr_pirqs = NR_IRQS 1024 +
// extra_domU_irqs 32) and then fails to allocate the PIRQ's info: -ENOMEM.
long bind_pirq(Vcpu& v, GuestVirtAddr arg)
{
    constexpr uint32_t kNrPirqs = 1024 + 32;
    xen::EvtchnBindPirq op{};
    if (!copy_in(v, op, arg)) return fault(*v.domain, 2);
    return hc_error(op.pirq >= kNrPirqs ? Errno::Inval : Errno::NoMem);
}

long status(Vcpu& v, TargetEvtchnEnv& env, GuestVirtAddr arg)
{
    Domain& d = *v.domain;
    xen::EvtchnStatus op{};
    if (!copy_in(v, op, arg)) return fault(d, 5);
    DomainRef other;  // the control domain asking about another domain's port
    DomainEvents* target = nullptr;
    if (const long rc = resolve_domain(d, op.dom, other, target); rc != 0) return rc;
    auto s = evtchn::status(env, *target, op.port);
    if (!s.ok()) return to_rc(s.error());
    const evtchn::PortStatus& ps = s.value();
    op.status = static_cast<uint32_t>(ps.status);
    op.vcpu = ps.vcpu;
    op.u = {};
    switch (ps.status) {
    case xen::EvtchnStat::Unbound: op.u.unbound.dom = ps.dom; break;
    case xen::EvtchnStat::Interdomain:
        op.u.interdomain.dom = ps.dom;
        op.u.interdomain.port = ps.port;
        break;
    case xen::EvtchnStat::Virq: op.u.virq = ps.virq; break;
    default: break;
    }
    return copy_to_guest(v, arg, op).ok() ? 0 : fault(d, 5);
}

long init_control(Vcpu& v, TargetEvtchnEnv& env, GuestVirtAddr arg)
{
    Domain& d = *v.domain;
    xen::EvtchnInitControl op{};
    if (!copy_in(v, op, arg)) return fault(d, 11);
    op.link_bits = static_cast<uint8_t>(xen::kEvtchnFifoLinkBits);
    const auto r = evtchn::init_control(env, *d.events, op.control_gfn, op.offset, op.vcpu);
    if (!r.ok()) return to_rc(r.error());
    return copy_to_guest(v, arg, op).ok() ? 0 : fault(d, 11);
}

// The ops whose struct is only read.
long simple_op(Vcpu& v, TargetEvtchnEnv& env, EvtchnOp op, GuestVirtAddr arg)
{
    Domain& d = *v.domain;
    DomainEvents& de = *d.events;
    const auto cmd = static_cast<uint64_t>(op);
    switch (op) {
    case EvtchnOp::Close: {
        xen::EvtchnClose c{};
        return copy_in(v, c, arg) ? to_rc(evtchn::close(env, de, c.port)) : fault(d, cmd);
    }
    case EvtchnOp::Send: {
        xen::EvtchnSend s{};
        return copy_in(v, s, arg) ? to_rc(evtchn::send(env, de, s.port)) : fault(d, cmd);
    }
    case EvtchnOp::Unmask: {
        xen::EvtchnUnmask u{};
        return copy_in(v, u, arg) ? to_rc(evtchn::unmask_port(env, de, u.port)) : fault(d, cmd);
    }
    case EvtchnOp::BindVcpu: {
        xen::EvtchnBindVcpu b{};
        if (!copy_in(v, b, arg)) return fault(d, cmd);
        return to_rc(evtchn::bind_vcpu(env, de, b.port, b.vcpu));
    }
    case EvtchnOp::SetPriority: {
        xen::EvtchnSetPriority p{};
        if (!copy_in(v, p, arg)) return fault(d, cmd);
        return to_rc(evtchn::set_priority(env, de, p.port, p.priority));
    }
    case EvtchnOp::ExpandArray: {
        xen::EvtchnExpandArray e{};
        if (!copy_in(v, e, arg)) return fault(d, cmd);
        return to_rc(evtchn::expand_array(env, de, e.array_gfn));
    }
    case EvtchnOp::Reset:
    case EvtchnOp::ResetCont: {
        xen::EvtchnReset r{};
        if (!copy_in(v, r, arg)) return fault(d, cmd);
        DomainRef other;
        DomainEvents* target = nullptr;
        if (const long rc = resolve_domain(d, r.dom, other, target); rc != 0) return rc;
        // Xen resets another domain's ports only while the controller has it
        // paused; keel has no pausedomain yet.
        if (target != d.events) return hc_error(Errno::Inval);
        evtchn::reset(env, *target);
        return 0;
    }
    default: return hc_error(Errno::NoSys);
    }
}

}  // namespace

Result<void> evtchn_domain_init(Domain& d)
{
    void* mem = alloc_object_frames(sizeof(DomainEvents));
    if (mem == nullptr) return Errno::NoMem;
    auto* de = new (mem) DomainEvents{};
    void* vcpus[kMaxVcpusPerDomain] = {};
    for (uint32_t i = 0; i < d.vcpu_count && i < kMaxVcpusPerDomain; ++i) vcpus[i] = d.vcpus[i];
    TargetEvtchnEnv env;
    const auto r = evtchn::init(env, *de, d.id, &d, d.vcpu_count, vcpus);
    if (!r.ok()) {
        de->~DomainEvents();
        free_object_frames(mem, sizeof(DomainEvents));
        return r.error();
    }
    d.events = de;
    for (uint32_t i = 0; i < de->nr_vcpus; ++i) {
        if (d.vcpus[i] == nullptr) continue;
        d.vcpus[i]->events = &de->vcpu[i];
        evtchn_poll_timer_init(*d.vcpus[i]);
    }
    return {};
}

void evtchn_domain_destroy(Domain& d)
{
    DomainEvents* de = d.events;
    if (de == nullptr) return;
    TargetEvtchnEnv env;
    evtchn::teardown(env, *de);  // ports closed: no peer reaches d any more
    bool timers_gone = true;
    for (uint32_t i = 0; i < de->nr_vcpus; ++i) {
        if (d.vcpus[i] != nullptr) timers_gone &= evtchn_poll_timer_teardown(*d.vcpus[i]);
    }
    de->timers_gone = timers_gone;
}

void evtchn_domain_free(Domain& d)
{
    DomainEvents* de = d.events;
    if (de == nullptr) return;
    if (!de->timers_gone) {
        log("keel: warning: d{}: a CPU's SCHEDOP_poll timer still refers to its event state; "
            "kept\n", d.id);
        return;  // something may still point into it: leak rather than free
    }
    for (uint32_t i = 0; i < de->nr_vcpus; ++i) {
        if (d.vcpus[i] != nullptr) d.vcpus[i]->events = nullptr;
    }
    d.events = nullptr;
    de->~DomainEvents();
    free_object_frames(de, sizeof(DomainEvents));
}

long do_event_channel_op(Vcpu& v, HypercallArgs& a)
{
    Domain& d = *v.domain;
    if (d.events == nullptr) return hc_error(Errno::NoSys);
    const auto op = static_cast<EvtchnOp>(a.arg[0]);
    const GuestVirtAddr arg{a.arg[1]};
    TargetEvtchnEnv env;
    switch (op) {
    case EvtchnOp::AllocUnbound: return alloc_unbound(v, env, arg);
    case EvtchnOp::BindInterdomain: return bind_interdomain(v, env, arg);
    case EvtchnOp::BindVirq: return bind_virq(v, env, arg);
    case EvtchnOp::BindIpi: return bind_ipi(v, env, arg);
    case EvtchnOp::Status: return status(v, env, arg);
    case EvtchnOp::InitControl: return init_control(v, env, arg);
    case EvtchnOp::BindPirq: return bind_pirq(v, arg);
    case EvtchnOp::Close:
    case EvtchnOp::Send:
    case EvtchnOp::Unmask:
    case EvtchnOp::BindVcpu:
    case EvtchnOp::SetPriority:
    case EvtchnOp::ExpandArray:
    case EvtchnOp::Reset:
    case EvtchnOp::ResetCont: return simple_op(v, env, op, arg);
    }
    if (first_time(*d.events, EvtchnLog::UnknownOp))
        log("keel: d{}: event_channel_op {} unknown: -ENOSYS (reported once)\n", d.id, a.arg[0]);
    return hc_error(Errno::NoSys);
}

long evtchn_register_vcpu_info(Vcpu& v, uint64_t gfn, uint32_t offset)
{
    Domain& d = *v.domain;
    if (d.events == nullptr) return hc_error(Errno::NoSys);
    TargetEvtchnEnv env;
    return to_rc(evtchn::register_vcpu_info(env, *d.events, v.id, gfn, offset));
}

Result<void> evtchn_bind_static(Domain& a, uint32_t port_a, Domain& b, uint32_t port_b)
{
    if (a.events == nullptr || b.events == nullptr) return Errno::Inval;
    TargetEvtchnEnv env;
    return evtchn::bind_pair(env, *a.events, port_a, *b.events, port_b);
}

void evtchn_send_virq(Domain& d, xen::Virq virq, uint32_t vcpu)
{
    if (d.events == nullptr) return;
    TargetEvtchnEnv env;
    evtchn::raise_virq(env, *d.events, static_cast<uint32_t>(virq), vcpu);
}

void evtchn_send_global_virq(xen::Virq virq)
{
    // Xen's send_global_virq without set_global_virq_handler: the hardware domain.
    for (DomId id = 0; id < kMaxDomains; ++id) {
        DomainRef d = domain_ref(id);
        if (!d || !d->privileged) continue;
        evtchn_send_virq(*d, virq, 0);
        return;
    }
}

}  // namespace keel
