// SPDX-License-Identifier: MIT
//
// guests/common/xen.cpp
// Owns the Xen helpers of xen.hpp: shared_info and grant frames, grant entries,
// event-channel calls, 2-level bitmaps and the PPI 31 upcall handler.
#include "xen.hpp"

#include "arch.hpp"
#include "exceptions.hpp"
#include "gic.hpp"
#include "timer.hpp"

namespace guest::xen {
namespace {

constinit keel::xen::SharedInfo* g_shared = nullptr;
constinit xa::GrantEntryV1* g_gnttab = nullptr;
constinit keel::xen::VcpuInfo* g_vcpu_info = nullptr;
constinit EvtchnHandler g_handler = nullptr;
constinit volatile uint32_t g_upcalls = 0;
constinit volatile uint32_t g_events = 0;

uint64_t* word(volatile uint64_t* base, uint32_t port) { return const_cast<uint64_t*>(base + port / 64); }
uint64_t bit(uint32_t port) { return uint64_t{1} << (port % 64); }

void on_upcall(uint32_t)
{
    g_upcalls = g_upcalls + 1;
    (void)upcall_scan();
}

}  // namespace

long map_shared_info(void* page)
{
    xa::AddToPhysmap a{};
    a.domid = xa::kDomidSelf;
    a.space = xa::kMapspaceSharedInfo;
    a.idx = 0;
    a.gpfn = gfn_of(page);
    const long rc = memory_op(xa::kMemAddToPhysmap, &a);
    if (rc == 0) g_shared = static_cast<keel::xen::SharedInfo*>(page);
    return rc;
}

keel::xen::SharedInfo* shared_info() { return g_shared; }

long map_grant_frames(uint64_t gfn, uint32_t nr)
{
    for (uint32_t i = nr; i-- > 0;) {
        xa::AddToPhysmap a{};
        a.domid = xa::kDomidSelf;
        a.space = xa::kMapspaceGrantTable;
        a.idx = i;
        a.gpfn = gfn + i;
        const long rc = memory_op(xa::kMemAddToPhysmap, &a);
        if (rc != 0) return rc;
    }
    grant_table_at(gfn << 12);
    return 0;
}

namespace {
long one_extent(uint64_t cmd, uint64_t gfn)
{
    static_assert(sizeof(xa::MemoryReservation) == 32);
    volatile uint64_t list[1] = {gfn};
    xa::MemoryReservation r{};
    r.extent_start = ptr(list);
    r.nr_extents = 1;
    r.extent_order = 0;
    r.domid = xa::kDomidSelf;
    return memory_op(cmd, &r);
}
}  // namespace

long decrease_one(uint64_t gfn) { return one_extent(xa::kMemDecreaseReservation, gfn); }
long populate_one(uint64_t gfn) { return one_extent(xa::kMemPopulatePhysmap, gfn); }

void grant_table_at(uint64_t gpa) { g_gnttab = reinterpret_cast<xa::GrantEntryV1*>(gpa); }

xa::GrantEntryV1* grant_entry(uint32_t ref) { return g_gnttab == nullptr ? nullptr : g_gnttab + ref; }

void grant_access(uint32_t ref, xa::domid_t domid, uint64_t gfn, bool readonly)
{
    if (g_gnttab == nullptr) return;
    volatile xa::GrantEntryV1* e = grant_entry(ref);
    e->domid = domid;
    e->frame = static_cast<uint32_t>(gfn);
    dmb();
    e->flags = static_cast<uint16_t>(xa::kGtfPermitAccess | (readonly ? xa::kGtfReadonly : 0));
    dmb();
}

uint16_t grant_flags(uint32_t ref)
{
    if (g_gnttab == nullptr) return 0xffff;
    return __atomic_load_n(&grant_entry(ref)->flags, __ATOMIC_ACQUIRE);
}

bool grant_end(uint32_t ref)
{
    if (g_gnttab == nullptr) return false;
    uint16_t* flags = &grant_entry(ref)->flags;
    uint16_t old = __atomic_load_n(flags, __ATOMIC_ACQUIRE);
    for (;;) {
        if ((old & (xa::kGtfReading | xa::kGtfWriting)) != 0) return false;
        if (__atomic_compare_exchange_n(flags, &old, uint16_t{0}, false, __ATOMIC_ACQ_REL,
                                        __ATOMIC_ACQUIRE))
            return true;
    }
}

long evtchn_send(uint32_t port)
{
    xa::EvtchnPort p{port};
    return event_channel_op(xa::kEvtchnSend, &p);
}

long evtchn_unmask(uint32_t port)
{
    xa::EvtchnPort p{port};
    return event_channel_op(xa::kEvtchnUnmask, &p);
}

long evtchn_close(uint32_t port)
{
    xa::EvtchnPort p{port};
    return event_channel_op(xa::kEvtchnClose, &p);
}

long evtchn_alloc_unbound(xa::domid_t remote, uint32_t* port)
{
    xa::EvtchnAllocUnbound a{xa::kDomidSelf, remote, 0};
    const long rc = event_channel_op(xa::kEvtchnAllocUnbound, &a);
    if (rc == 0 && port != nullptr) *port = a.port;
    return rc;
}

long evtchn_bind_interdomain(xa::domid_t remote, uint32_t remote_port, uint32_t* local_port)
{
    xa::EvtchnBindInterdomain b{};
    b.remote_dom = remote;
    b.remote_port = remote_port;
    const long rc = event_channel_op(xa::kEvtchnBindInterdomain, &b);
    if (rc == 0 && local_port != nullptr) *local_port = b.local_port;
    return rc;
}

bool evtchn_pending(uint32_t port)
{
    if (g_shared == nullptr) return false;
    return (__atomic_load_n(word(g_shared->evtchn_pending, port), __ATOMIC_ACQUIRE) & bit(port)) != 0;
}

bool evtchn_test_and_clear_pending(uint32_t port)
{
    if (g_shared == nullptr) return false;
    return (__atomic_fetch_and(word(g_shared->evtchn_pending, port), ~bit(port), __ATOMIC_ACQ_REL) &
            bit(port)) != 0;
}

void evtchn_clear_pending(uint32_t port) { (void)evtchn_test_and_clear_pending(port); }

void evtchn_mask(uint32_t port)
{
    if (g_shared == nullptr) return;
    (void)__atomic_fetch_or(word(g_shared->evtchn_mask, port), bit(port), __ATOMIC_ACQ_REL);
}

void evtchn_clear_mask(uint32_t port)
{
    if (g_shared == nullptr) return;
    (void)__atomic_fetch_and(word(g_shared->evtchn_mask, port), ~bit(port), __ATOMIC_ACQ_REL);
}

bool evtchn_masked(uint32_t port)
{
    if (g_shared == nullptr) return false;
    return (__atomic_load_n(word(g_shared->evtchn_mask, port), __ATOMIC_ACQUIRE) & bit(port)) != 0;
}

void upcall_init(EvtchnHandler fn, keel::xen::VcpuInfo* vcpu_info)
{
    g_handler = fn;
    g_vcpu_info = vcpu_info;
    set_irq_handler(keel::xen::kGuestEvtchnPpi, on_upcall);
    gic::enable_private(keel::xen::kGuestEvtchnPpi);
}

uint32_t upcalls() { return g_upcalls; }
uint32_t upcall_events() { return g_events; }

uint32_t upcall_scan()
{
    if (g_shared == nullptr) return 0;
    keel::xen::VcpuInfo* vi = g_vcpu_info != nullptr ? g_vcpu_info : &g_shared->vcpu_info[0];
    uint32_t handled = 0;
    do {
        __atomic_store_n(&vi->evtchn_upcall_pending, uint8_t{0}, __ATOMIC_RELEASE);
        uint64_t sel = __atomic_exchange_n(&vi->evtchn_pending_sel, uint64_t{0}, __ATOMIC_ACQ_REL);
        while (sel != 0) {
            const uint32_t w = static_cast<uint32_t>(__builtin_ctzll(sel));
            sel &= sel - 1;
            for (;;) {
                const uint64_t ready = __atomic_load_n(&g_shared->evtchn_pending[w], __ATOMIC_ACQUIRE) &
                                       ~__atomic_load_n(&g_shared->evtchn_mask[w], __ATOMIC_ACQUIRE);
                if (ready == 0) break;
                const uint32_t port = w * 64 + static_cast<uint32_t>(__builtin_ctzll(ready));
                evtchn_clear_pending(port);
                ++handled;
                g_events = g_events + 1;
                if (g_handler != nullptr) g_handler(port);
            }
        }
    } while (__atomic_load_n(&vi->evtchn_upcall_pending, __ATOMIC_ACQUIRE) != 0);
    return handled;
}

long sched_poll(uint32_t* ports, uint32_t nr, uint64_t timeout)
{
    xa::SchedPoll p{};
    p.ports = ptr(ports);
    p.nr_ports = nr;
    p.timeout = timeout;
    return sched_op(xa::kSchedPoll, &p);
}

bool wait_pending(uint32_t port, uint64_t timeout_us)
{
    const bool ok = timer::spin_until([port] { return evtchn_pending(port); }, timeout_us);
    if (ok) evtchn_clear_pending(port);
    return ok;
}

}  // namespace guest::xen
