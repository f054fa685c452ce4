// SPDX-License-Identifier: MIT
//
// core/event/event_target.cpp
// Owns the target EvtchnEnv declared in event_target.hpp.
#include "core/event/event_target.hpp"

#include "arch/arm64/smp/ipi.hpp"
#include "arch/arm64/vgic/vgic.hpp"
#include "core/domain/domain.hpp"
#include "core/domain/object_heap.hpp"
#include "core/domain/vcpu.hpp"
#include "core/memory/guest_map.hpp"
#include "core/memory/memory_op.hpp"
#include "core/sched/schedule.hpp"

namespace keel {
namespace {

Vcpu* vcpu_of(DomainEvents& d, uint32_t vcpu)
{
    return vcpu < d.nr_vcpus ? static_cast<Vcpu*>(d.vcpu[vcpu].vcpu) : nullptr;
}

}  // namespace

xen::SharedInfo* TargetEvtchnEnv::shared_info(DomainEvents& d)
{
    return owner_of(d).shared_info != nullptr ? domain_shared_info(owner_of(d)) : nullptr;
}

void TargetEvtchnEnv::raise_upcall(DomainEvents& d, uint32_t vcpu)
{
    // The vGIC keeps the PPI pending while the guest has it disabled, so an
    // upcall raised before Linux enables its "events" interrupt is not lost.
    if (Vcpu* v = vcpu_of(d, vcpu)) vgic_inject(*v, owner_of(d).evtchn_ppi);
}

void TargetEvtchnEnv::wake_poller(DomainEvents& d, uint32_t vcpu)
{
    if (Vcpu* v = vcpu_of(d, vcpu)) {
        d.vcpu[vcpu].poll_port.store(0, std::memory_order_relaxed);
        vcpu_wake(*v);
    }
}

Result<GuestPage> TargetEvtchnEnv::map_page(DomainEvents& d, uint64_t gfn)
{
    const GuestMap m = KEEL_TRY(guest_map_page(owner_of(d), gfn, true));
    return GuestPage{m.va, m.mfn.raw()};
}

void TargetEvtchnEnv::unmap_page(DomainEvents&, GuestPage& page)
{
    if (page.va == nullptr) return;
    GuestMap m{page.va, Mfn{page.cookie}};
    guest_unmap_page(m);
    page = {};
}

void* TargetEvtchnEnv::alloc_zeroed(size_t bytes) { return alloc_object_frames(bytes); }

void TargetEvtchnEnv::free_zeroed(void* p, size_t bytes) { free_object_frames(p, bytes); }

bool TargetEvtchnEnv::hold(DomainEvents& d)
{
    for (DomainRef& r : held_) {
        if (r) continue;
        r = domain_ref(d.domid);
        return static_cast<bool>(r);
    }
    return false;
}

void TargetEvtchnEnv::release(DomainEvents& d)
{
    for (DomainRef& r : held_) {
        if (r && r->id == d.domid) {
            r.reset();
            return;
        }
    }
}

void TargetEvtchnEnv::relax()
{
    arm64::do_pending_work();  // the dying peer's CPU may be waiting for a call from us
}

}  // namespace keel
