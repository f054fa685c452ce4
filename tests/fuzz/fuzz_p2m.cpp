// SPDX-License-Identifier: MIT
//
// tests/fuzz/fuzz_p2m.cpp
// Harness 7: the pure p2m (core/memory/p2m.cpp) with frame references
// (core/memory/frame_ref.cpp), driven by random operation sequences on two
// domains (1 and 2) over a fake P2mEnv written here after the unit tests'
// fake_p2m_env.hpp: RAM from a real buddy allocator over a fake 8 MiB bank,
// table pages from a small arena (with a limit the input moves), real VMIDs.
// Operations: populate RAM ranges and extents, pin pages (p2m_get_page) and
// drop/add references, map a frame of the other domain as a grant mapping
// (into a hole or over RAM) and unmap it, map a RAM page of the other domain
// as a foreign mapping (p2m_get_ram_page + p2m_map_foreign: into a hole, over
// RAM, over an older foreign entry, refused elsewhere) and unmap it, give RAM
// pages back (splitting block descriptors, shattering blocks), map/unmap keel
// pages over RAM, destroy a domain while the other still holds references,
// init it again.
//
// Invariants. Full check (check_full): every frame's reference count equals
// the pins the harness holds plus the grant and foreign mappings naming it; no frame is
// free in the allocator while referenced, mapped by any p2m, or on a domain's
// RAM list; each RAM list is consistent (owner, counts, cur_frames); every
// grant and keel leaf is one the harness made; the pool's free frames plus the
// frames owned or still referenced make up the bank. Freeing a frame with
// references left is caught in the fake's free_ram. At the end both domains
// are destroyed and every reference dropped: every frame, table page and VMID
// is back, the free lists exactly as at the start.
//
// Cost: the full check walks every frame of the bank and both p2ms, so it runs
// after every kFullCheckEvery-th step and at the end. After every other step
// check_step checks the frames the step touched (every block the fake handed
// out or took back, every frame the harness pinned, unpinned or grant-mapped,
// and after an operation that may drop RAM every frame still pinned or
// mapped): reference count = the harness's model, referenced ⇒ allocated,
// dropped-but-allocated ⇒ referenced; plus the bank's frame balance (free +
// cur_frames + dropped-but-referenced = the bank) and that a destroyed p2m
// holds nothing, both O(1). The full check also compares the model the step
// checks keep (references and dropped frames per frame) with what it finds. The
// bank's records and the allocator are restored from a snapshot before each
// input (identical start state, no per-input allocation); checker code is
// left out of coverage (it would only add noise to the feedback) and of ASan.
// FUZZ_P2M_TRACE=1 in the environment prints each step (domain, operation) to
// stderr.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <algorithm>
#include <vector>

#include "arch/arm64/mmu/descriptor.hpp"
#include "arch/arm64/mmu/stage2.hpp"
#include "arch/arm64/mmu/vmid.hpp"
#include "core/memory/frame_allocator.hpp"
#include "core/memory/frame_ref.hpp"
#include "core/memory/p2m.hpp"

// Checker code: not instrumented for coverage, nor for ASan's load checks (it
// reads only frame records and table pages, which are never poisoned, so
// ASan could only catch a checker bug there; keel's code keeps every check),
// nor for UBSan's per-access pointer checks (the same reasoning).
#define FUZZ_CHECKER __attribute__((no_sanitize("coverage", "address", "undefined")))
// The fake environment keel calls: out of coverage (its loops and checks are
// the harness's, not keel's branches), still under ASan.
#define FUZZ_FAKE __attribute__((no_sanitize("coverage")))

using namespace keel;

