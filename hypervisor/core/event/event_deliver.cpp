// SPDX-License-Identifier: MIT
//
// core/event/event_deliver.cpp
// Owns what delivery shares between the two ABIs: which vcpu_info a vCPU's
// upcall goes to, marking the upcall (xen/arch/arm/domain.c
// vcpu_mark_events_pending: test-and-set evtchn_upcall_pending, inject the PPI
// only on 0 -> 1), waking SCHEDOP_poll waiters, and the dispatch to the
// 2-level or FIFO rules. Pure; callers hold d.deliver.
#include "core/event/event_atomic.hpp"
#include "core/event/event_core.hpp"

namespace keel::evtchn {

namespace ea = evtchn_atomic;

xen::VcpuInfo* vcpu_info(EvtchnEnv& env, DomainEvents& d, uint32_t vcpu)
{
    VcpuEvents& ve = d.vcpu[vcpu < kMaxVcpusPerDomain ? vcpu : 0];
    if (ve.registered != nullptr) return ve.registered;
    if (ve.id == 0) {
        xen::SharedInfo* s = env.shared_info(d);
        if (s != nullptr) return &s->vcpu_info[0];
    }
    return &ve.dummy;
}

void mark_upcall(EvtchnEnv& env, DomainEvents& d, uint32_t vcpu)
{
    if (vcpu >= d.nr_vcpus) return;
    xen::VcpuInfo* vi = vcpu_info(env, d, vcpu);
    if (ea::exchange<uint8_t>(&vi->evtchn_upcall_pending, 1) == 0) env.raise_upcall(d, vcpu);
}

void check_pollers(EvtchnEnv& env, DomainEvents& d, uint32_t port)
{
    uint32_t mask = d.pollers.load(std::memory_order_seq_cst);
    while (mask != 0) {
        const auto v = static_cast<uint32_t>(__builtin_ctz(mask));
        mask &= mask - 1;
        const uint32_t want = d.vcpu[v].poll_port.load(std::memory_order_relaxed);
        if (want != 0 && want != port) continue;
        const uint32_t bit = 1u << v;
        if ((d.pollers.fetch_and(~bit, std::memory_order_seq_cst) & bit) != 0)
            env.wake_poller(d, v);
    }
}

void set_pending(EvtchnEnv& env, DomainEvents& d, uint32_t port)
{
    if (d.fifo) {
        fifo_set_pending(env, d, port);
    } else {
        l2_set_pending(env, d, port);
    }
}

void clear_pending(EvtchnEnv& env, DomainEvents& d, uint32_t port)
{
    if (d.fifo) {
        fifo_clear_pending(d, port);
    } else {
        l2_clear_pending(env, d, port);
    }
}

bool is_pending(EvtchnEnv& env, DomainEvents& d, uint32_t port)
{
    return d.fifo ? fifo_is_pending(d, port) : l2_is_pending(env, d, port);
}

bool is_masked(EvtchnEnv& env, DomainEvents& d, uint32_t port)
{
    return d.fifo ? fifo_is_masked(d, port) : l2_is_masked(env, d, port);
}

void unmask(EvtchnEnv& env, DomainEvents& d, uint32_t port)
{
    if (d.fifo) {
        fifo_unmask(env, d, port);
    } else {
        l2_unmask(env, d, port);
    }
}

}  // namespace keel::evtchn
