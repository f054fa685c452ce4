// SPDX-License-Identifier: MIT
//
// guests/common/xen.hpp
// Owns a test guest's side of the Xen guest ABI (../shared/docs/xen-arm-guest-abi.md):
// the hypercall instruction (HVC #0xEA1, number in x16, arguments x0-x4, result
// x0, §2.1), thin wrappers per hypercall, and the helpers the Xen test guests
// share: shared_info and grant-table frame mapping (XENMEM_add_to_physmap, §1.4),
// grant entries v1 (§3.4), event-channel send/bind/unmask, the 2-level pending
// and mask bitmaps (§3.2), a minimal upcall handler on PPI 31 (§1.5) and
// polling helpers. The guests run with their MMU off, so a pointer argument (a
// guest virtual address) is its guest-physical address.
#pragma once
#include <cstdint>

#include "public/xen/xen.hpp"
#include "xen_abi_local.hpp"

namespace guest::xen {

/// One hypercall. The compiler is told x0-x4 and x16 may change (Xen debug builds
/// clobber the argument and number registers, §2.1).
inline long hypercall(uint64_t nr, uint64_t a0 = 0, uint64_t a1 = 0, uint64_t a2 = 0, uint64_t a3 = 0,
                      uint64_t a4 = 0)
{
    register uint64_t x0 asm("x0") = a0;
    register uint64_t x1 asm("x1") = a1;
    register uint64_t x2 asm("x2") = a2;
    register uint64_t x3 asm("x3") = a3;
    register uint64_t x4 asm("x4") = a4;
    register uint64_t x16 asm("x16") = nr;
    asm volatile("hvc #0xea1"
                 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4), "+r"(x16)
                 :
                 : "memory");
    return static_cast<long>(x0);
}

inline uint64_t ptr(const volatile void* p) { return reinterpret_cast<uint64_t>(p); }
inline uint64_t gfn_of(const volatile void* p) { return ptr(p) >> 12; }

// Wrappers (argument shapes of §2.2).
inline long xen_version(uint64_t cmd, void* arg) { return hypercall(xa::kHcXenVersion, cmd, ptr(arg)); }
inline long memory_op(uint64_t cmd, void* arg) { return hypercall(xa::kHcMemoryOp, cmd, ptr(arg)); }
inline long grant_table_op(uint64_t cmd, void* arg, uint32_t count)
{
    return hypercall(xa::kHcGrantTableOp, cmd, ptr(arg), count);
}
inline long event_channel_op(uint64_t cmd, void* arg) { return hypercall(xa::kHcEventChannelOp, cmd, ptr(arg)); }
inline long vcpu_op(uint64_t cmd, uint32_t vcpu, void* arg) { return hypercall(xa::kHcVcpuOp, cmd, vcpu, ptr(arg)); }
inline long sched_op(uint64_t cmd, void* arg) { return hypercall(xa::kHcSchedOp, cmd, ptr(arg)); }
inline long hvm_op(uint64_t op, void* arg) { return hypercall(xa::kHcHvmOp, op, ptr(arg)); }

// ---- memory
/// XENMEM_add_to_physmap(shared_info, idx 0) at `page`'s GFN; the page's RAM is gone.
long map_shared_info(void* page);
/// The shared_info page mapped last by map_shared_info (nullptr before).
keel::xen::SharedInfo* shared_info();
/// XENMEM_add_to_physmap(grant_table, idx i) at gfn + i for i = nr-1 .. 0 (Linux's order).
long map_grant_frames(uint64_t gfn, uint32_t nr);
/// XENMEM_decrease_reservation / populate_physmap of one page (order 0, DOMID_SELF);
/// return the number of extents done or -errno.
long decrease_one(uint64_t gfn);
long populate_one(uint64_t gfn);

// ---- grant table v1 (frames mapped by map_grant_frames, or told with grant_table_at);
// every helper is a no-op (flags 0xffff) before that
void grant_table_at(uint64_t gpa);
xa::GrantEntryV1* grant_entry(uint32_t ref);
/// Writes domid and frame, a barrier, then flags (permit_access [| readonly]).
void grant_access(uint32_t ref, xa::domid_t domid, uint64_t gfn, bool readonly);
/// Revokes `ref` unless it is mapped (GTF_reading/GTF_writing): true when revoked.
bool grant_end(uint32_t ref);
uint16_t grant_flags(uint32_t ref);

// ---- event channels
long evtchn_send(uint32_t port);
long evtchn_unmask(uint32_t port);
long evtchn_close(uint32_t port);
long evtchn_alloc_unbound(xa::domid_t remote, uint32_t* port);
long evtchn_bind_interdomain(xa::domid_t remote, uint32_t remote_port, uint32_t* local_port);
// 2-level bitmaps in shared_info (atomic 64-bit word operations); no-ops (false)
// while no shared_info is mapped.
bool evtchn_pending(uint32_t port);
bool evtchn_test_and_clear_pending(uint32_t port);
void evtchn_clear_pending(uint32_t port);
void evtchn_mask(uint32_t port);
void evtchn_clear_mask(uint32_t port);
bool evtchn_masked(uint32_t port);

// ---- upcall (2-level): PPI 31 (GUEST_EVTCHN_PPI); the caller has brought the GIC up.
using EvtchnHandler = void (*)(uint32_t port);
/// Installs the PPI 31 handler: it clears evtchn_upcall_pending, takes the
/// selector, and for every pending unmasked port clears the pending bit and calls
/// `fn`. `vcpu_info` is the registered vcpu_info (nullptr: shared_info's vcpu_info[0]).
void upcall_init(EvtchnHandler fn, keel::xen::VcpuInfo* vcpu_info);
/// Upcall interrupts taken so far, and ports handled.
uint32_t upcalls();
uint32_t upcall_events();
/// The scan itself (what the interrupt does), for polling with IRQs masked.
uint32_t upcall_scan();

// ---- polling
/// SCHEDOP_poll on `nr` ports; timeout is Xen system time (ns), 0 = none.
long sched_poll(uint32_t* ports, uint32_t nr, uint64_t timeout);
/// Spins until `port` is pending in shared_info (then clears it) or `timeout_us` passes.
bool wait_pending(uint32_t port, uint64_t timeout_us);

}  // namespace guest::xen
