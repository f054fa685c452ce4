// SPDX-License-Identifier: MIT
//
// tests/fuzz/fuzz_handlers.cpp
// Harness 8: keel's real hypercall handlers — entry.cpp's handle_hypercall and
// the table behind it: memory_op, grant_table_op, event_channel_op (+ poll),
// sched_op, vcpu_op (+ runstate area), hvm_op, console_io, multicall,
// xen_version, vm_assist, platform_op, domctl and sysctl (+ ctl_facts) — with lifecycle.cpp and
// domain_ref.cpp, over host fakes for the target-only pieces
// (tests/fuzz/support/: memory manager and vmap, p2m environment, guest
// virtual address spaces, one fake CPU). Three domains (ids 1-3, 1-3 vCPUs;
// d1 privileged, so the control domain's paths run beside two domUs', and d2/d3
// privileged as dom0 too when the input says so; RAM at GFN 0x40000, an MMIO
// page at GFN 0x8000) are built the way the dom0less builder does; each has a
// 16-page stage-1 whose pages the input
// makes RAM, read-only RAM, absent, MMIO, or an alias of any other GFN.
//
// The input is a program, read front to back (so seeds are easy to write,
// see tests/fuzz/corpus/fuzz_handlers/make_seeds.py): a layout byte per
// domain, then steps. A step is a hypercall — caller domain and vCPU, number
// (implemented ones or any), x0-x4 and up to three argument blocks written
// into the caller's memory, each a list of typed values (VAs anywhere in the
// window, own/other/DOMID_SELF ids, RAM/grant/MMIO GFNs, raw bytes) — issued
// through handle_hypercall and re-issued while it continues (preemption
// checks answer from a pattern in the input; bounded); or time passing (poll
// timeouts fire), a stage-1 page changing, a domain crashing, a dead domain
// rebuilt with the same id.
//
// After every step: x0 is >= 0 or a Xen errno; keel's copies wrote only
// writable RAM / shared_info / grant frames through writable stage-1 pages
// (fake_guest_virt.cpp checks each page); every domain-pool frame's reference
// count is exactly its grant and foreign mappings (stage-2 leaves of live
// domains) plus its vmap pins, a heap-pool page's is its foreign mappings
// (grant-table frames from acquire_resource), and no referenced or mapped
// frame is free (free frames are
// ASan-poisoned as well); RAM leaves map only the owner's allocated frames;
// no transient slot stays mapped; the MMIO pages are untouched; every
// interdomain port's peer is a live domain's port pointing back, and a
// successful bind_interdomain bound a port that was offered to the caller.
// At the end every domain is shut down through lifecycle: the heap pool, the
// domain pool, VMIDs and the vmap window are exactly as before the first one.
// FUZZ_HANDLERS_LOG=1 shows keel's log, FUZZ_HANDLERS_TRACE=1 each call's result.
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "arch/arm64/mmu/vmid.hpp"
#include "arch/arm64/timer/hyp_timer.hpp"
#include "core/domain/domain.hpp"
#include "core/domain/domain_table.hpp"
#include "core/domain/lifecycle.hpp"
#include "core/domain/vcpu.hpp"
#include "core/event/event_channel.hpp"
#include "core/event/event_core.hpp"
#include "core/grant/grant_table.hpp"
#include "core/hypercall/hypercall.hpp"
#include "core/memory/boot_memory.hpp"
#include "core/memory/frame_ref.hpp"
#include "core/memory/memory_op.hpp"
#include "core/memory/p2m.hpp"
#include "core/sched/schedule.hpp"
#include "arch/arm64/mmu/descriptor.hpp"
#include "arch/arm64/mmu/stage2.hpp"
#include "public/xen/event_channel.hpp"
#include "public/xen/grant_table.hpp"
#include "public/xen/xen.hpp"
#include "tests/fuzz/support/fake_guest_virt.hpp"
#include "tests/fuzz/support/fake_memory.hpp"
#include "tests/fuzz/support/fake_sched.hpp"

using namespace keel;
using namespace keel::fuzz;

