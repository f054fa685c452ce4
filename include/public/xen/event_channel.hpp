// SPDX-License-Identifier: MIT
//
// include/public/xen/event_channel.hpp
// Owns the event-channel part of the Xen guest ABI as keel defines it
// (AArch64): the EVTCHNOP_* sub-operations of HYPERVISOR_event_channel_op, the
// EVTCHNSTAT_* values, every op struct with its size and offsets asserted, and
// the FIFO ABI (control block, event-word bits). Values and layouts from Xen's
// public event_channel.h (docs: ../shared/docs/xen-arm-guest-abi.md §2.3, §3.3,
// §3.6). Freestanding: no keel headers.
#pragma once
#include <cstddef>
#include <cstdint>

#include "public/xen/xen.hpp"

namespace keel::xen {

// event_channel.h EVTCHNOP_*: arg1 of HYPERVISOR_event_channel_op, arg2 points to the struct.
enum class EvtchnOp : uint64_t {
    BindInterdomain = 0,
    BindVirq = 1,
    BindPirq = 2,
    Close = 3,
    Send = 4,
    Status = 5,
    AllocUnbound = 6,
    BindIpi = 7,
    BindVcpu = 8,
    Unmask = 9,
    Reset = 10,
    InitControl = 11,
    ExpandArray = 12,
    SetPriority = 13,
    ResetCont = 14,
};

// event_channel.h EVTCHNSTAT_*: evtchn_status.status.
enum class EvtchnStat : uint32_t {
    Closed = 0,       // not in use
    Unbound = 1,      // waiting for a bind_interdomain from u.unbound.dom
    Interdomain = 2,  // connected to u.interdomain
    Pirq = 3,
    Virq = 4,
    Ipi = 5,
};

// evtchn_alloc_unbound: a port in `dom` that `remote_dom` may bind to.
struct EvtchnAllocUnbound {
    domid_t dom;          // IN: DOMID_SELF (or the caller's id) for a domU
    domid_t remote_dom;   // IN: DOMID_SELF allowed (loopback)
    evtchn_port_t port;   // OUT
};
static_assert(sizeof(EvtchnAllocUnbound) == 8);
static_assert(offsetof(EvtchnAllocUnbound, remote_dom) == 2);
static_assert(offsetof(EvtchnAllocUnbound, port) == 4);

// evtchn_bind_interdomain: connect to remote_dom's unbound remote_port.
struct EvtchnBindInterdomain {
    domid_t remote_dom;        // IN
    uint8_t pad0[2];
    evtchn_port_t remote_port;  // IN
    evtchn_port_t local_port;   // OUT
};
static_assert(sizeof(EvtchnBindInterdomain) == 12);
static_assert(offsetof(EvtchnBindInterdomain, remote_port) == 4);
static_assert(offsetof(EvtchnBindInterdomain, local_port) == 8);

// evtchn_bind_virq.
struct EvtchnBindVirq {
    uint32_t virq;       // IN: Virq
    uint32_t vcpu;       // IN: global VIRQs only on vCPU 0
    evtchn_port_t port;  // OUT
};
static_assert(sizeof(EvtchnBindVirq) == 12);
static_assert(offsetof(EvtchnBindVirq, port) == 8);

// evtchn_bind_pirq (not supported on ARM).
struct EvtchnBindPirq {
    uint32_t pirq;
    uint32_t flags;      // BIND_PIRQ__WILL_SHARE = 1
    evtchn_port_t port;
};
static_assert(sizeof(EvtchnBindPirq) == 12);

// evtchn_bind_ipi.
struct EvtchnBindIpi {
    uint32_t vcpu;       // IN
    evtchn_port_t port;  // OUT
};
static_assert(sizeof(EvtchnBindIpi) == 8);

// evtchn_close, evtchn_send, evtchn_unmask: just a port.
struct EvtchnClose {
    evtchn_port_t port;
};
struct EvtchnSend {
    evtchn_port_t port;
};
struct EvtchnUnmask {
    evtchn_port_t port;
};
static_assert(sizeof(EvtchnClose) == 4 && sizeof(EvtchnSend) == 4 && sizeof(EvtchnUnmask) == 4);

// evtchn_status.
struct EvtchnStatus {
    domid_t dom;           // IN
    uint8_t pad0[2];
    evtchn_port_t port;    // IN
    uint32_t status;       // OUT: EvtchnStat
    uint32_t vcpu;         // OUT: vCPU notified
    union {
        struct {
            domid_t dom;
        } unbound;          // Unbound: who may bind
        struct {
            domid_t dom;
            uint8_t pad[2];
            evtchn_port_t port;
        } interdomain;      // Interdomain: the peer
        uint32_t pirq;
        uint32_t virq;
    } u;
};
static_assert(sizeof(EvtchnStatus) == 24);
static_assert(offsetof(EvtchnStatus, port) == 4);
static_assert(offsetof(EvtchnStatus, status) == 8);
static_assert(offsetof(EvtchnStatus, vcpu) == 12);
static_assert(offsetof(EvtchnStatus, u) == 16);
static_assert(offsetof(EvtchnStatus, u.interdomain.port) == 20);

// evtchn_bind_vcpu: notify another vCPU from now on.
struct EvtchnBindVcpu {
    evtchn_port_t port;
    uint32_t vcpu;
};
static_assert(sizeof(EvtchnBindVcpu) == 8);

// evtchn_reset.
struct EvtchnReset {
    domid_t dom;
};
static_assert(sizeof(EvtchnReset) == 2);

// evtchn_init_control: register vcpu's FIFO control block (switches the domain to FIFO).
struct EvtchnInitControl {
    uint64_t control_gfn;  // IN
    uint32_t offset;       // IN: 8-aligned, block within the page
    uint32_t vcpu;         // IN
    uint8_t link_bits;     // OUT: kEvtchnFifoLinkBits
    uint8_t pad0[7];
};
static_assert(sizeof(EvtchnInitControl) == 24);
static_assert(offsetof(EvtchnInitControl, offset) == 8);
static_assert(offsetof(EvtchnInitControl, vcpu) == 12);
static_assert(offsetof(EvtchnInitControl, link_bits) == 16);

// evtchn_expand_array: one more event-array page.
struct EvtchnExpandArray {
    uint64_t array_gfn;
};
static_assert(sizeof(EvtchnExpandArray) == 8);

// evtchn_set_priority (FIFO only).
struct EvtchnSetPriority {
    evtchn_port_t port;
    uint32_t priority;
};
static_assert(sizeof(EvtchnSetPriority) == 8);

// FIFO ABI (event_channel.h, "FIFO-based event channel ABI").
using EventWord = uint32_t;  // event_word_t
inline constexpr uint32_t kEvtchnFifoPending = 31;  // EVTCHN_FIFO_PENDING (bit numbers)
inline constexpr uint32_t kEvtchnFifoMasked = 30;
inline constexpr uint32_t kEvtchnFifoLinked = 29;
inline constexpr uint32_t kEvtchnFifoBusy = 28;
inline constexpr uint32_t kEvtchnFifoLinkBits = 17;
inline constexpr uint32_t kEvtchnFifoLinkMask = (1u << kEvtchnFifoLinkBits) - 1;
inline constexpr uint32_t kEvtchnFifoPriorityMax = 0;
inline constexpr uint32_t kEvtchnFifoPriorityDefault = 7;
inline constexpr uint32_t kEvtchnFifoPriorityMin = 15;
inline constexpr uint32_t kEvtchnFifoMaxQueues = kEvtchnFifoPriorityMin + 1;
inline constexpr uint32_t kEvtchnFifoWordsPerPage = 4096 / sizeof(EventWord);

// evtchn_fifo_control_block: one per vCPU, in a guest page.
struct EvtchnFifoControlBlock {
    uint32_t ready;                       // bit q: queue q is not empty
    uint32_t rsvd;
    uint32_t head[kEvtchnFifoMaxQueues];  // written by the hypervisor when linking into an empty queue
};
static_assert(sizeof(EvtchnFifoControlBlock) == 72);
static_assert(offsetof(EvtchnFifoControlBlock, head) == 8);

}  // namespace keel::xen