namespace {

FUZZ_CHECKER void fuzz_assert(bool ok, const char* what)
{
    if (!ok) {
        std::fprintf(stderr, "fuzz_p2m: invariant broken: %s\n", what);
        __builtin_trap();
    }
}

constexpr uint64_t kBankBase = 0x8000'0000;
constexpr uint64_t kBankMfn = kBankBase >> kPageShift;
// 8 MiB: the biggest extent (order 10) fits twice, 2 MiB blocks form, and two of
// the largest populates (kMaxPopulatePages) use it up. Every per-input cost
// (reset, full check, populate, destroy) scales with it: 16 MiB was twice as slow
// for no shape an input could reach that this one cannot.
constexpr uint64_t kBankFrames = 2048;
constexpr uint64_t kMaxPopulatePages = kBankFrames / 2;
constexpr size_t kTablePages = 96;
constexpr uint64_t kTableBase = 0x7f00'0000'0000;  // fake "physical" address of table page 0
constexpr uint64_t kGfnBase = 0x40000;             // guest RAM window: 1 GiB
constexpr uint64_t kGfnWindow = 8192;               // 32 MiB of GFNs the operations aim at
constexpr uint64_t kKeelMfn = 0x777;                 // keel pages: outside the bank, not counted
constexpr int kFullCheckEvery = 32;                  // steps between two full checks

// Index of `m` in the bank, or kBankFrames when it lies outside.
FUZZ_CHECKER uint64_t bank_index(Mfn m)
{
    const uint64_t i = m.raw() - kBankMfn;  // wraps below the bank
    return i < kBankFrames ? i : kBankFrames;
}

// One per process (see "Cost" above): reset() brings it back to the state the
// constructor left.
class Env final : public P2mEnv {
public:
    Env()
    {
        const PhysRange bank{PhysAddr{kBankBase}, kBankFrames << kPageShift};
        fuzz_assert(FrameTable::frames_needed({&bank, 1}) == kBankFrames, "the bank is one segment");
        table_.init({&bank, 1}, storage_, kBankFrames);
        pool.init(table_, 2);
        pool.add_free(Mfn::of(bank.base), kBankFrames);
        std::memcpy(pristine_, storage_, sizeof(storage_));
        pristine_pool_ = pool;
        arena_ = static_cast<uint64_t*>(std::aligned_alloc(kPageSize, kTablePages * kPageSize));
        reset();
    }

    void reset()
    {
        std::memcpy(storage_, pristine_, sizeof(storage_));
        pool = pristine_pool_;
        free_tables_.clear();
        for (size_t i = kTablePages; i > 0; --i) free_tables_.push_back(i - 1);
        std::fill(std::begin(live_), std::end(live_), false);
        live_tables = 0;
        table_limit = ~size_t{0};
        clear_touched();
    }

    FUZZ_FAKE Result<PhysAddr> alloc_table() override
    {
        if (free_tables_.empty() || live_tables >= table_limit) return Errno::NoMem;
        const size_t i = free_tables_.back();
        free_tables_.pop_back();
        live_[i] = true;
        ++live_tables;
        std::memset(arena_ + i * (kPageSize / 8), 0, kPageSize);
        return PhysAddr{kTableBase + i * kPageSize};
    }
    FUZZ_FAKE void free_table(PhysAddr t) override
    {
        const size_t i = index(t);
        fuzz_assert(live_[i], "a table page is freed while live");
        live_[i] = false;
        --live_tables;
        free_tables_.push_back(i);
    }
    FUZZ_FAKE uint64_t* table_ptr(PhysAddr t) override
    {
        const size_t i = index(t);
        fuzz_assert(live_[i], "only live table pages are used");
        return arena_ + i * (kPageSize / 8);
    }

    FrameTable& frames() override { return table_; }
    FUZZ_FAKE Result<Mfn> alloc_ram(unsigned order) override
    {
        auto m = pool.alloc(order);
        if (m.ok()) touch(m.value(), uint64_t{1} << order);
        return m;
    }
    FUZZ_FAKE void free_ram(Mfn first, unsigned order) override
    {
        for (uint64_t i = 0; i < (uint64_t{1} << order); ++i) {
            const uint64_t b = bank_index(first + i);
            fuzz_assert(b < kBankFrames, "free_ram only of bank frames");
            FrameInfo& f = storage_[b];
            fuzz_assert(f.state() == FrameState::Allocated, "no frame freed twice");
            fuzz_assert(frame_ref_count(f) == 0, "no frame freed while a reference to it is held");
        }
        touch(first, uint64_t{1} << order);
        pool.free(first, order);
    }
    void scrub_ram(Mfn, unsigned) override {}
    Result<uint16_t> alloc_vmid() override { return vmid_pool.alloc(); }
    void free_vmid(uint16_t vmid) override { vmid_pool.free(vmid); }
    void flush_guest_tlb(uint64_t) override {}
    void publish_tables() override {}
    unsigned ipa_bits() const override { return 39; }

