// SPDX-License-Identifier: MIT
//
// core/event/port_table.cpp
// Owns one domain's event-channel port table: buckets of kEvtchnPortsPerBucket
// ports allocated on demand from the environment, lowest-free-port allocation
// (as Xen's get_free_port), port 0 reserved, and freeing a port. Pure.
#include <new>

#include "core/event/event_core.hpp"

namespace keel::evtchn {
namespace {

constexpr size_t kBucketBytes = sizeof(EvtchnPort) * kEvtchnPortsPerBucket;

Result<void> add_bucket(EvtchnEnv& env, DomainEvents& d)
{
    const uint32_t valid = d.valid_ports.load(std::memory_order_relaxed);
    const uint32_t b = valid / kEvtchnPortsPerBucket;
    if (b >= kEvtchnBuckets) return Errno::NoSpc;
    void* mem = env.alloc_zeroed(kBucketBytes);
    if (mem == nullptr) return Errno::NoMem;
    auto* ports = static_cast<EvtchnPort*>(mem);
    for (uint32_t i = 0; i < kEvtchnPortsPerBucket; ++i) new (&ports[i]) EvtchnPort{};
    d.bucket[b] = ports;
    // Readers check valid_ports before they look at a bucket.
    d.valid_ports.store(valid + kEvtchnPortsPerBucket, std::memory_order_release);
    return {};
}

}  // namespace

Result<void> init(EvtchnEnv& env, DomainEvents& d, uint16_t domid, void* owner, uint32_t nr_vcpus,
                  void* const* vcpus)
{
    d.domid = domid;
    d.owner = owner;
    d.nr_vcpus = nr_vcpus < kMaxVcpusPerDomain ? nr_vcpus : kMaxVcpusPerDomain;
    for (uint32_t i = 0; i < d.nr_vcpus; ++i) {
        d.vcpu[i].id = i;
        d.vcpu[i].vcpu = vcpus != nullptr ? vcpus[i] : nullptr;
    }
    LockGuard guard{d.lock};
    KEEL_TRY(add_bucket(env, d));
    d.bucket[0][0].state = PortState::Reserved;  // xen/common/event_channel.c evtchn_init
    return {};
}

uint32_t max_ports(const DomainEvents& d)
{
    return d.fifo ? kEvtchnMaxPorts : xen::kEvtchn2lNrChannels;
}

EvtchnPort* port_of(DomainEvents& d, uint32_t port)
{
    if (port >= max_ports(d) || port >= d.valid_ports.load(std::memory_order_acquire))
        return nullptr;
    return &d.bucket[port / kEvtchnPortsPerBucket][port % kEvtchnPortsPerBucket];
}

Result<uint32_t> alloc_port(EvtchnEnv& env, DomainEvents& d)
{
    if (d.dying) return Errno::Inval;
    const uint32_t limit = max_ports(d);
    for (uint32_t port = 0; port < limit && port <= d.max_port; ++port) {
        if (port >= d.valid_ports.load(std::memory_order_relaxed)) KEEL_TRY(add_bucket(env, d));
        EvtchnPort& p = d.bucket[port / kEvtchnPortsPerBucket][port % kEvtchnPortsPerBucket];
        if (p.state == PortState::Free) {
            p.priority = static_cast<uint8_t>(xen::kEvtchnFifoPriorityDefault);
            return port;
        }
    }
    return Errno::NoSpc;
}

Result<EvtchnPort*> claim_port(EvtchnEnv& env, DomainEvents& d, uint32_t port)
{
    if (port == 0 || port >= max_ports(d) || port > d.max_port || d.dying) return Errno::Inval;
    while (port >= d.valid_ports.load(std::memory_order_relaxed)) KEEL_TRY(add_bucket(env, d));
    EvtchnPort* p = port_of(d, port);
    if (p->state != PortState::Free) return Errno::Exist;
    p->priority = static_cast<uint8_t>(xen::kEvtchnFifoPriorityDefault);
    return p;
}

void free_port(EvtchnEnv& env, DomainEvents& d, uint32_t port)
{
    EvtchnPort* p = port_of(d, port);
    if (p == nullptr) return;
    LockGuard guard{d.deliver};
    clear_pending(env, d, port);  // a re-bound port starts clean (Xen's evtchn_free)
    p->state = PortState::Free;
    p->notify_vcpu = 0;
    p->peer = nullptr;
    p->peer_port = 0;
    p->virq = 0;
    p->remote_domid = 0;
    p->fifo_pending = false;
}

void free_buckets(EvtchnEnv& env, DomainEvents& d)
{
    const uint32_t n = d.valid_ports.load(std::memory_order_relaxed) / kEvtchnPortsPerBucket;
    d.valid_ports.store(0, std::memory_order_release);
    for (uint32_t b = 0; b < n; ++b) {
        env.free_zeroed(d.bucket[b], kBucketBytes);
        d.bucket[b] = nullptr;
    }
}

}  // namespace keel::evtchn
