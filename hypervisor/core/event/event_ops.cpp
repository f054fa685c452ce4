// SPDX-License-Identifier: MIT
//
// core/event/event_ops.cpp
// Owns the event-channel state machine: free -> unbound -> interdomain | virq |
// ipi -> free, with the errors Xen 4.17 returns (xen/common/event_channel.c):
// alloc_unbound, bind_interdomain, the static pair of a `xen,evtchn` binding,
// bind_virq, bind_ipi, close, send, status, unmask, bind_vcpu, set_priority,
// reset and raising a VIRQ. Pure; locking as event_state.hpp describes.
#include "core/event/event_core.hpp"

namespace keel::evtchn {
namespace {

// Both domains' binding locks, lower domid first (one lock when a == b).
class PairLock {
public:
    PairLock(DomainEvents& a, DomainEvents& b)
        : first_{a.domid <= b.domid ? a : b}, second_{a.domid <= b.domid ? b : a}
    {
        first_.lock.lock();
        if (&second_ != &first_) second_.lock.lock();
    }
    ~PairLock()
    {
        if (&second_ != &first_) second_.lock.unlock();
        first_.lock.unlock();
    }
    PairLock(const PairLock&) = delete;
    PairLock& operator=(const PairLock&) = delete;

private:
    DomainEvents& first_;
    DomainEvents& second_;
};

void connect(DomainEvents& a, EvtchnPort& pa, uint32_t port_a, DomainEvents& b, EvtchnPort& pb,
             uint32_t port_b)
{
    pa.state = PortState::Interdomain;
    pa.peer = &b;
    pa.peer_port = port_b;
    pa.remote_domid = b.domid;
    pb.state = PortState::Interdomain;
    pb.peer = &a;
    pb.peer_port = port_a;
    pb.remote_domid = a.domid;
}

// The other end of d's interdomain `p` goes back to unbound for d (both locks held).
void unbind_peer(DomainEvents& d, EvtchnPort& p)
{
    EvtchnPort* q = port_of(*p.peer, p.peer_port);
    if (q == nullptr) return;
    q->state = PortState::Unbound;
    q->remote_domid = d.domid;
    q->peer = nullptr;
    q->peer_port = 0;
}

enum class CloseStep { Done, Invalid, Retry };

// One attempt at closing `port` of d, d.lock held on entry and released on return.
CloseStep close_locked(EvtchnEnv& env, DomainEvents& d, uint32_t port)
{
    EvtchnPort* p = port_of(d, port);
    if (p == nullptr || p->state == PortState::Free || p->state == PortState::Reserved) {
        d.lock.unlock();
        return CloseStep::Invalid;
    }
    if (p->state == PortState::Virq) {
        for (VcpuEvents& ve : d.vcpu) {
            if (p->virq < xen::kNrVirqs && ve.virq_port[p->virq] == port) ve.virq_port[p->virq] = 0;
        }
    }
    if (p->state != PortState::Interdomain || p->peer == &d) {
        if (p->state == PortState::Interdomain) unbind_peer(d, *p);
        free_port(env, d, port);
        d.lock.unlock();
        return CloseStep::Done;
    }
    DomainEvents& peer = *p->peer;  // alive: the pair needs d.lock to go away
    if (d.domid < peer.domid) {
        peer.lock.lock();
        unbind_peer(d, *p);
        free_port(env, d, port);
        peer.lock.unlock();
        d.lock.unlock();
        return CloseStep::Done;
    }
    // The peer's lock comes first: let go of ours, keeping the peer alive.
    if (!env.hold(peer)) {
        d.lock.unlock();
        env.relax();  // it is ending; its teardown closes the pair
        return CloseStep::Retry;
    }
    d.lock.unlock();
    peer.lock.lock();
    d.lock.lock();
    CloseStep step = CloseStep::Retry;
    p = port_of(d, port);
    if (p != nullptr && p->state == PortState::Interdomain && p->peer == &peer) {
        unbind_peer(d, *p);
        free_port(env, d, port);
        step = CloseStep::Done;
    }
    d.lock.unlock();
    peer.lock.unlock();
    env.release(peer);
    return step;
}

}  // namespace

bool virq_is_global(uint32_t virq)
{
    switch (static_cast<xen::Virq>(virq)) {
    case xen::Virq::Timer:
    case xen::Virq::Debug:
    case xen::Virq::Xenoprof:
    case xen::Virq::Xenpmu: return false;
    default: return true;  // ARM's arch VIRQs are global too (xen/arch/arm arch_virq_is_global)
    }
}

Result<uint32_t> alloc_unbound(EvtchnEnv& env, DomainEvents& d, uint16_t remote)
{
    LockGuard guard{d.lock};
    const uint32_t port = KEEL_TRY(alloc_port(env, d));
    EvtchnPort* p = port_of(d, port);
    p->state = PortState::Unbound;
    p->remote_domid = remote;
    return port;
}

Result<uint32_t> bind_interdomain(EvtchnEnv& env, DomainEvents& local, DomainEvents& remote,
                                  uint32_t remote_port)
{
    PairLock guard{local, remote};
    if (remote.dying) return Errno::Srch;
    const uint32_t lport = KEEL_TRY(alloc_port(env, local));
    EvtchnPort* r = port_of(remote, remote_port);
    if (r == nullptr || r->state != PortState::Unbound || r->remote_domid != local.domid)
        return Errno::Inval;
    EvtchnPort* l = port_of(local, lport);
    connect(local, *l, lport, remote, *r, remote_port);
    // Notifications sent to the unbound port were dropped: always raise the new one.
    LockGuard deliver{local.deliver};
    set_pending(env, local, lport);
    return lport;
}

Result<void> bind_pair(EvtchnEnv& env, DomainEvents& a, uint32_t port_a, DomainEvents& b,
                       uint32_t port_b)
{
    if (&a == &b && port_a == port_b) return Errno::Inval;
    PairLock guard{a, b};
    EvtchnPort* pa = KEEL_TRY(claim_port(env, a, port_a));
    EvtchnPort* pb = KEEL_TRY(claim_port(env, b, port_b));
    connect(a, *pa, port_a, b, *pb, port_b);
    return {};
}

Result<uint32_t> bind_virq(EvtchnEnv& env, DomainEvents& d, uint32_t virq, uint32_t vcpu)
{
    if (virq >= xen::kNrVirqs) return Errno::Inval;
    if (virq_is_global(virq) && vcpu != 0) return Errno::Inval;
    if (vcpu >= d.nr_vcpus) return Errno::NoEnt;
    LockGuard guard{d.lock};
    if (d.vcpu[vcpu].virq_port[virq] != 0) return Errno::Exist;
    const uint32_t port = KEEL_TRY(alloc_port(env, d));
    EvtchnPort* p = port_of(d, port);
    {
        LockGuard deliver{d.deliver};
        p->notify_vcpu = vcpu;
    }
    p->state = PortState::Virq;
    p->virq = virq;
    d.vcpu[vcpu].virq_port[virq] = port;
    return port;
}

Result<uint32_t> bind_ipi(EvtchnEnv& env, DomainEvents& d, uint32_t vcpu)
{
    if (vcpu >= d.nr_vcpus) return Errno::NoEnt;
    LockGuard guard{d.lock};
    const uint32_t port = KEEL_TRY(alloc_port(env, d));
    EvtchnPort* p = port_of(d, port);
    {
        LockGuard deliver{d.deliver};
        p->notify_vcpu = vcpu;
    }
    p->state = PortState::Ipi;
    return port;
}

Result<void> close(EvtchnEnv& env, DomainEvents& d, uint32_t port)
{
    for (;;) {
        d.lock.lock();
        switch (close_locked(env, d, port)) {
        case CloseStep::Done: return {};
        case CloseStep::Invalid: return Errno::Inval;
        case CloseStep::Retry: break;
        }
    }
}

Result<void> send(EvtchnEnv& env, DomainEvents& d, uint32_t port)
{
    LockGuard guard{d.lock};
    EvtchnPort* p = port_of(d, port);
    if (p == nullptr) return Errno::Inval;
    switch (p->state) {
    case PortState::Interdomain: {
        DomainEvents& peer = *p->peer;  // alive while d.lock is held
        LockGuard deliver{peer.deliver};
        set_pending(env, peer, p->peer_port);
        return {};
    }
    case PortState::Ipi: {
        LockGuard deliver{d.deliver};
        set_pending(env, d, port);
        return {};
    }
    case PortState::Unbound: return {};  // dropped, as Xen does
    default: return Errno::Inval;
    }
}

Result<PortStatus> status(EvtchnEnv&, DomainEvents& d, uint32_t port)
{
    LockGuard guard{d.lock};
    if (d.dying) return Errno::Srch;  // another domain's, being torn down: its buckets go
    EvtchnPort* p = port_of(d, port);
    if (p == nullptr) return Errno::Inval;
    PortStatus s;
    s.vcpu = p->notify_vcpu;
    switch (p->state) {
    case PortState::Free:
    case PortState::Reserved: s.status = xen::EvtchnStat::Closed; break;
    case PortState::Unbound:
        s.status = xen::EvtchnStat::Unbound;
        s.dom = p->remote_domid;
        break;
    case PortState::Interdomain:
        s.status = xen::EvtchnStat::Interdomain;
        s.dom = p->remote_domid;
        s.port = p->peer_port;
        break;
    case PortState::Virq:
        s.status = xen::EvtchnStat::Virq;
        s.virq = p->virq;
        break;
    case PortState::Ipi: s.status = xen::EvtchnStat::Ipi; break;
    }
    return s;
}

Result<void> unmask_port(EvtchnEnv& env, DomainEvents& d, uint32_t port)
{
    LockGuard guard{d.lock};
    if (port_of(d, port) == nullptr) return Errno::Inval;
    LockGuard deliver{d.deliver};
    unmask(env, d, port);
    return {};
}

Result<void> bind_vcpu(EvtchnEnv&, DomainEvents& d, uint32_t port, uint32_t vcpu)
{
    if (vcpu >= d.nr_vcpus) return Errno::NoEnt;
    LockGuard guard{d.lock};
    EvtchnPort* p = port_of(d, port);
    if (p == nullptr) return Errno::Inval;
    const bool movable = p->state == PortState::Unbound || p->state == PortState::Interdomain ||
                         (p->state == PortState::Virq && virq_is_global(p->virq));
    if (!movable) return Errno::Inval;
    LockGuard deliver{d.deliver};
    p->notify_vcpu = vcpu;
    return {};
}

Result<void> set_priority(EvtchnEnv&, DomainEvents& d, uint32_t port, uint32_t priority)
{
    LockGuard guard{d.lock};
    EvtchnPort* p = port_of(d, port);
    if (p == nullptr) return Errno::Inval;
    if (!d.fifo) return Errno::NoSys;  // the 2-level ABI has no priorities
    if (priority > xen::kEvtchnFifoPriorityMin) return Errno::Inval;
    LockGuard deliver{d.deliver};
    p->priority = static_cast<uint8_t>(priority);  // future links; a linked event stays put
    return {};
}

void reset(EvtchnEnv& env, DomainEvents& d)
{
    const uint32_t n = d.valid_ports.load(std::memory_order_acquire);
    for (uint32_t port = 1; port < n; ++port) (void)close(env, d, port);
    LockGuard guard{d.lock};
    if (d.fifo) fifo_teardown(env, d);
}

void raise_virq(EvtchnEnv& env, DomainEvents& d, uint32_t virq, uint32_t vcpu)
{
    if (virq >= xen::kNrVirqs) return;
    if (virq_is_global(virq)) vcpu = 0;
    if (vcpu >= d.nr_vcpus) return;
    LockGuard guard{d.lock};
    const uint32_t port = d.vcpu[vcpu].virq_port[virq];
    if (port == 0) return;
    LockGuard deliver{d.deliver};
    set_pending(env, d, port);
}

}  // namespace keel::evtchn
