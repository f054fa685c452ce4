// SPDX-License-Identifier: MIT
//
// tests/fuzz/fuzz_evtchn.cpp
// Harness 5a: the event-channel state machine (core/event pure core) driven
// by random operation sequences from three fake domains (1-4 vCPUs each)
// through a fake EvtchnEnv: guest RAM is GFNs [0x1000, 0x1010) of each domain
// (anything else is not RAM), shared_info pages and port buckets in host
// memory, every map / allocation / domain reference counted. Operations: every
// EVTCHNOP (alloc_unbound, bind_interdomain, bind_virq, bind_ipi, close, send,
// status, unmask, bind_vcpu, set_priority, init_control, expand_array, reset),
// register_vcpu_info, SCHEDOP_poll's check, VIRQ raising, with ports, vCPUs,
// GFNs and offsets in and out of range. After every step: every interdomain
// port's peer points back at it; a port bound with bind_interdomain was
// offered to exactly that domain. At the end each domain is torn down (random
// order): every page mapped is unmapped, every bucket freed, every reference
// released. Cost: the fake Env and the three DomainEvents are made once (the
// DomainEvents are constructed afresh in place per input); between inputs only
// the guest pages keel mapped and the shared_info pages are zeroed again. Port
// buckets come from a free list of bucket-sized blocks the Env keeps (a fresh
// heap block per bucket made ASan's allocator touch new pages on every input):
// a block on the free list is ASan-poisoned, so a use of a freed bucket is
// still a crash. The checker reads the port buckets directly (the bounds
// port_of applies) and is left out of coverage instrumentation.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <new>
#include <vector>

#include <sanitizer/asan_interface.h>

#include "core/event/event_core.hpp"

// Checker code: not instrumented for coverage (it would only add noise to the feedback).
#define FUZZ_CHECKER __attribute__((no_sanitize("coverage")))

using namespace keel;

namespace {

FUZZ_CHECKER void fuzz_assert(bool ok, const char* what)
{
    if (!ok) {
        std::fprintf(stderr, "fuzz_evtchn: invariant broken: %s\n", what);
        __builtin_trap();
    }
}

constexpr int kDomains = 3;
constexpr uint64_t kFirstGfn = 0x1000;
constexpr uint64_t kGfns = 16;

struct alignas(4096) Page {
    uint8_t bytes[4096];
};

class Env final : public EvtchnEnv {
public:
    xen::SharedInfo* shared_info(DomainEvents& d) override { return &shared_[slot(d)].info; }
    void raise_upcall(DomainEvents&, uint32_t) override { ++upcalls; }
    void wake_poller(DomainEvents&, uint32_t) override { ++wakes; }
    Result<GuestPage> map_page(DomainEvents& d, uint64_t gfn) override
    {
        if (gfn < kFirstGfn || gfn >= kFirstGfn + kGfns) return Errno::Inval;
        ++maps;
        ++mapped[slot(d)][gfn - kFirstGfn];
        dirty_[slot(d)][gfn - kFirstGfn] = true;
        return GuestPage{ram_[slot(d)][gfn - kFirstGfn].bytes, gfn};
    }
    void unmap_page(DomainEvents& d, GuestPage& p) override
    {
        fuzz_assert(p.cookie >= kFirstGfn && p.cookie < kFirstGfn + kGfns, "unmap of a page keel mapped");
        fuzz_assert(mapped[slot(d)][p.cookie - kFirstGfn] > 0, "unmap of a page mapped as many times");
        --mapped[slot(d)][p.cookie - kFirstGfn];
        ++unmaps;
        p = {};
    }
    void* alloc_zeroed(size_t bytes) override
    {
        ++allocs;
        if (bytes != kBlockBytes) return std::calloc(1, bytes);
        if (free_blocks_.empty()) return std::calloc(1, bytes);  // joins the free list when freed
        void* p = free_blocks_.back();
        free_blocks_.pop_back();
        ASAN_UNPOISON_MEMORY_REGION(p, kBlockBytes);
        std::memset(p, 0, kBlockBytes);
        return p;
    }
    void free_zeroed(void* p, size_t bytes) override
    {
        ++frees;
        if (bytes != kBlockBytes) {
            std::free(p);
            return;
        }
        ASAN_POISON_MEMORY_REGION(p, kBlockBytes);  // a use after free is still caught
        free_blocks_.push_back(p);
    }
    bool hold(DomainEvents&) override
    {
        ++holds;
        return true;
    }
    void release(DomainEvents&) override { ++releases; }

    static int slot(const DomainEvents& d) { return d.domid - 1; }

    // Back to the state of a new Env: counters, shared_info pages and every
    // guest page keel mapped since the last reset zeroed.
    void reset()
    {
        upcalls = wakes = maps = unmaps = allocs = frees = holds = releases = 0;
        std::memset(mapped, 0, sizeof(mapped));
        for (int i = 0; i < kDomains; ++i) {
            shared_[i].info = xen::SharedInfo{};
            for (uint64_t g = 0; g < kGfns; ++g) {
                if (!dirty_[i][g]) continue;
                std::memset(ram_[i][g].bytes, 0, sizeof(ram_[i][g].bytes));
                dirty_[i][g] = false;
            }
        }
    }