namespace {

// Checker code (see "invariants" below): no coverage, no ASan load checks, no
// UBSan pointer checks (a pointer-overflow and an alignment check per table entry
// were most of walk_table's time; they could only catch a checker bug).
#define KEEL_FUZZ_UNINSTRUMENTED __attribute__((no_sanitize("coverage", "address", "undefined")))

// Checker-side too, so that it inlines into the checks' loops.
KEEL_FUZZ_UNINSTRUMENTED void fuzz_assert(bool ok, const char* what)
{
    if (!ok) {
        std::fprintf(stderr, "fuzz_handlers: invariant broken: %s\n", what);
        __builtin_trap();
    }
}

constexpr int kDomains = 3;
constexpr uint64_t kRamGfn = 0x40000;      // GUEST_RAM0_BASE
constexpr uint64_t kMmioGfn = 0x08000;     // a device page (mapped MMIO)
constexpr uint64_t kHoleGfn = 0x09000;     // nothing there
constexpr uint64_t kSpecialGfn = 0x38000;  // where guests put grant frames / shared_info
constexpr uint64_t kGrantMapGfn = 0x50000; // where they put grant mappings
constexpr int kMaxSteps = 32;
constexpr int kMaxReissues = 40;

constexpr uint64_t kCalls[] = {
    12 /* memory_op */,     13 /* multicall */,  17 /* xen_version */, 18 /* console_io */,
    20 /* grant_table_op */, 21 /* vm_assist */, 24 /* vcpu_op */,     29 /* sched_op */,
    32 /* event_channel_op */, 34 /* hvm_op */,  7 /* platform_op */,  36 /* domctl */,
    35 /* sysctl */,
};

// The input, read from the front; zeros once it is exhausted.
class Input {
public:
    Input(const uint8_t* d, size_t n) : d_{d}, n_{n} {}
    bool empty() const { return i_ >= n_; }
    uint8_t u8() { return i_ < n_ ? d_[i_++] : 0; }
    uint64_t le(unsigned bytes)
    {
        uint64_t v = 0;
        for (unsigned k = 0; k < bytes; ++k) v |= uint64_t{u8()} << (8 * k);
        return v;
    }

private:
    const uint8_t* d_;
    size_t n_;
    size_t i_ = 0;
};

struct alignas(4096) DevicePage {
    uint8_t bytes[4096];
};
DevicePage g_device[kDomains];

struct World {
    Domain* dom[kDomains] = {};
    GuestSpace space[kDomains];
    uint32_t ram_pages[kDomains] = {};
};

uint16_t domid_of(int i) { return static_cast<uint16_t>(i + 1); }

// --- building and ending domains --------------------------------------------------

void default_space(GuestSpace& s, uint32_t ram_pages)
{
    for (unsigned i = 0; i < kGuestVaPages; ++i) s.page[i] = VaPage{true, true, kRamGfn + i % ram_pages};
    s.page[12] = VaPage{true, false, kRamGfn + 12 % ram_pages};  // read-only
    s.page[13] = VaPage{};                                      // absent
    s.page[14] = VaPage{true, true, kMmioGfn};                  // MMIO
    s.page[15] = VaPage{true, true, kSpecialGfn};               // where a grant frame may be mapped
}

uint64_t alias_gfn(Input& in, uint32_t ram_pages)
{
    const uint8_t b = in.u8();
    switch (b % 8) {
    case 0: return kRamGfn + b / 8 % ram_pages;
    case 1: return kSpecialGfn + b / 8 % 8;
    case 2: return kGrantMapGfn + b / 8 % 16;
    case 3: return kMmioGfn;
    case 4: return kHoleGfn;
    case 5: return kRamGfn + ram_pages + b / 8;  // beyond RAM
    default: return kRamGfn + b % ram_pages;
    }
}

void set_page(Input& in, GuestSpace& s, unsigned page, uint32_t ram_pages)
{
    const uint8_t kind = in.u8();
    VaPage& p = s.page[page % kGuestVaPages];
    switch (kind % 6) {
    case 0: p = VaPage{true, true, kRamGfn + page % ram_pages}; break;
    case 1: p = VaPage{true, false, kRamGfn + page % ram_pages}; break;
    case 2: p = VaPage{}; break;
    case 3: p = VaPage{true, true, kMmioGfn}; break;
    default: p = VaPage{true, (kind & 0x80) == 0, alias_gfn(in, ram_pages)}; break;
    }
}

bool build(World& w, int i, Input& in)
{
    const uint8_t shape = in.u8();
    const uint32_t vcpus = 1 + (shape & 0x7f) % 3;
    const uint32_t ram_pages = 16 + 16 * (in.u8() % 3);
    auto created = create_domain("fuzz", domid_of(i), vcpus);
    fuzz_assert(created.ok(), "a domain can be created");
    Domain& d = *created.value();
    bool ok = p2m_init(d).ok() && memory_domain_init(d).ok() && grant_domain_init(d).ok() &&
              p2m_populate_ram(d, GuestPhysAddr{kRamGfn << kPageShift}, uint64_t{ram_pages} << kPageShift).ok() &&
              evtchn_domain_init(d).ok();
    std::memset(g_device[i].bytes, 0xa5, sizeof g_device[i].bytes);
    ok = ok && p2m_map_frame(d, kMmioGfn, Mfn::of(PhysAddr{reinterpret_cast<uint64_t>(&g_device[i])}),
                             P2mType::Mmio).ok();
    if (!ok) {
        domain_destroy_unstarted(d);
        return false;
    }
    // d1 is the control domain (domctl/sysctl, others' ports and params); the
    // input may make the others privileged too (foreign mapping, ...).
    d.privileged = i == 0 || (shape & 0x80) != 0;
    w.dom[i] = &d;
    w.ram_pages[i] = ram_pages;
    default_space(w.space[i], ram_pages);
    const uint8_t layout = in.u8();
    if (layout != 0)
        for (unsigned p = 0; p < kGuestVaPages; ++p) set_page(in, w.space[i], p, ram_pages);
    set_guest_space(d, &w.space[i]);
    domain_built(d);
    domain_start(d);
    for (uint32_t v = 1; v < d.vcpu_count; ++v) (void)vcpu_start(*d.vcpus[v], nullptr, nullptr);
    return true;
}

// Notices domains lifecycle freed (their Domain is gone from the table).
void forget_freed(World& w)
{
    for (int i = 0; i < kDomains; ++i) {
        if (w.dom[i] == nullptr || find_domain(domid_of(i)) == w.dom[i]) continue;
        set_guest_space(*w.dom[i], nullptr);
        w.dom[i] = nullptr;
    }
}

void crash(World& w, int i)
{
    Domain* d = w.dom[i];
    if (d == nullptr) return;
    for (uint32_t v = 0; v < d->vcpu_count; ++v) (void)take_injections(*d->vcpus[v]);
    domain_shutdown(*d, ShutdownReason::Crash);
    forget_freed(w);
    fuzz_assert(w.dom[i] == nullptr, "a domain with no running vCPU ends at once");
}

// --- values the input names ----------------------------------------------------

uint64_t value(Input& in, World& w, int self, unsigned& width)
{
    const uint8_t tag = in.u8();
    width = 1u << (tag >> 6);
    const uint8_t b = in.u8();
    switch (tag & 0xf) {
    case 0: return 0;
    case 1: return b;
    case 2: return uint64_t{b} | in.le(width > 1 ? width - 1 : 0) << 8;
    case 3: return kGuestVaBase + (uint64_t{b} % kGuestVaPages << kPageShift) + in.le(2) % kPageSize;
    case 4: return kGuestVaBase + (uint64_t{b} % kGuestVaPages << kPageShift);
    case 5: return domid_of(self);
    case 6: return domid_of(b % kDomains);
    case 7: return xen::kDomidSelf;
    case 8: return kRamGfn + b;
    case 9: return kSpecialGfn + b % 64;
    case 10: return (kGrantMapGfn + b % 16) << kPageShift;
    case 11: return kGrantMapGfn + b % 16;
    case 12: return b % 2 != 0 ? kMmioGfn : kHoleGfn;
    case 13: return ~uint64_t{0};
    case 14: {  // a machine address of the caller's RAM or of a page it maps (GNTTABOP_cache_flush)
        const uint64_t gfn = (b & 0x80) != 0 ? kGrantMapGfn + b % 16 : kRamGfn + b % w.ram_pages[self];
        const Result<Stage2Leaf> leaf = stage2_leaf(*w.dom[self], gfn);
        return leaf.ok() ? leaf.value().mfn.addr().raw() : 0;
    }
    default: return uint64_t{0} - b;
    }
}

// Up to three blocks of typed values written into the caller's memory.
void write_blocks(Input& in, World& w, int self)
{
    const unsigned blocks = in.u8() % 4;
    for (unsigned k = 0; k < blocks; ++k) {
        unsigned width = 0;
        const uint64_t va = value(in, w, self, width);
        const unsigned len = in.u8();
        uint8_t buf[256] = {};
        for (unsigned at = 0; at < len && !in.empty();) {
            const uint64_t v = value(in, w, self, width);
            const unsigned n = width < len - at ? width : len - at;
            std::memcpy(buf + at, &v, n);
            at += n;
        }
        guest_store(*w.dom[self], va, buf, len);
    }
}

// --- invariants -----------------------------------------------------------------------
// The checks run after every step over every table and frame: kept out of the
// coverage instrumentation (they are the harness, not keel), and the stage-2
// walk is the harness's own (not the walker keel uses), three levels from the
// root as the descriptors encode them. They are left out of ASan's load checks
// too (they were a fifth of the harness's time): everything they read is
// memory ASan never poisons (heap-pool table pages, frame records, the device
// pages, port buckets), so the checks could only have caught a checker bug;
// keel's own reads keep every check.


struct Expected {
    uint32_t refs[kDomainFrames];  // domain-pool frame → references
    FrameInfo* first;              // the domain pool's first frame record
    Mfn first_mfn;
    uint32_t heap_refs[kHeapFrames];  // heap-pool frame (grant-table frames) → foreign mappings
    FrameInfo* heap_first;
    Mfn heap_first_mfn;
};

KEEL_FUZZ_UNINSTRUMENTED void check_leaf(Expected& x, const Domain& d, unsigned level, uint64_t desc)
{
    const arm64::Stage2Attrs a = arm64::Stage2::decode(desc);
    const Mfn out = Mfn::of(arm64::vmsa::leaf_address(desc, level));
    const uint64_t pages = arm64::vmsa::level_size(level) >> kPageShift;
    const uint64_t at = out.raw() - x.first_mfn.raw();
    switch (a.kind) {
    case arm64::S2Kind::Ram:
        fuzz_assert(at < kDomainFrames && at + pages <= kDomainFrames, "RAM is domain-pool frames");
        for (uint64_t i = 0; i < pages; ++i) {
            const FrameInfo& f = x.first[at + i];
            fuzz_assert(f.state() == FrameState::Allocated, "no frame mapped as RAM is free");
            fuzz_assert(f.owner == d.id, "RAM is mapped by its owner only");
        }
        break;
    case arm64::S2Kind::GrantMapRw:
    case arm64::S2Kind::GrantMapRo:
        fuzz_assert(level == arm64::vmsa::kLastLevel && at < kDomainFrames, "a grant mapping maps a domain-pool page");
        fuzz_assert(x.first[at].state() == FrameState::Allocated, "no grant-mapped frame is free");
        ++x.refs[at];
        break;
    case arm64::S2Kind::ForeignRw: {
        // Another domain's RAM (gmfn_foreign) or a frame of its grant table
        // (acquire_resource, a heap page): either way one reference held.
        fuzz_assert(level == arm64::vmsa::kLastLevel, "foreign mappings are pages");
        fuzz_assert(d.privileged, "only a privileged domain maps foreign pages");
        fuzz_assert(!a.exec && a.access == arm64::S2Access::RW, "a foreign mapping is RW, never executable");
        const uint64_t heap_at = out.raw() - x.heap_first_mfn.raw();
        if (at < kDomainFrames) {
            fuzz_assert(x.first[at].state() == FrameState::Allocated, "no foreign-mapped frame is free");
            fuzz_assert(x.first[at].owner != d.id, "a foreign mapping maps another domain's page");
            ++x.refs[at];
        } else {
            fuzz_assert(heap_at < kHeapFrames, "a foreign mapping maps a domain-pool or heap page");
            fuzz_assert(x.heap_first[heap_at].state() == FrameState::Allocated, "no foreign-mapped keel page is free");
            ++x.heap_refs[heap_at];
        }
        break;
    }
    default: break;
    }
}

KEEL_FUZZ_UNINSTRUMENTED void walk_table(Expected& x, const Domain& d, PhysAddr table, unsigned level)
{
    const uint64_t* t = p2m_env().table_ptr(table);
    for (unsigned i = 0; i < kPageSize / 8; ++i) {
        if (i % 8 == 0 && (t[i] | t[i + 1] | t[i + 2] | t[i + 3] | t[i + 4] | t[i + 5] | t[i + 6] | t[i + 7]) == 0) {
            i += 7;  // most of a table is empty: eight entries at a time
            continue;
        }
        const uint64_t desc = t[i];
        if ((desc & 1) == 0) continue;
        if (level < arm64::vmsa::kLastLevel && (desc & 2) != 0) {
            walk_table(x, d, PhysAddr{desc & arm64::vmsa::OutputAddr::kMask}, level + 1);
        } else {
            check_leaf(x, d, level, desc);
        }
    }
}

KEEL_FUZZ_UNINSTRUMENTED void check_events(World& w)
{
    for (int i = 0; i < kDomains; ++i) {
        if (w.dom[i] == nullptr || w.dom[i]->events == nullptr) continue;
        DomainEvents& de = *w.dom[i]->events;
        const uint32_t valid = de.valid_ports.load();
        for (uint32_t p = 0; p < valid; ++p) {
            EvtchnPort* bucket = de.bucket[p / kEvtchnPortsPerBucket];
            if (bucket == nullptr) continue;
            EvtchnPort* e = &bucket[p % kEvtchnPortsPerBucket];
            if (e->state != PortState::Interdomain) continue;
            bool live = false;
            for (int j = 0; j < kDomains; ++j) live |= w.dom[j] != nullptr && e->peer == w.dom[j]->events;
            fuzz_assert(live, "an interdomain port's peer is a live domain");
            fuzz_assert(e->remote_domid == e->peer->domid, "remote_domid names the peer");
            EvtchnPort* back = evtchn::port_of(*e->peer, e->peer_port);
            fuzz_assert(back != nullptr && back->state == PortState::Interdomain && back->peer == &de &&
                            back->peer_port == p,
                        "the peer port points back");
        }
    }
}

KEEL_FUZZ_UNINSTRUMENTED void check_world(World& w)
{
    static Expected x;
    std::memset(x.refs, 0, sizeof x.refs);
    std::memset(x.heap_refs, 0, sizeof x.heap_refs);
    x.first_mfn = bank_first() + kHeapFrames;
    x.first = memory().frames().find(x.first_mfn);
    x.heap_first_mfn = bank_first();
    x.heap_first = memory().frames().find(x.heap_first_mfn);
    for (int i = 0; i < kDomains; ++i) {
        Domain* d = w.dom[i];
        if (d == nullptr) continue;
        fuzz_assert(d->state.load() == DomainState::Running, "a domain in the table runs");
        walk_table(x, *d, d->p2m.root, arm64::Stage2::kStartLevel);
        const auto* words = reinterpret_cast<const uint64_t*>(g_device[i].bytes);
        for (size_t k = 0; k < kPageSize / 8; ++k)
            fuzz_assert(words[k] == 0xa5a5a5a5a5a5a5a5, "no write lands in an MMIO page");
    }
    uint64_t vmapped = 0;  // vmaps of referenced frames: every vmap must be among them
    for (uint64_t k = 0; k < kDomainFrames; ++k) {
        const FrameInfo& f = x.first[k];
        const uint32_t refs = f.refcount & kFrameRefMax;
        const uint32_t vmaps = refs != 0 ? vmap_count(x.first_mfn + k) : 0;
        vmapped += vmaps;
        fuzz_assert(refs == x.refs[k] + vmaps, "references = grant mappings + vmap pins");
        if (refs != 0) fuzz_assert(f.state() == FrameState::Allocated, "no frame free while referenced");
    }
    fuzz_assert(vmapped == vmap_live(), "every page in the vmap window is a pinned domain-pool frame");
    for (uint64_t k = 0; k < kHeapFrames; ++k) {
        const FrameInfo& f = x.heap_first[k];
        const uint32_t refs = f.refcount & kFrameRefMax;
        fuzz_assert(refs == x.heap_refs[k], "a keel page's references are its foreign mappings");
        if (refs != 0) fuzz_assert(f.state() == FrameState::Allocated, "no keel page free while referenced");
    }
    fuzz_assert(transient_live() == 0, "no transient slot stays mapped");
    check_events(w);
}

bool xen_errno(long r)
{
    if (r == -33 || r == -84) return true;  // EDOM, EILSEQ (memory_op)
    switch (static_cast<xen::XenErrno>(-r)) {
    case xen::XenErrno::Perm: case xen::XenErrno::NoEnt: case xen::XenErrno::Srch:
    case xen::XenErrno::Intr: case xen::XenErrno::Io: case xen::XenErrno::NxIo:
    case xen::XenErrno::TooBig: case xen::XenErrno::NoExec: case xen::XenErrno::BadF:
    case xen::XenErrno::Again: case xen::XenErrno::NoMem: case xen::XenErrno::Acces:
    case xen::XenErrno::Fault: case xen::XenErrno::Busy: case xen::XenErrno::Exist:
    case xen::XenErrno::XDev: case xen::XenErrno::NoDev: case xen::XenErrno::Inval:
    case xen::XenErrno::NFile: case xen::XenErrno::MFile: case xen::XenErrno::NoSpc:
    case xen::XenErrno::RoFs: case xen::XenErrno::Range: case xen::XenErrno::DeadLk:
    case xen::XenErrno::NameTooLong: case xen::XenErrno::NoSys: case xen::XenErrno::NotEmpty:
    case xen::XenErrno::NoData: case xen::XenErrno::Time: case xen::XenErrno::Overflow:
    case xen::XenErrno::Restart: case xen::XenErrno::OpNotSupp: case xen::XenErrno::TimedOut:
        return true;
    }
    return false;
}

// --- one hypercall ------------------------------------------------------------------------

// Whether the port a bind_interdomain at `arg` names was offered to the caller.
bool offered_to_caller(World& w, int self, uint64_t arg)
{
    xen::EvtchnBindInterdomain op{};
    if (!guest_load(*w.dom[self], arg, &op, sizeof op)) return false;
    const uint16_t remote = op.remote_dom == xen::kDomidSelf ? domid_of(self) : op.remote_dom;
    if (remote < 1 || remote > kDomains || w.dom[remote - 1] == nullptr) return false;
    DomainEvents* re = w.dom[remote - 1]->events;
    EvtchnPort* p = re != nullptr ? evtchn::port_of(*re, op.remote_port) : nullptr;
    return p != nullptr && p->state == PortState::Unbound && p->remote_domid == domid_of(self);
}

void hypercall(Input& in, World& w, int self)
{
    Domain& d = *w.dom[self];
    Vcpu& v = *d.vcpus[in.u8() % d.vcpu_count];
    const uint8_t sel = in.u8();
    const uint64_t nr = sel < 0xf0 ? kCalls[sel % (sizeof kCalls / sizeof kCalls[0])] : in.le(sel % 2 ? 1 : 8);
    arm64::TrapFrame& f = fake_frame();
    f = {};
    f.spsr = (in.u8() & 1) != 0 ? uint64_t{1} << 7 : 0;  // guest IRQs masked or not
    f.elr = 0x1000;
    f.x[16] = nr;
    unsigned width = 0;
    for (unsigned i = 0; i < 5; ++i) f.x[i] = value(in, w, self, width);
    write_blocks(in, w, self);
    set_preempt_pattern(static_cast<uint32_t>(in.le(2)));

    const uint64_t cmd = f.x[0];
    const bool privileged = d.privileged;
    const bool bind = nr == 32 && f.x[0] == static_cast<uint64_t>(xen::EvtchnOp::BindInterdomain);
    const bool offered = bind && offered_to_caller(w, self, f.x[1]);
    // One GNTTABOP_map_grant_ref (its result is checked after the call).
    const bool map_one = nr == 20 && (f.x[0] & 0xfff) == 0 && f.x[0] >> 12 == 0 && f.x[2] == 1;
    const uint64_t map_arg = f.x[1];

    set_current_vcpu(&v);
    int issues = 0;
    for (;;) {
        handle_hypercall(v, f);
        if (take_kill_request(v)) {
            // The caller ended its own domain: it stops at its scheduling point.
            set_current_vcpu(nullptr);
            v.state.store(VcpuState::Dead);
            domain_vcpu_dead(v);
            forget_freed(w);
            return;
        }
        if (f.elr == 0x1000) break;
        fuzz_assert(f.elr == 0x1000 - 4, "a continuation re-executes the HVC");
        fuzz_assert(++issues <= kMaxReissues, "a continued hypercall ends");
        f.elr = 0x1000;
    }
    set_current_vcpu(nullptr);
    const long r = static_cast<long>(f.x[0]);
    static const bool trace = std::getenv("FUZZ_HANDLERS_TRACE") != nullptr;
    if (trace)
        std::fprintf(stderr, "d%d v%u hypercall %llu cmd %llu: %ld (%d continuations)\n", self + 1, v.id,
                     static_cast<unsigned long long>(nr), static_cast<unsigned long long>(cmd), r, issues);
    fuzz_assert(r >= 0 || xen_errno(r), "a hypercall returns >= 0 or a Xen errno");
    if (map_one && r == 0) {
        // A successful grant map reports the machine address of the frame it
        // mapped (dom0's swiotlb-xen DMAs to it).
        xen::GnttabMapGrantRef op{};
        if (guest_load(d, map_arg, &op, sizeof op) && op.status == 0) {
            const Result<Stage2Leaf> leaf = stage2_leaf(d, op.host_addr >> kPageShift);
            fuzz_assert(leaf.ok() && leaf.value().mfn.addr().raw() == op.dev_bus_addr,
                        "dev_bus_addr is the machine address of the granted frame");
        }
    }
    if (bind && r == 0) fuzz_assert(offered, "bind_interdomain binds only a port offered to the caller");
    if ((nr == 7 || nr == 35 || nr == 36) && !privileged)
        fuzz_assert(r < 0, "platform_op, sysctl and domctl succeed for the control domain only");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    fake_memory_init();
    Input in{data, size};
    const uint64_t heap_before = free_heap_frames();
    const uint64_t pool_before = free_domain_frames();
    const unsigned vmids_before = arm64::vmids().used();
    static World* wp = new World{};
    World& w = *wp;
    *wp = World{};
    for (int i = 0; i < kDomains; ++i) fuzz_assert(build(w, i, in), "a domain can be built");
    check_world(w);

    for (int step = 0; step < kMaxSteps && !in.empty(); ++step) {
        const uint8_t op = in.u8();
        const int target = op % kDomains;
        if (op < 0xe0) {
            if (w.dom[target] != nullptr) hypercall(in, w, target);
        } else if (op < 0xe8) {
            advance_time(arm64::timer::rate().from_ms(uint64_t{1} << (op & 7)));
        } else if (op < 0xf0) {
            const uint8_t page = in.u8();
            if (w.dom[target] != nullptr) set_page(in, w.space[target], page, w.ram_pages[target]);
        } else if (op < 0xf8) {
            crash(w, target);
        } else if (w.dom[target] == nullptr) {
            (void)build(w, target, in);
        }
        forget_freed(w);
        for (int i = 0; i < kDomains; ++i)
            if (w.dom[i] != nullptr)
                for (uint32_t v = 0; v < w.dom[i]->vcpu_count; ++v) (void)take_injections(*w.dom[i]->vcpus[v]);
        check_world(w);
    }

    for (int i = 0; i < kDomains; ++i) crash(w, i);
    fuzz_assert(domain_count() == 0, "every domain is freed");
    fuzz_assert(free_heap_frames() == heap_before, "every heap-pool frame is back");
    fuzz_assert(free_domain_frames() == pool_before, "every domain-pool frame is back");
    fuzz_assert(arm64::vmids().used() == vmids_before, "every VMID is back");
    fuzz_assert(vmap_live() == 0, "nothing stays in the vmap window");
    fuzz_assert(this_cpu().timers.empty(), "no timer stays armed");
    return 0;
}