    // The bank's records, by index (the table is one segment starting at index 0).
    [[gnu::always_inline]] FUZZ_CHECKER FrameInfo& frame(uint64_t i) { return storage_[i]; }

    // Frames changed since the last clear_touched() (each listed once).
    FUZZ_CHECKER void touch(Mfn first, uint64_t count)
    {
        for (uint64_t k = 0; k < count; ++k) {
            const uint64_t i = bank_index(first + k);
            if (i == kBankFrames || marked_[i]) continue;
            marked_[i] = true;
            touched_[touched_count_++] = static_cast<uint32_t>(i);
        }
    }
    FUZZ_CHECKER const uint32_t* touched_begin() const { return touched_; }
    FUZZ_CHECKER const uint32_t* touched_end() const { return touched_ + touched_count_; }
    FUZZ_CHECKER void clear_touched()
    {
        for (size_t k = 0; k < touched_count_; ++k) marked_[touched_[k]] = false;
        touched_count_ = 0;
    }

    FrameAllocator pool;
    arm64::VmidAllocator vmid_pool;
    size_t live_tables = 0;
    size_t table_limit = ~size_t{0};

private:
    FUZZ_FAKE size_t index(PhysAddr t) const
    {
        const uint64_t off = t.raw() - kTableBase;
        fuzz_assert(off % kPageSize == 0 && off / kPageSize < kTablePages, "a table address of the arena");
        return off / kPageSize;
    }