    int upcalls = 0, wakes = 0, maps = 0, unmaps = 0, allocs = 0, frees = 0, holds = 0, releases = 0;
    int mapped[kDomains][kGfns] = {};

private:
    struct alignas(4096) SharedPage {
        xen::SharedInfo info{};
    };
    static constexpr size_t kBlockBytes = sizeof(EvtchnPort) * kEvtchnPortsPerBucket;  // one port bucket
    std::vector<void*> free_blocks_;  // freed buckets, poisoned, for the next alloc_zeroed
    SharedPage shared_[kDomains];
    Page ram_[kDomains][kGfns];
    bool dirty_[kDomains][kGfns] = {};
};

uint32_t pick_port(FuzzedDataProvider& in)
{
    switch (in.ConsumeIntegralInRange<int>(0, 3)) {
    case 0: return in.ConsumeIntegralInRange<uint32_t>(0, 8);
    case 1: return in.ConsumeIntegralInRange<uint32_t>(0, 70);
    case 2: return in.ConsumeIntegralInRange<uint32_t>(1000, 1100);
    default: return in.ConsumeIntegral<uint32_t>();
    }
}

uint32_t pick_vcpu(FuzzedDataProvider& in)
{
    return in.ConsumeBool() ? in.ConsumeIntegralInRange<uint32_t>(0, 4) : in.ConsumeIntegral<uint32_t>();
}

uint64_t pick_gfn(FuzzedDataProvider& in)
{
    return in.ConsumeIntegralInRange<int>(0, 7) != 0 ? kFirstGfn + in.ConsumeIntegralInRange<uint64_t>(0, kGfns)
                                                     : in.ConsumeIntegral<uint64_t>();
}

// Ports that can exist: those backed by a bucket (ports are handed out lowest first).
uint32_t scan_limit(DomainEvents& d)
{
    const uint32_t valid = d.valid_ports.load();
    const uint32_t limit = evtchn::max_ports(d);
    return valid < limit ? valid : limit;
}

// The port below `scan` (scan_limit of d), as port_of finds it.
FUZZ_CHECKER EvtchnPort* port_at(DomainEvents& d, uint32_t scan, uint32_t p)
{
    if (p >= scan) return nullptr;
    return &d.bucket[p / kEvtchnPortsPerBucket][p % kEvtchnPortsPerBucket];
}

// Every interdomain port and its peer agree; no port names a domain outside the world.
// Walks each domain's ports a bucket at a time (this runs after every step).
FUZZ_CHECKER void check_world(DomainEvents* const* ds)
{
    uint32_t scans[kDomains];
    for (int i = 0; i < kDomains; ++i) scans[i] = scan_limit(*ds[i]);
    for (int i = 0; i < kDomains; ++i) {
        DomainEvents& d = *ds[i];
        const uint32_t scan = scans[i];
        if (scan != 0) fuzz_assert(d.bucket[0][0].state == PortState::Reserved, "port 0 stays reserved");
        for (uint32_t b = 0; b * kEvtchnPortsPerBucket < scan; ++b) {
            const EvtchnPort* bucket = d.bucket[b];
            const uint32_t n = scan - b * kEvtchnPortsPerBucket < kEvtchnPortsPerBucket
                                   ? scan - b * kEvtchnPortsPerBucket
                                   : kEvtchnPortsPerBucket;
            for (uint32_t k = 0; k < n; ++k) {
                const EvtchnPort* e = &bucket[k];
                if (e->state != PortState::Interdomain) continue;
                const uint32_t p = b * kEvtchnPortsPerBucket + k;
                int peer = -1;
                for (int j = 0; j < kDomains; ++j)
                    if (e->peer == ds[j]) peer = j;
                fuzz_assert(peer >= 0, "an interdomain peer is a live domain");
                fuzz_assert(e->remote_domid == e->peer->domid, "remote_domid names the peer");
                EvtchnPort* back = port_at(*e->peer, scans[peer], e->peer_port);
                fuzz_assert(back != nullptr && back->state == PortState::Interdomain, "the peer port is interdomain");
                fuzz_assert(back->peer == &d && back->peer_port == p, "the peer port points back");
            }
        }
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    FuzzedDataProvider in{data, size};
    static Env* env_storage = new (std::aligned_alloc(4096, sizeof(Env))) Env{};
    Env& env = *env_storage;
    env.reset();
    // Storage for the three domains, reused: each input constructs them afresh in place.
    alignas(DomainEvents) static unsigned char dom_storage[kDomains][sizeof(DomainEvents)];
    DomainEvents* ds[kDomains];
    for (int i = 0; i < kDomains; ++i) {
        ds[i] = new (dom_storage[i]) DomainEvents{};
        const uint32_t vcpus = in.ConsumeIntegralInRange<uint32_t>(1, 4);
        fuzz_assert(evtchn::init(env, *ds[i], static_cast<uint16_t>(i + 1), nullptr, vcpus, nullptr).ok(), "init");
    }

    for (int step = 0; step < 200 && in.remaining_bytes() > 0; ++step) {
        DomainEvents& d = *ds[in.ConsumeIntegralInRange<int>(0, kDomains - 1)];
        DomainEvents& other = *ds[in.ConsumeIntegralInRange<int>(0, kDomains - 1)];
        switch (in.ConsumeIntegralInRange<int>(0, 16)) {
        case 0:
        case 1: {
            const uint16_t remote = in.ConsumeBool() ? other.domid : in.ConsumeIntegral<uint16_t>();
            (void)evtchn::alloc_unbound(env, d, remote);
            break;
        }
        case 2:
        case 3: {
            const uint32_t rp = pick_port(in);
            EvtchnPort* before = evtchn::port_of(other, rp);
            const bool offered = before != nullptr && before->state == PortState::Unbound &&
                                 before->remote_domid == d.domid;
            auto r = evtchn::bind_interdomain(env, d, other, rp);
            if (r.ok()) fuzz_assert(offered, "bound only to a port offered to this domain");
            break;
        }
        case 4: (void)evtchn::bind_virq(env, d, in.ConsumeIntegralInRange<uint32_t>(0, 30), pick_vcpu(in)); break;
        case 5: (void)evtchn::bind_ipi(env, d, pick_vcpu(in)); break;
        case 6: (void)evtchn::close(env, d, pick_port(in)); break;
        case 7:
        case 8: (void)evtchn::send(env, d, pick_port(in)); break;
        case 9: {
            auto s = evtchn::status(env, d, pick_port(in));
            (void)s;
            (void)evtchn::unmask_port(env, d, pick_port(in));
            break;
        }
        case 10: (void)evtchn::bind_vcpu(env, d, pick_port(in), pick_vcpu(in)); break;
        case 11: (void)evtchn::set_priority(env, d, pick_port(in), in.ConsumeIntegralInRange<uint32_t>(0, 20)); break;
        case 12: {
            const uint32_t offset = in.ConsumeBool() ? in.ConsumeIntegralInRange<uint32_t>(0, 64) * 64
                                                     : in.ConsumeIntegral<uint32_t>();
            (void)evtchn::init_control(env, d, pick_gfn(in), offset, pick_vcpu(in));
            break;
        }
        case 13: (void)evtchn::expand_array(env, d, pick_gfn(in)); break;
        case 14: {
            const uint32_t offset = in.ConsumeBool() ? in.ConsumeIntegralInRange<uint32_t>(0, 64) * 64
                                                     : in.ConsumeIntegral<uint32_t>();
            (void)evtchn::register_vcpu_info(env, d, pick_vcpu(in), pick_gfn(in), offset);
            break;
        }
        case 15: {
            (void)evtchn::poll_port_pending(env, d, pick_port(in));
            const uint32_t v = in.ConsumeIntegralInRange<uint32_t>(0, d.nr_vcpus - 1);
            (void)evtchn::upcall_pending(env, d, v);
            evtchn::raise_virq(env, d, in.ConsumeIntegralInRange<uint32_t>(0, xen::kNrVirqs - 1), v);
            break;
        }
        case 16:
            if (in.ConsumeIntegralInRange<int>(0, 7) == 0) evtchn::reset(env, d);
            break;
        }
        check_world(ds);
    }

    // Domain ends, in an order the input picks.
    int order[kDomains] = {0, 1, 2};
    if (in.ConsumeBool()) std::swap(order[0], order[2]);
    if (in.ConsumeBool()) std::swap(order[1], order[2]);
    for (int k = 0; k < kDomains; ++k) {
        DomainEvents& d = *ds[order[k]];
        evtchn::teardown(env, d);
        for (int j = k + 1; j < kDomains; ++j) {
            DomainEvents& live = *ds[order[j]];
            const uint32_t scan = scan_limit(live);
            for (uint32_t p = 0; p < scan; ++p) {
                EvtchnPort* e = evtchn::port_of(live, p);
                fuzz_assert(e == nullptr || e->state != PortState::Interdomain || e->peer != &d,
                            "no port left pointing at a torn-down domain");
            }
        }
    }
    for (int i = 0; i < kDomains; ++i)
        for (uint64_t g = 0; g < kGfns; ++g) fuzz_assert(env.mapped[i][g] == 0, "every page unmapped at teardown");
    fuzz_assert(env.maps == env.unmaps, "maps balance");
    fuzz_assert(env.allocs == env.frees, "buckets freed");
    fuzz_assert(env.holds == env.releases, "domain references released");
    for (int i = 0; i < kDomains; ++i) ds[i]->~DomainEvents();
    return 0;
}
