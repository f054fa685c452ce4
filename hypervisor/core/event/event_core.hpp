// SPDX-License-Identifier: MIT
//
// core/event/event_core.hpp
// Owns the pure event-channel operations over DomainEvents (event_state.hpp):
// what each EVTCHNOP does, how an event is delivered (2-level or FIFO), vcpu_info
// registration and the pending check of SCHEDOP_poll. Every machine effect goes
// through an EvtchnEnv, so host tests run all of it. The hypercall decoding, the
// target EvtchnEnv and blocking live in event_channel.cpp / event_poll.cpp.
//
// Semantics follow Xen 4.17 (xen/common/event_channel.c, event_2l.c,
// event_fifo.c); every function takes the locks it needs (event_state.hpp).
#pragma once
#include <cstdint>

#include "core/event/event_state.hpp"
#include "lib/result.hpp"
#include "public/xen/event_channel.hpp"

namespace keel::evtchn {

// ---- the port table (port_table.cpp) ----

/// Sets up d (constructed, zeroed) for domain `domid` with `nr_vcpus` vCPUs
/// (vcpus[i]: opaque Vcpu pointers): 2-level ABI, port 0 reserved.
Result<void> init(EvtchnEnv& env, DomainEvents& d, uint16_t domid, void* owner,
                  uint32_t nr_vcpus, void* const* vcpus);
/// Ports the current ABI can address: 4096 (2-level) or kEvtchnMaxPorts (FIFO).
uint32_t max_ports(const DomainEvents& d);
/// The port when it exists (allocated bucket, below max_ports), else nullptr.
EvtchnPort* port_of(DomainEvents& d, uint32_t port);
/// The lowest free port (d.lock held), buckets allocated on demand; NoSpc when full.
Result<uint32_t> alloc_port(EvtchnEnv& env, DomainEvents& d);
/// `port` itself (d.lock held), buckets allocated up to it: Inval for port 0 or
/// beyond max_ports, Exist when it is in use.
Result<EvtchnPort*> claim_port(EvtchnEnv& env, DomainEvents& d, uint32_t port);
/// Back to Free: pending cleared, notify vCPU 0 (d.lock held).
void free_port(EvtchnEnv& env, DomainEvents& d, uint32_t port);
/// Gives the buckets back (teardown, nothing else uses d any more).
void free_buckets(EvtchnEnv& env, DomainEvents& d);

// ---- delivery (event_deliver.cpp, event_2l.cpp, event_fifo.cpp); d.deliver held ----

/// The vcpu_info keel writes for `vcpu`: the registered one, else vCPU 0's in
/// shared_info, else a keel-internal dummy.
xen::VcpuInfo* vcpu_info(EvtchnEnv& env, DomainEvents& d, uint32_t vcpu);
/// Sets evtchn_upcall_pending; raises the upcall when it was 0 (ABI §1.5).
void mark_upcall(EvtchnEnv& env, DomainEvents& d, uint32_t vcpu);
/// Makes `port` pending on its notify vCPU (2-level or FIFO rules), wakes pollers.
void set_pending(EvtchnEnv& env, DomainEvents& d, uint32_t port);
void clear_pending(EvtchnEnv& env, DomainEvents& d, uint32_t port);
bool is_pending(EvtchnEnv& env, DomainEvents& d, uint32_t port);
bool is_masked(EvtchnEnv& env, DomainEvents& d, uint32_t port);
/// Clears the mask and re-raises the port when it is pending.
void unmask(EvtchnEnv& env, DomainEvents& d, uint32_t port);
/// Wakes the vCPUs blocked in SCHEDOP_poll on `port` (or on any port).
void check_pollers(EvtchnEnv& env, DomainEvents& d, uint32_t port);

void l2_set_pending(EvtchnEnv& env, DomainEvents& d, uint32_t port);
void l2_clear_pending(EvtchnEnv& env, DomainEvents& d, uint32_t port);
bool l2_is_pending(EvtchnEnv& env, DomainEvents& d, uint32_t port);
bool l2_is_masked(EvtchnEnv& env, DomainEvents& d, uint32_t port);
void l2_unmask(EvtchnEnv& env, DomainEvents& d, uint32_t port);

void fifo_set_pending(EvtchnEnv& env, DomainEvents& d, uint32_t port);
void fifo_clear_pending(DomainEvents& d, uint32_t port);
bool fifo_is_pending(DomainEvents& d, uint32_t port);
bool fifo_is_masked(DomainEvents& d, uint32_t port);
void fifo_unmask(EvtchnEnv& env, DomainEvents& d, uint32_t port);
/// The event word of `port`, or nullptr when its array page does not exist yet.
xen::EventWord* fifo_word(DomainEvents& d, uint32_t port);

/// EVTCHNOP_init_control: NoEnt (vcpu), Inval (offset, twice, not RAM).
Result<void> init_control(EvtchnEnv& env, DomainEvents& d, uint64_t gfn, uint32_t offset,
                          uint32_t vcpu);
/// EVTCHNOP_expand_array: OpNotSupp (2-level), NoSpc (full), Inval (not RAM).
Result<void> expand_array(EvtchnEnv& env, DomainEvents& d, uint64_t gfn);
/// Unmaps control blocks and the event array; back to 2-level (d.lock held).
void fifo_teardown(EvtchnEnv& env, DomainEvents& d);

// ---- the operations (event_ops.cpp) ----

struct PortStatus {
    xen::EvtchnStat status = xen::EvtchnStat::Closed;
    uint32_t vcpu = 0;
    uint16_t dom = 0;    // Unbound / Interdomain
    uint32_t port = 0;   // Interdomain
    uint32_t virq = 0;   // Virq
};

/// A new port of d that domain `remote` may bind to (d.domid for loopback).
Result<uint32_t> alloc_unbound(EvtchnEnv& env, DomainEvents& d, uint16_t remote);
/// Binds a new port of `local` to `remote`'s unbound `remote_port` (remote may be
/// local); the new port is set pending. The caller keeps `remote` alive.
Result<uint32_t> bind_interdomain(EvtchnEnv& env, DomainEvents& local, DomainEvents& remote,
                                  uint32_t remote_port);
/// Binds the (unbound, unused) ports port_a of a and port_b of b to each other
/// (Xen's `xen,evtchn` DT binding, at build time): Inval for a bad port, Exist for a used one.
Result<void> bind_pair(EvtchnEnv& env, DomainEvents& a, uint32_t port_a, DomainEvents& b,
                       uint32_t port_b);
Result<uint32_t> bind_virq(EvtchnEnv& env, DomainEvents& d, uint32_t virq, uint32_t vcpu);
Result<uint32_t> bind_ipi(EvtchnEnv& env, DomainEvents& d, uint32_t vcpu);
/// Closes a port; an interdomain peer goes back to unbound (for d).
Result<void> close(EvtchnEnv& env, DomainEvents& d, uint32_t port);
Result<void> send(EvtchnEnv& env, DomainEvents& d, uint32_t port);
Result<PortStatus> status(EvtchnEnv& env, DomainEvents& d, uint32_t port);
Result<void> unmask_port(EvtchnEnv& env, DomainEvents& d, uint32_t port);
Result<void> bind_vcpu(EvtchnEnv& env, DomainEvents& d, uint32_t port, uint32_t vcpu);
Result<void> set_priority(EvtchnEnv& env, DomainEvents& d, uint32_t port, uint32_t priority);
/// Closes every port and returns to the 2-level ABI.
void reset(EvtchnEnv& env, DomainEvents& d);
/// Raises `virq` (global VIRQs: vCPU 0's binding) if bound.
void raise_virq(EvtchnEnv& env, DomainEvents& d, uint32_t virq, uint32_t vcpu);
/// True for VIRQs bound on vCPU 0 only (Xen's virq_is_global; ARM: arch VIRQs too).
bool virq_is_global(uint32_t virq);

// ---- vCPUs (event_vcpu.cpp) ----

/// VCPUOP_register_vcpu_info for `vcpu`: NxIo (alignment, page crossing), Inval
/// (twice, as Xen 4.17; not RAM). Copies the old vcpu_info in, then marks every
/// selector bit and the upcall pending and raises it (ABI §1.4 step 15).
Result<void> register_vcpu_info(EvtchnEnv& env, DomainEvents& d, uint32_t vcpu, uint64_t gfn,
                                uint32_t offset);
/// Whether `vcpu` has an upcall pending (what SCHEDOP_poll returns early for).
bool upcall_pending(EvtchnEnv& env, DomainEvents& d, uint32_t vcpu);
/// SCHEDOP_poll's check: Inval for a port beyond the ABI's range, else whether it is pending.
Result<bool> poll_port_pending(EvtchnEnv& env, DomainEvents& d, uint32_t port);
/// Domain end: closes every port (peers see the close), unmaps every page,
/// frees the buckets. Nothing of d runs any more.
void teardown(EvtchnEnv& env, DomainEvents& d);

}  // namespace keel::evtchn
