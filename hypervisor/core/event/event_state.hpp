// SPDX-License-Identifier: MIT
//
// core/event/event_state.hpp
// Owns the data of keel's event channels (docs/xen-abi-design.md, part B): a
// port (EvtchnPort), one vCPU's event state (VcpuEvents: vcpu_info, VIRQ
// bindings, FIFO control block and queue tails, SCHEDOP_poll state), one
// domain's (DomainEvents: port buckets, 2-level/FIFO switch, FIFO event array,
// locks), and EvtchnEnv, everything the pure event code needs from the machine
// (upcall injection, long-lived guest maps, memory, domain references), so host
// tests run the same code against fakes — as P2mEnv does for the p2m.
//
// Locks (lock order: evtchn `lock` of the lower domid, then of the higher, then
// at most one `deliver` lock; then vGIC, run queue):
//  * DomainEvents::lock guards the port table and every binding (port states,
//    peers, VIRQ table, the 2-level/FIFO switch). Changing an interdomain pair
//    takes both domains' locks, so holding one side's lock keeps the pair — and
//    the peer DomainEvents — alive.
//  * DomainEvents::deliver (a leaf) guards what set-pending reads and writes:
//    notify vCPU, priority, FIFO queues and pages, vcpu_info pointers. A send
//    holds the sender's `lock` and the receiver's `deliver` only.
// The guest writes vcpu_info, shared_info bitmaps, control blocks and event
// words concurrently: keel touches them only with atomics (event_atomic.hpp).
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>

#include "arch/arm64/hw/spinlock.hpp"
#include "core/domain/domain.hpp"
#include "core/time/timer_queue.hpp"
#include "lib/result.hpp"
#include "public/xen/event_channel.hpp"
#include "public/xen/xen.hpp"

namespace keel {

// Port capacity. The ABI's: 2-level xen.hpp kEvtchn2lNrChannels (4096); FIFO 2^17
// in Xen, which keel caps at 32768 (docs/xen-compat.md), 32 event-array pages.
// Below that, a domain's highest port is DomainEvents::max_port: 1023 by default,
// what Xen 4.17 gives a dom0less domU (recorded: tests/xen/conformance.xen-4.17.txt).
// Buckets of 64 ports, as Xen's (a page / 64-byte struct evtchn): a port beyond
// the allocated buckets is -EINVAL for status/send/close, exactly as on Xen.
inline constexpr uint32_t kEvtchnPortsPerBucket = 64;
inline constexpr uint32_t kEvtchnDefaultMaxPort = 1023;
inline constexpr uint32_t kEvtchnMaxPorts = 32768;
inline constexpr uint32_t kEvtchnBuckets = kEvtchnMaxPorts / kEvtchnPortsPerBucket;
inline constexpr uint32_t kEvtchnFifoMaxPages = kEvtchnMaxPorts / xen::kEvtchnFifoWordsPerPage;
inline constexpr uint32_t kEvtchnNoCpu = ~0u;

enum class PortState : uint8_t { Free, Reserved, Unbound, Interdomain, Virq, Ipi };

struct DomainEvents;

struct EvtchnPort {
    DomainEvents* peer = nullptr;  // Interdomain: the other end's domain
    uint32_t peer_port = 0;        // Interdomain: the other end's port
    uint32_t virq = 0;             // Virq
    uint32_t notify_vcpu = 0;      // the vCPU whose upcall this port raises
    uint16_t remote_domid = 0;     // Unbound: who may bind; Interdomain: the peer's id
    PortState state = PortState::Free;
    uint8_t priority = xen::kEvtchnFifoPriorityDefault;  // FIFO queue for new links
    uint8_t last_vcpu = 0;         // FIFO: the queue it was last linked on ...
    uint8_t last_priority = 0;     // ... (vCPU, priority)
    bool fifo_pending = false;     // FIFO: raised while its event word did not exist
};

/// A guest page mapped long-lived by the environment (cookie: what unmapping needs).
struct GuestPage {
    void* va = nullptr;
    uint64_t cookie = 0;
};

struct VcpuEvents {
    uint32_t id = 0;
    void* vcpu = nullptr;                 // the Vcpu (opaque to the pure code)
    xen::VcpuInfo* registered = nullptr;  // VCPUOP_register_vcpu_info, in info_page
    GuestPage info_page;
    xen::VcpuInfo dummy{};                // before registration, for vCPUs other than 0
    uint32_t virq_port[xen::kNrVirqs] = {};

