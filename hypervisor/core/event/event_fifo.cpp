// SPDX-License-Identifier: MIT
//
// core/event/event_fifo.cpp
// Owns the FIFO event ABI (ABI §3.3; xen/include/public/event_channel.h and
// xen/common/event_fifo.c for the semantics): one event word per port in guest
// event-array pages, per-vCPU control blocks with 16 priority queues whose
// heads the guest consumes, keel linking newly pending events at each queue's
// tail. The switch from 2-level (the first EVTCHNOP_init_control) and
// EVTCHNOP_expand_array are here too. Pure; set-pending and friends run with
// d.deliver held, so keel's queue state (tails, last queue of a port) needs no
// lock of its own — Xen's per-queue locks exist because it delivers without the
// domain's event lock.
//
// The guest may, on a LINKED word, only set/clear MASKED, clear PENDING and
// clear LINKED (with LINK); keel's CAS on a tail word therefore fails a bounded
// number of times once BUSY keeps the guest from unmasking.
#include "core/event/event_atomic.hpp"
#include "core/event/event_core.hpp"

namespace keel::evtchn {

namespace ea = evtchn_atomic;

namespace {

constexpr xen::EventWord kLinkedBit = 1u << xen::kEvtchnFifoLinked;
constexpr xen::EventWord kBusyBit = 1u << xen::kEvtchnFifoBusy;

// 1: linked; 0: the tail was not linked any more (the queue is empty); -1: raced.
int try_set_link(xen::EventWord* word, xen::EventWord* w, uint32_t link)
{
    if ((*w & kLinkedBit) == 0) return 0;
    const xen::EventWord next = (*w & ~(kBusyBit | xen::kEvtchnFifoLinkMask)) | link;
    return ea::cas(word, w, next) ? 1 : -1;
}

// Points the LINK of the tail word at `link` if the tail is still LINKED.
bool set_link(xen::EventWord* word, uint32_t link)
{
    xen::EventWord w = ea::load(word);
    int r = try_set_link(word, &w, link);
    if (r >= 0) return r == 1;
    (void)ea::test_and_set(word, xen::kEvtchnFifoBusy);  // the guest cannot unmask now
    w = ea::load(word);
    for (int attempt = 0; attempt < 4; ++attempt) {
        r = try_set_link(word, &w, link);
        if (r == 1) return true;  // the new value has BUSY clear
        if (r == 0) {
            (void)ea::test_and_clear(word, xen::kEvtchnFifoBusy);
            return false;
        }
    }
    // The guest broke the rules; leave the word as linked (Xen does the same).
    (void)ea::test_and_clear(word, xen::kEvtchnFifoBusy);
    return true;
}

}  // namespace

xen::EventWord* fifo_word(DomainEvents& d, uint32_t port)
{
    const uint32_t pages = d.fifo_pages.load(std::memory_order_acquire);
    if (port >= pages * xen::kEvtchnFifoWordsPerPage) return nullptr;
    return d.event_array[port / xen::kEvtchnFifoWordsPerPage] + port % xen::kEvtchnFifoWordsPerPage;
}

void fifo_set_pending(EvtchnEnv& env, DomainEvents& d, uint32_t port)
{
    EvtchnPort* p = port_of(d, port);
    if (p == nullptr) return;
    xen::EventWord* word = fifo_word(d, port);
    if (word == nullptr) {
        p->fifo_pending = true;  // raised when its array page appears
        return;
    }
    p->fifo_pending = false;
    const uint32_t v = p->notify_vcpu < d.nr_vcpus ? p->notify_vcpu : 0;
    VcpuEvents& ve = d.vcpu[v];
    const uint32_t q = p->priority;
    const bool was_pending = ea::test_and_set(word, xen::kEvtchnFifoPending);

    bool linked = true;
    // Without a control block the guest must not have unmasked anything: drop.
    if (ve.control != nullptr && !ea::test(word, xen::kEvtchnFifoMasked) &&
        !ea::test_and_set(word, xen::kEvtchnFifoLinked)) {
        // If it was the tail of the queue it last sat on, that queue is empty
        // now: forget the tail so a later link there does not chain onto it.
        VcpuEvents& old_ve = d.vcpu[p->last_vcpu < d.nr_vcpus ? p->last_vcpu : 0];
        uint32_t& old_tail = old_ve.tail[p->last_priority % xen::kEvtchnFifoMaxQueues];
        if (old_tail == port) old_tail = 0;
        p->last_vcpu = static_cast<uint8_t>(v);
        p->last_priority = static_cast<uint8_t>(q);

        linked = false;
        if (ve.tail[q] != 0) {
            xen::EventWord* tail_word = fifo_word(d, ve.tail[q]);
            if (tail_word != nullptr) linked = set_link(tail_word, port);
        }
        if (!linked) ea::store(&ve.control->head[q], port);
        ve.tail[q] = port;
    }
    if (!linked && !ea::test_and_set(&ve.control->ready, q)) mark_upcall(env, d, v);
    if (!was_pending) check_pollers(env, d, port);
}

void fifo_clear_pending(DomainEvents& d, uint32_t port)
{
    xen::EventWord* word = fifo_word(d, port);
    if (word != nullptr) (void)ea::test_and_clear(word, xen::kEvtchnFifoPending);
}

bool fifo_is_pending(DomainEvents& d, uint32_t port)
{
    xen::EventWord* word = fifo_word(d, port);
    return word != nullptr && ea::test(word, xen::kEvtchnFifoPending);
}

bool fifo_is_masked(DomainEvents& d, uint32_t port)
{
    xen::EventWord* word = fifo_word(d, port);
    return word == nullptr || ea::test(word, xen::kEvtchnFifoMasked);
}

void fifo_unmask(EvtchnEnv& env, DomainEvents& d, uint32_t port)
{
    xen::EventWord* word = fifo_word(d, port);
    if (word == nullptr) return;
    (void)ea::test_and_clear(word, xen::kEvtchnFifoMasked);
    if (ea::test(word, xen::kEvtchnFifoPending)) fifo_set_pending(env, d, port);
}

Result<void> init_control(EvtchnEnv& env, DomainEvents& d, uint64_t gfn, uint32_t offset,
                          uint32_t vcpu)
{
    if (vcpu >= d.nr_vcpus) return Errno::NoEnt;
    if (offset > 4096 - sizeof(xen::EvtchnFifoControlBlock) || (offset & 7) != 0)
        return Errno::Inval;
    LockGuard guard{d.lock};
    VcpuEvents& ve = d.vcpu[vcpu];
    if (ve.control != nullptr) return Errno::Inval;
    auto page = env.map_page(d, gfn);
    if (!page.ok()) return Errno::Inval;

    LockGuard deliver{d.deliver};
    ve.control_page = page.value();
    // offset is 8-aligned, the page 4 KiB-aligned (through void*: -Wcast-align).
    void* block = static_cast<uint8_t*>(ve.control_page.va) + offset;
    ve.control = static_cast<xen::EvtchnFifoControlBlock*>(block);
    if (!d.fifo) {
        // Switch the domain: ports bound so far keep their 2-level pending state,
        // re-raised once their event-array page exists (Xen's setup_ports).
        const uint32_t prev = max_ports(d);
        for (uint32_t port = 1; port < prev; ++port) {
            EvtchnPort* p = port_of(d, port);
            if (p == nullptr) break;
            if (p->state != PortState::Free && l2_is_pending(env, d, port)) p->fifo_pending = true;
            p->priority = static_cast<uint8_t>(xen::kEvtchnFifoPriorityDefault);
        }
        for (VcpuEvents& other : d.vcpu) {
            for (uint32_t& t : other.tail) t = 0;
        }
        d.fifo = true;
    }
    return {};
}

Result<void> expand_array(EvtchnEnv& env, DomainEvents& d, uint64_t gfn)
{
    LockGuard guard{d.lock};
    if (!d.fifo) return Errno::OpNotSupp;
    const uint32_t slot = d.fifo_pages.load(std::memory_order_relaxed);
    if (slot >= kEvtchnFifoMaxPages) return Errno::NoSpc;
    auto page = env.map_page(d, gfn);
    if (!page.ok()) return Errno::Inval;

    LockGuard deliver{d.deliver};
    d.array_page[slot] = page.value();
    d.event_array[slot] = static_cast<xen::EventWord*>(page.value().va);
    d.fifo_pages.store(slot + 1, std::memory_order_release);  // after the pointer (fifo_word)
    const uint32_t first = slot * xen::kEvtchnFifoWordsPerPage;
    for (uint32_t port = first; port < first + xen::kEvtchnFifoWordsPerPage; ++port) {
        EvtchnPort* p = port_of(d, port);
        if (p == nullptr) break;
        if (p->fifo_pending) fifo_set_pending(env, d, port);
    }
    return {};
}

void fifo_teardown(EvtchnEnv& env, DomainEvents& d)
{
    LockGuard deliver{d.deliver};
    for (VcpuEvents& ve : d.vcpu) {
        if (ve.control != nullptr) env.unmap_page(d, ve.control_page);
        ve.control = nullptr;
        ve.control_page = {};
        for (uint32_t& t : ve.tail) t = 0;
    }
    const uint32_t pages = d.fifo_pages.load(std::memory_order_relaxed);
    d.fifo_pages.store(0, std::memory_order_release);
    for (uint32_t i = 0; i < pages; ++i) {
        env.unmap_page(d, d.array_page[i]);
        d.array_page[i] = {};
        d.event_array[i] = nullptr;
    }
    d.fifo = false;
}

}  // namespace keel::evtchn
