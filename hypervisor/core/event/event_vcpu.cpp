// SPDX-License-Identifier: MIT
//
// core/event/event_vcpu.cpp
// Owns the per-vCPU side of events and a domain's end: vcpu_info registration
// (VCPUOP_register_vcpu_info; xen/common/domain.c map_vcpu_info), the checks
// SCHEDOP_poll makes before it blocks, and teardown (every port closed, every
// long-lived guest map released, buckets freed). Pure.
#include "core/event/event_atomic.hpp"
#include "core/event/event_core.hpp"

namespace keel::evtchn {

namespace ea = evtchn_atomic;

Result<void> register_vcpu_info(EvtchnEnv& env, DomainEvents& d, uint32_t vcpu, uint64_t gfn,
                                uint32_t offset)
{
    if (vcpu >= d.nr_vcpus) return Errno::NoEnt;
    // keel updates it with 8-byte atomics: aligned and inside one page (ABI §3.1).
    if ((offset & 7) != 0 || offset > 4096 - sizeof(xen::VcpuInfo)) return Errno::NxIo;
    LockGuard guard{d.lock};
    VcpuEvents& ve = d.vcpu[vcpu];
    if (ve.registered != nullptr) return Errno::Inval;  // Xen 4.17 (newer: -EBUSY)
    auto page = env.map_page(d, gfn);
    if (!page.ok()) return Errno::Inval;

    LockGuard deliver{d.deliver};
    void* at = static_cast<uint8_t*>(page.value().va) + offset;  // 8-aligned (checked)
    auto* info = static_cast<xen::VcpuInfo*>(at);
    const xen::VcpuInfo* old = vcpu_info(env, d, vcpu);
    ea::store(&info->evtchn_pending_sel, ea::load(&old->evtchn_pending_sel));
    info->time = old->time;
    ve.info_page = page.value();
    ve.registered = info;
    // Whatever was pending in the old place must not get lost: everything is
    // marked pending and the upcall raised; the guest copes with a spurious one.
    ea::store<xen::xen_ulong_t>(&info->evtchn_pending_sel, ~xen::xen_ulong_t{0});
    ea::store<uint8_t>(&info->evtchn_upcall_pending, 1);
    env.raise_upcall(d, vcpu);
    return {};
}

bool upcall_pending(EvtchnEnv& env, DomainEvents& d, uint32_t vcpu)
{
    LockGuard deliver{d.deliver};
    return ea::load(&vcpu_info(env, d, vcpu)->evtchn_upcall_pending) != 0;
}

Result<bool> poll_port_pending(EvtchnEnv& env, DomainEvents& d, uint32_t port)
{
    if (port >= max_ports(d)) return Errno::Inval;
    LockGuard deliver{d.deliver};
    return is_pending(env, d, port);
}

void teardown(EvtchnEnv& env, DomainEvents& d)
{
    {
        LockGuard guard{d.lock};
        d.dying = true;  // no new ports, no new binds to ours
    }
    const uint32_t n = d.valid_ports.load(std::memory_order_acquire);
    for (uint32_t port = 1; port < n; ++port) (void)close(env, d, port);
    {
        LockGuard guard{d.lock};
        fifo_teardown(env, d);
        LockGuard deliver{d.deliver};
        for (VcpuEvents& ve : d.vcpu) {
            if (ve.registered != nullptr) env.unmap_page(d, ve.info_page);
            ve.registered = nullptr;
            ve.info_page = {};
        }
    }
    free_buckets(env, d);
}

}  // namespace keel::evtchn