    // FIFO (event_fifo.cpp): control block and the tail of each queue.
    xen::EvtchnFifoControlBlock* control = nullptr;
    GuestPage control_page;
    uint32_t tail[xen::kEvtchnFifoMaxQueues] = {};

    // SCHEDOP_poll: the one port polled (0: any), and the timeout's timer (target).
    std::atomic<uint32_t> poll_port{0};
    Timer poll_timer{nullptr, nullptr};
    std::atomic<uint32_t> poll_timer_cpu{kEvtchnNoCpu};
};

struct DomainEvents {
    SpinLock lock;     // bindings (see top of file)
    SpinLock deliver;  // delivery state (leaf)
    uint16_t domid = 0;
    void* owner = nullptr;  // the Domain (opaque to the pure code)
    uint32_t nr_vcpus = 0;
    uint32_t max_port = kEvtchnDefaultMaxPort;  // highest port alloc/claim may hand out
    bool fifo = false;      // EVTCHNOP_init_control switched it to FIFO
    bool dying = false;     // no new ports
    bool timers_gone = true;  // every poll timeout cancelled at teardown (else never freed)

    std::atomic<uint32_t> valid_ports{0};  // ports backed by a bucket
    EvtchnPort* bucket[kEvtchnBuckets] = {};

    // FIFO event array: page i holds the words of ports [1024 i, 1024 (i + 1)).
    std::atomic<uint32_t> fifo_pages{0};
    xen::EventWord* event_array[kEvtchnFifoMaxPages] = {};
    GuestPage array_page[kEvtchnFifoMaxPages];

    VcpuEvents vcpu[kMaxVcpusPerDomain];
    std::atomic<uint32_t> pollers{0};   // bit v: vCPU v is blocked in SCHEDOP_poll
    std::atomic<uint32_t> logged{0};    // log-once bits (EvtchnLog)
};

/// What the pure event code needs from the rest of keel.
class EvtchnEnv {
public:
    /// The domain's shared_info page (keel's), or nullptr when it has none.
    virtual xen::SharedInfo* shared_info(DomainEvents& d) = 0;
    /// evtchn_upcall_pending of `vcpu` went 0 -> 1: inject the event PPI.
    virtual void raise_upcall(DomainEvents& d, uint32_t vcpu) = 0;
    /// `vcpu` was blocked in SCHEDOP_poll and one of its ports became pending.
    virtual void wake_poller(DomainEvents& d, uint32_t vcpu) = 0;
    /// Maps guest page `gfn` of d writable, long-lived. Errno::Inval when it is not its RAM.
    virtual Result<GuestPage> map_page(DomainEvents& d, uint64_t gfn) = 0;
    virtual void unmap_page(DomainEvents& d, GuestPage& page) = 0;
    /// Zeroed memory for a port bucket, or nullptr.
    virtual void* alloc_zeroed(size_t bytes) = 0;
    virtual void free_zeroed(void* p, size_t bytes) = 0;
    /// A counted reference that keeps `d` alive while no lock of it is held;
    /// false when d is ending (its own teardown closes its ports).
    virtual bool hold(DomainEvents& d) = 0;
    virtual void release(DomainEvents& d) = 0;
    /// Called while waiting for a dying peer to finish closing a pair.
    virtual void relax() {}

protected:
    ~EvtchnEnv() = default;
};

}  // namespace keel