    FrameInfo storage_[kBankFrames];
    FrameInfo pristine_[kBankFrames];
    FrameAllocator pristine_pool_;
    FrameTable table_;
    uint64_t* arena_ = nullptr;
    std::vector<size_t> free_tables_;
    bool live_[kTablePages] = {};
    bool marked_[kBankFrames] = {};
    // A plain array, not std::vector: its ASan-instrumented accessors would not
    // inline into the uninstrumented touch() (a tenth of the run once).
    uint32_t touched_[kBankFrames] = {};
    size_t touched_count_ = 0;
};

struct GrantMap {
    int mapper;  // 0 or 1 (domain 1 or 2)
    uint64_t gfn;
    Mfn mfn;
    bool ro;
    bool foreign = false;  // a ForeignRw entry (p2m_map_foreign), not a grant mapping
};

struct KeelMap {
    int dom;
    uint64_t gfn;
    P2mType type;
};

// What the harness expects of each frame of the bank, kept step by step.
struct Model {
    uint32_t refs[kBankFrames] = {};  // pins + grant mappings
    bool held[kBankFrames] = {};      // allocated and dropped by its owner (so: still referenced)
    uint64_t held_count = 0;
};

struct World {
    explicit World(Env& e) : env{e} {}
    Env& env;
    P2m p2m[2];
    std::vector<Mfn> pins;  // references the harness holds (one entry each)
    std::vector<GrantMap> grants;
    std::vector<KeelMap> keel;
    Model model;
};

FUZZ_CHECKER uint16_t domid(int d) { return static_cast<uint16_t>(d + 1); }

struct LeafCheck {
    World* w;
    int dom;
    uint32_t* refs;  // frame of the bank → references expected
    size_t grant_leaves = 0;
    size_t keel_leaves = 0;
    uint64_t ram_pages = 0;
};

FUZZ_CHECKER void check_leaf(void* ctx, uint64_t in, unsigned level, uint64_t desc)
{
    auto* c = static_cast<LeafCheck*>(ctx);
    Env& env = c->w->env;
    const arm64::Stage2Attrs a = arm64::Stage2::decode(desc);
    const PhysAddr out = arm64::vmsa::leaf_address(desc, level);
    const uint64_t pages = arm64::vmsa::level_size(level) >> kPageShift;
    const uint64_t gfn = in >> kPageShift;
    switch (a.kind) {
    case arm64::S2Kind::Ram:
        c->ram_pages += pages;
        for (uint64_t i = 0; i < pages; ++i) {
            const uint64_t b = bank_index(Mfn::of(out) + i);
            fuzz_assert(b < kBankFrames, "RAM maps bank frames");
            const FrameInfo& f = env.frame(b);
            fuzz_assert(f.state() == FrameState::Allocated, "no frame a p2m maps as RAM is free");
            fuzz_assert(f.owner == domid(c->dom), "RAM mapped by its owner only");
            fuzz_assert((f.refcount & kFrameRefOrphan) == 0, "no RAM mapped after the owner dropped it");
        }
        break;
    case arm64::S2Kind::GrantMapRw:
    case arm64::S2Kind::GrantMapRo: {
        fuzz_assert(level == arm64::vmsa::kLastLevel, "grant mappings are pages");
        ++c->grant_leaves;
        const Mfn m = Mfn::of(out);
        bool found = false;
        for (const GrantMap& g : c->w->grants)
            found = found || (g.mapper == c->dom && g.gfn == gfn && g.mfn == m && !g.foreign &&
                              g.ro == (a.kind == arm64::S2Kind::GrantMapRo));
        fuzz_assert(found, "every grant leaf is a grant mapping made");
        const uint64_t b = bank_index(m);
        fuzz_assert(b < kBankFrames && env.frame(b).state() == FrameState::Allocated,
                    "no grant-mapped frame is free");
        ++c->refs[b];
        break;
    }
    case arm64::S2Kind::ForeignRw: {
        fuzz_assert(level == arm64::vmsa::kLastLevel, "foreign mappings are pages");
        fuzz_assert(a.access == arm64::S2Access::RW && !a.exec && a.type == arm64::S2MemType::Normal,
                    "a foreign mapping is normal memory, read/write, never executable");
        ++c->grant_leaves;
        const Mfn m = Mfn::of(out);
        bool found = false;
        for (const GrantMap& g : c->w->grants)
            found = found || (g.mapper == c->dom && g.gfn == gfn && g.mfn == m && g.foreign);
        fuzz_assert(found, "every foreign leaf is a foreign mapping made");
        const uint64_t b = bank_index(m);
        fuzz_assert(b < kBankFrames && env.frame(b).state() == FrameState::Allocated,
                    "no foreign-mapped frame is free");
        fuzz_assert(env.frame(b).owner == domid(1 - c->dom), "a foreign mapping maps the other domain's frame");
        ++c->refs[b];
        break;
    }
    case arm64::S2Kind::SharedInfo:
    case arm64::S2Kind::GrantTable:
        ++c->keel_leaves;
        break;
    default:
        fuzz_assert(false, "only RAM, grant and keel pages are mapped");
    }
}

// The invariants over what the last step touched (see "Cost" above).
FUZZ_CHECKER void check_step(World& w)
{
    Env& env = w.env;
    Model& model = w.model;
    for (const uint32_t* it = env.touched_begin(); it != env.touched_end(); ++it) {
        const uint32_t i = *it;
        FrameInfo& f = env.frame(i);
        const uint32_t want = model.refs[i];
        fuzz_assert(frame_ref_count(f) == want, "reference counts balance (pins + grant mappings)");
        const bool allocated = f.state() == FrameState::Allocated;
        if (want != 0) fuzz_assert(allocated, "no frame free while referenced");
        const bool held = allocated && (f.refcount & kFrameRefOrphan) != 0;
        if (held) fuzz_assert(want != 0, "a dropped frame stays allocated only while referenced");
        if (held != model.held[i]) {
            model.held[i] = held;
            model.held_count += held ? 1 : uint64_t(-1);
        }
    }
    env.clear_touched();
    uint64_t owned = 0;
    for (const P2m& p : w.p2m) {
        if (p.ready()) {
            owned += p.cur_frames;
        } else {
            fuzz_assert(p.table_pages == 0 && p.ram_blocks == kNoFrame && p.cur_frames == 0,
                        "a destroyed p2m holds nothing");
        }
    }
    fuzz_assert(env.pool.free_frames() + owned + model.held_count == kBankFrames,
                "free + owned + dropped-but-referenced frames make up the bank");
}

// Every invariant, over every frame of the bank and every leaf of both p2ms.
FUZZ_CHECKER void check_full(World& w)
{
    check_step(w);  // brings the model up to date
    Env& env = w.env;
    FrameTable& frames = env.frames();
    // Frame of the bank → references. A plain array: std::vector's accessors are
    // ASan-instrumented and would not inline into this uninstrumented checker.
    static uint32_t expected[kBankFrames];
    std::memset(expected, 0, sizeof expected);
    for (const Mfn& m : w.pins) ++expected[m.raw() - kBankMfn];
    uint64_t owned = 0;
    for (int d = 0; d < 2; ++d) {
        P2m& p = w.p2m[d];
        if (!p.ready()) {
            fuzz_assert(p.table_pages == 0 && p.ram_blocks == kNoFrame && p.cur_frames == 0,
                        "a destroyed p2m holds nothing");
            continue;
        }
        LeafCheck c{&w, d, expected};
        const arm64::PageTableWalker walker{env, p.root, arm64::Stage2::kStartLevel,
                                            arm64::Stage2::kInputBits};
        walker.for_each_leaf(check_leaf, &c);
        size_t grants = 0;
        size_t keels = 0;
        for (const GrantMap& g : w.grants) grants += g.mapper == d;
        for (const KeelMap& k : w.keel) keels += k.dom == d;
        fuzz_assert(c.grant_leaves == grants, "each grant mapping made is one grant leaf");
        fuzz_assert(c.keel_leaves == keels, "each keel page mapped is one leaf");
        // The RAM list.
        uint64_t listed = 0;
        uint32_t blocks = 0;
        FrameIndex prev = kNoFrame;
        for (FrameIndex i = p.ram_blocks; i != kNoFrame; i = frames.at(i).next) {
            fuzz_assert(++blocks <= kBankFrames, "the RAM list ends");
            fuzz_assert(i < kBankFrames, "RAM list links are frames of the bank");
            fuzz_assert(env.frame(i).prev == prev, "RAM list back links");
            const unsigned order = env.frame(i).order;
            fuzz_assert(order <= kP2mMaxOrder, "RAM block order");
            fuzz_assert(i + (uint64_t{1} << order) <= kBankFrames, "RAM blocks lie in the bank");
            for (uint64_t j = 0; j < (uint64_t{1} << order); ++j) {
                const FrameInfo& f = env.frame(i + j);
                fuzz_assert(f.state() == FrameState::Allocated, "no frame on a RAM list is free");
                fuzz_assert(f.owner == domid(d), "RAM list frames are the owner's");
                fuzz_assert((f.refcount & kFrameRefOrphan) == 0, "no dropped frame on a RAM list");
            }
            listed += uint64_t{1} << order;
            prev = i;
        }
        fuzz_assert(blocks == p.ram_block_count, "ram_block_count counts the list");
        fuzz_assert(listed == p.cur_frames, "cur_frames counts the list");
        fuzz_assert(c.ram_pages <= p.cur_frames, "RAM mapped is RAM owned");
        owned += listed;
    }
    // Every frame of the bank.
    uint64_t held_orphans = 0;
    for (uint64_t i = 0; i < kBankFrames; ++i) {
        FrameInfo& f = env.frame(i);
        const uint32_t want = expected[i];
        fuzz_assert(want == w.model.refs[i], "the step checks' model counts the references");
        fuzz_assert(frame_ref_count(f) == want, "reference counts balance (pins + grant mappings)");
        if (want != 0) fuzz_assert(f.state() == FrameState::Allocated, "no frame free while referenced");
        const bool held = f.state() == FrameState::Allocated && (f.refcount & kFrameRefOrphan) != 0;
        if (held) {
            fuzz_assert(want != 0, "a dropped frame stays allocated only while referenced");
            ++held_orphans;
        }
        fuzz_assert(held == w.model.held[i], "the step checks saw every frame dropped or freed");
    }
    fuzz_assert(held_orphans == w.model.held_count, "the step checks count the dropped frames");
    fuzz_assert(env.pool.free_frames() + owned + held_orphans == kBankFrames,
                "free + owned + dropped-but-referenced frames make up the bank");
}

// The harness's references change: the model follows, the frame is touched.
void add_ref(World& w, Mfn m)
{
    const uint64_t b = bank_index(m);
    fuzz_assert(b < kBankFrames, "references only to bank frames");
    ++w.model.refs[b];
    w.env.touch(m, 1);
}

void drop_ref(World& w, Mfn m)
{
    --w.model.refs[bank_index(m)];
    w.env.touch(m, 1);
}

// Before an operation that may drop RAM of its owner: every frame referenced
// may become a dropped-but-referenced one.
void touch_referenced(World& w)
{
    for (const Mfn& m : w.pins) w.env.touch(m, 1);
    for (const GrantMap& g : w.grants) w.env.touch(g.mfn, 1);
}

// Nothing mapped in [base, base + pages) of `p` (what p2m_type_of answers
// page by page, walked once: holes are skipped a table entry at a time).
FUZZ_CHECKER bool range_empty(World& w, const P2m& p, uint64_t base, uint64_t pages)
{
    namespace vmsa = arm64::vmsa;
    if (!p.ready()) return true;
    uint64_t in = base << kPageShift;
    const uint64_t end = (base + pages) << kPageShift;
    while (in < end) {
        PhysAddr table = p.root;
        for (unsigned level = arm64::Stage2::kStartLevel;; ++level) {
            const uint64_t d = w.env.table_ptr(table)[(in >> vmsa::level_shift(level)) % vmsa::kEntriesPerTable];
            if (vmsa::is_table(d, level)) {
                table = vmsa::table_address(d);
                continue;
            }
            if (vmsa::is_leaf(d, level)) return false;
            in = (in & ~(vmsa::level_size(level) - 1)) + vmsa::level_size(level);
            break;
        }
    }
    return true;
}

uint64_t pick_gfn(FuzzedDataProvider& in)
{
    switch (in.ConsumeIntegralInRange<int>(0, 15)) {
    case 0: return in.ConsumeIntegral<uint64_t>();  // anything
    case 1: return kGfnBase + kGfnWindow + in.ConsumeIntegralInRange<uint64_t>(0, 1024);
    default: return kGfnBase + in.ConsumeIntegralInRange<uint64_t>(0, kGfnWindow - 1);
    }
}

void add_pin(World& w, Mfn m)
{
    w.pins.push_back(m);
    add_ref(w, m);
}

void remove_pin(World& w, size_t i)
{
    const Mfn m = w.pins[i];
    frame_put(w.env, m);
    w.pins.erase(w.pins.begin() + static_cast<long>(i));
    drop_ref(w, m);
}

void destroy(World& w, int d)
{
    touch_referenced(w);
    p2m_destroy(w.p2m[d], w.env);
    for (const GrantMap& g : w.grants)
        if (g.mapper == d) drop_ref(w, g.mfn);  // p2m_destroy dropped the grant leaves' references
    std::erase_if(w.grants, [d](const GrantMap& g) { return g.mapper == d; });
    std::erase_if(w.keel, [d](const KeelMap& k) { return k.dom == d; });
}

Env& env_once()
{
    static Env* env = new Env;
    return *env;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    FuzzedDataProvider in{data, size};
    Env& env = env_once();
    env.reset();
    static World* world_storage = static_cast<World*>(::operator new(sizeof(World)));
    World& w = *new (world_storage) World{env};
    const uint64_t free_before = env.pool.free_frames();
    uint64_t lists_before[FrameAllocator::kOrders];
    for (unsigned o = 0; o < FrameAllocator::kOrders; ++o) lists_before[o] = env.pool.free_blocks(o);
    for (int d = 0; d < 2; ++d) fuzz_assert(p2m_init(w.p2m[d], env, domid(d)).ok(), "init");
    check_step(w);

    static const bool trace = std::getenv("FUZZ_P2M_TRACE") != nullptr;
    for (int step = 0; step < 200 && in.remaining_bytes() > 0; ++step) {
        const int d = in.ConsumeBool() ? 1 : 0;
        P2m& p = w.p2m[d];
        P2m& other = w.p2m[1 - d];
        const int op = in.ConsumeIntegralInRange<int>(0, 14);
        if (trace) std::fprintf(stderr, "step %d: dom %d op %d\n", step, domid(d), op);
        switch (op) {
        case 0: {  // populate a RAM range
            const uint64_t base = kGfnBase + in.ConsumeIntegralInRange<uint64_t>(0, kGfnWindow - 1);
            const uint64_t pages = in.ConsumeIntegralInRange<uint64_t>(0, kMaxPopulatePages);
            // Anything mapped in the range (an extent, a keel page, a grant
            // mapping) makes populate refuse with Busy and take nothing.
            const bool empty = range_empty(w, p, base, pages);
            const uint64_t ranges = p.ram_range_count;
            auto r = p2m_populate_ram(p, env, GuestPhysAddr{base << kPageShift}, pages << kPageShift);
            if (!empty) {
                fuzz_assert(!r.ok(), "populate_ram replaced an entry");
                fuzz_assert(p.ram_range_count == ranges, "a refused populate_ram kept its range");
            }
            break;
        }
        case 1: {  // populate an extent
            const unsigned order = in.ConsumeIntegralInRange<unsigned>(0, 10);
            const uint64_t gfn = pick_gfn(in) & ~((uint64_t{1} << order) - 1);
            (void)p2m_populate_extent(p, env, in.ConsumeBool() ? gfn : gfn | 1, order);
            break;
        }
        case 2:
        case 3: {  // pin a page
            auto m = p2m_get_page(p, env, pick_gfn(in), in.ConsumeBool());
            if (m.ok()) add_pin(w, m.value());
            break;
        }
        case 4:  // drop a pin
            if (!w.pins.empty()) remove_pin(w, in.ConsumeIntegralInRange<size_t>(0, w.pins.size() - 1));
            break;
        case 5:  // one more reference on a pinned frame
            if (!w.pins.empty()) {
                const Mfn m = w.pins[in.ConsumeIntegralInRange<size_t>(0, w.pins.size() - 1)];
                if (frame_get(env, m).ok()) add_pin(w, m);
            }
            break;
        case 6:
        case 7: {  // d maps a frame of the other domain as a grant mapping
            auto m = p2m_get_page(other, env, pick_gfn(in), false);
            const uint64_t gfn = pick_gfn(in);
            const bool ro = in.ConsumeBool();
            const bool over_ram = in.ConsumeBool();
            if (!m.ok()) break;
            const P2mType t = ro ? P2mType::GrantMapRo : P2mType::GrantMapRw;
            if (over_ram) touch_referenced(w);
            auto r = over_ram ? p2m_map_frame_over_ram(p, env, gfn, m.value(), t)
                              : p2m_map_frame(p, env, gfn, m.value(), t);
            if (r.ok()) {
                w.grants.push_back(GrantMap{d, gfn, m.value(), ro});
                add_ref(w, m.value());
            } else {
                frame_put(env, m.value());  // the reference stays the caller's
                env.touch(m.value(), 1);
            }
            break;
        }
        case 8: {  // unmap a grant mapping (sometimes with the wrong type)
            if (w.grants.empty()) break;
            const size_t i = in.ConsumeIntegralInRange<size_t>(0, w.grants.size() - 1);
            const GrantMap g = w.grants[i];
            const bool wrong = in.ConsumeIntegralInRange<int>(0, 7) == 0;
            const P2mType t = g.foreign ? (wrong ? P2mType::GrantMapRw : P2mType::ForeignRw)
                              : g.ro != wrong ? P2mType::GrantMapRo
                                              : P2mType::GrantMapRw;
            auto r = p2m_unmap_frame(w.p2m[g.mapper], env, g.gfn, t);
            if (wrong) {
                fuzz_assert(!r.ok() && r.error() == Errno::Inval, "unmap of another type is refused");
                break;
            }
            if (!r.ok()) break;  // no table page to split with (cannot happen for a page leaf)
            fuzz_assert(r.value() == g.mfn, "unmap returns the frame mapped");
            w.grants.erase(w.grants.begin() + static_cast<long>(i));
            frame_put(env, g.mfn);
            drop_ref(w, g.mfn);
            break;
        }
        case 9:
        case 10:  // give a RAM page back
            touch_referenced(w);
            (void)p2m_release_ram(p, env, pick_gfn(in));
            break;
        case 11: {  // map or unmap a keel page
            const uint64_t gfn = pick_gfn(in);
            const P2mType t = in.ConsumeBool() ? P2mType::SharedInfo : P2mType::GrantTable;
            switch (in.ConsumeIntegralInRange<int>(0, 2)) {
            case 0:
                touch_referenced(w);
                if (p2m_map_frame_over_ram(p, env, gfn, Mfn{kKeelMfn}, t).ok())
                    w.keel.push_back(KeelMap{d, gfn, t});
                break;
            case 1:
                if (p2m_map_frame(p, env, gfn, Mfn{kKeelMfn}, t).ok()) w.keel.push_back(KeelMap{d, gfn, t});
                break;
            default:
                for (size_t i = 0; i < w.keel.size(); ++i) {
                    if (w.keel[i].dom != d) continue;
                    auto r = p2m_unmap_frame(p, env, w.keel[i].gfn, w.keel[i].type);
                    fuzz_assert(!r.ok() || r.value() == Mfn{kKeelMfn}, "keel page unmapped");
                    if (r.ok()) w.keel.erase(w.keel.begin() + static_cast<long>(i));
                    break;
                }
            }
            break;
        }
        case 12:  // destroy a domain (the other may still hold references), or set it up again
            if (p.ready()) {
                destroy(w, d);
            } else {
                (void)p2m_init(p, env, domid(d));
            }
            break;
        case 14: {  // d maps a RAM page of the other domain as a foreign mapping
            auto m = p2m_get_ram_page(other, env, pick_gfn(in));
            const uint64_t gfn = pick_gfn(in);
            if (!m.ok()) break;
            // Over d's RAM (given back) or an older foreign entry (its
            // reference dropped); Busy over anything else.
            touch_referenced(w);
            auto r = p2m_map_foreign(p, env, gfn, m.value());
            if (!r.ok()) {
                fuzz_assert(r.error() != Errno::Busy || !range_empty(w, p, gfn, 1), "Busy only over an entry");
                frame_put(env, m.value());  // the reference stays the caller's
                env.touch(m.value(), 1);
                break;
            }
            for (size_t i = 0; i < w.grants.size(); ++i) {
                const GrantMap g = w.grants[i];
                if (g.mapper != d || g.gfn != gfn) continue;
                fuzz_assert(g.foreign, "a foreign mapping replaced only an older foreign one");
                drop_ref(w, g.mfn);
                w.grants.erase(w.grants.begin() + static_cast<long>(i));
                break;
            }
            for (const KeelMap& k : w.keel) fuzz_assert(k.dom != d || k.gfn != gfn, "no keel page replaced");
            w.grants.push_back(GrantMap{d, gfn, m.value(), false, true});
            add_ref(w, m.value());
            break;
        }
        case 13:  // table pages run out (or not)
            env.table_limit = in.ConsumeBool() ? ~size_t{0}
                                               : env.live_tables + in.ConsumeIntegralInRange<size_t>(0, 3);
            break;
        }
        if ((step + 1) % kFullCheckEvery == 0) {
            check_full(w);
        } else {
            check_step(w);
        }
    }

    check_full(w);
    destroy(w, 0);
    check_step(w);
    destroy(w, 1);
    check_step(w);
    while (!w.pins.empty()) remove_pin(w, w.pins.size() - 1);
    check_full(w);
    fuzz_assert(env.pool.free_frames() == free_before, "every frame back in the allocator");
    for (unsigned o = 0; o < FrameAllocator::kOrders; ++o)
        fuzz_assert(env.pool.free_blocks(o) == lists_before[o], "free lists as at the start");
    fuzz_assert(env.live_tables == 0, "every table page back");
    fuzz_assert(env.vmid_pool.used() == 0, "every VMID back");
    w.~World();
    return 0;
}
