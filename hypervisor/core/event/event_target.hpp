// SPDX-License-Identifier: MIT
//
// core/event/event_target.hpp
// Owns the target's EvtchnEnv: upcalls are the event PPI injected through the
// vGIC, poll wake-ups are vcpu_wake, guest pages are long-lived guest_map_page
// maps, buckets come from the heap pool, and peers are kept alive across a
// lock drop with DomainRefs. One lives on the stack of each operation (it holds
// the references it took). Target only.
#pragma once
#include "core/domain/domain_ref.hpp"
#include "core/event/event_core.hpp"

namespace keel {

class TargetEvtchnEnv final : public EvtchnEnv {
public:
    TargetEvtchnEnv() = default;
    TargetEvtchnEnv(const TargetEvtchnEnv&) = delete;
    TargetEvtchnEnv& operator=(const TargetEvtchnEnv&) = delete;
    ~TargetEvtchnEnv() = default;

    xen::SharedInfo* shared_info(DomainEvents& d) override;
    void raise_upcall(DomainEvents& d, uint32_t vcpu) override;
    void wake_poller(DomainEvents& d, uint32_t vcpu) override;
    Result<GuestPage> map_page(DomainEvents& d, uint64_t gfn) override;
    void unmap_page(DomainEvents& d, GuestPage& page) override;
    void* alloc_zeroed(size_t bytes) override;
    void free_zeroed(void* p, size_t bytes) override;
    bool hold(DomainEvents& d) override;
    void release(DomainEvents& d) override;
    void relax() override;

private:
    static constexpr int kHeld = 2;  // close() holds at most one peer at a time
    DomainRef held_[kHeld];
};

inline Domain& owner_of(DomainEvents& d) { return *static_cast<Domain*>(d.owner); }

struct Vcpu;
/// SCHEDOP_poll's timeout timer of v (event_poll.cpp): bound at domain init;
/// cancelled at destroy on the CPU that holds it (false: that CPU did not answer).
void evtchn_poll_timer_init(Vcpu& v);
bool evtchn_poll_timer_teardown(Vcpu& v);

}  // namespace keel
