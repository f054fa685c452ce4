// SPDX-License-Identifier: MIT
//
// tests/fuzz/fuzz_p2m.cpp
// Harness 7: the pure p2m (core/memory/p2m.cpp) with frame references
// (core/memory/frame_ref.cpp), driven by random operation sequences on two
// domains (1 and 2) over a fake P2mEnv written here after the unit tests'
// fake_p2m_env.hpp: RAM from a real buddy allocator over a fake 16 MiB bank,
// table pages from a small arena (with a limit the input moves), real VMIDs.
// Operations: populate RAM ranges and extents, pin pages (p2m_get_page) and
// drop/add references, map a frame of the other domain as a grant mapping
// (into a hole or over RAM) and unmap it, give RAM pages back (splitting block
// descriptors, shattering blocks), map/unmap keel pages over RAM, destroy a
// domain while the other still holds references, init it again. Invariants
// after every step: every frame's reference count equals the pins the harness
// holds plus the grant mappings naming it; no frame is free in the allocator
// while referenced, mapped by any p2m, or on a domain's RAM list; each RAM
// list is consistent (owner, counts, cur_frames); the pool's free frames plus
// the frames owned or still referenced make up the bank. Freeing a frame with
// references left is caught in the fake's free_ram. At the end both domains
// are destroyed and every reference dropped: every frame, table page and VMID
// is back, the free lists exactly as at the start. FUZZ_P2M_TRACE=1 in the
// environment prints each step (domain, operation) to stderr.
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

using namespace keel;

namespace {

void fuzz_assert(bool ok, const char* what)
{
    if (!ok) {
        std::fprintf(stderr, "fuzz_p2m: invariant broken: %s\n", what);
        __builtin_trap();
    }
}

constexpr uint64_t kBankBase = 0x8000'0000;
constexpr uint64_t kBankFrames = 4096;  // 16 MiB
constexpr size_t kTablePages = 96;
constexpr uint64_t kTableBase = 0x7f00'0000'0000;  // fake "physical" address of table page 0
constexpr uint64_t kGfnBase = 0x40000;             // guest RAM window: 1 GiB
constexpr uint64_t kGfnWindow = 8192;               // 32 MiB of GFNs the operations aim at
constexpr uint64_t kKeelMfn = 0x777;                 // keel pages: outside the bank, not counted

// Table pages: one arena for the process (zeroed on allocation).
uint64_t* table_arena()
{
    static uint64_t* arena =
        static_cast<uint64_t*>(std::aligned_alloc(kPageSize, kTablePages * kPageSize));
    return arena;
}

class Env final : public P2mEnv {
public:
    Env()
    {
        const PhysRange bank{PhysAddr{kBankBase}, kBankFrames << kPageShift};
        storage_.resize(FrameTable::frames_needed({&bank, 1}));
        table_.init({&bank, 1}, storage_.data(), storage_.size());
        pool.init(table_, 2);
        pool.add_free(Mfn::of(bank.base), kBankFrames);
        for (size_t i = kTablePages; i > 0; --i) free_tables_.push_back(i - 1);
    }

    Result<PhysAddr> alloc_table() override
    {
        if (free_tables_.empty() || live_tables >= table_limit) return Errno::NoMem;
        const size_t i = free_tables_.back();
        free_tables_.pop_back();
        live_[i] = true;
        ++live_tables;
        std::memset(table_arena() + i * (kPageSize / 8), 0, kPageSize);
        return PhysAddr{kTableBase + i * kPageSize};
    }
    void free_table(PhysAddr t) override
    {
        const size_t i = index(t);
        fuzz_assert(live_[i], "a table page is freed while live");
        live_[i] = false;
        --live_tables;
        free_tables_.push_back(i);
    }
    uint64_t* table_ptr(PhysAddr t) override
    {
        const size_t i = index(t);
        fuzz_assert(live_[i], "only live table pages are used");
        return table_arena() + i * (kPageSize / 8);
    }

    FrameTable& frames() override { return table_; }
    Result<Mfn> alloc_ram(unsigned order) override { return pool.alloc(order); }
    void free_ram(Mfn first, unsigned order) override
    {
        for (uint64_t i = 0; i < (uint64_t{1} << order); ++i) {
            FrameInfo* f = table_.find(first + i);
            fuzz_assert(f != nullptr, "free_ram only of bank frames");
            fuzz_assert(f->state() == FrameState::Allocated, "no frame freed twice");
            fuzz_assert(frame_ref_count(*f) == 0, "no frame freed while a reference to it is held");
        }
        pool.free(first, order);
    }
    void scrub_ram(Mfn, unsigned) override {}
    Result<uint16_t> alloc_vmid() override { return vmid_pool.alloc(); }
    void free_vmid(uint16_t vmid) override { vmid_pool.free(vmid); }
    void flush_guest_tlb(uint64_t) override {}
    void publish_tables() override {}
    unsigned ipa_bits() const override { return 39; }

    FrameAllocator pool;
    arm64::VmidAllocator vmid_pool;
    size_t live_tables = 0;
    size_t table_limit = ~size_t{0};

private:
    size_t index(PhysAddr t) const
    {
        const uint64_t off = t.raw() - kTableBase;
        fuzz_assert(off % kPageSize == 0 && off / kPageSize < kTablePages, "a table address of the arena");
        return off / kPageSize;
    }

    std::vector<FrameInfo> storage_;
    FrameTable table_;
    std::vector<size_t> free_tables_;
    bool live_[kTablePages] = {};
};

struct GrantMap {
    int mapper;  // 0 or 1 (domain 1 or 2)
    uint64_t gfn;
    Mfn mfn;
    bool ro;
};

struct KeelMap {
    int dom;
    uint64_t gfn;
    P2mType type;
};

struct World {
    Env env;
    P2m p2m[2];
    std::vector<Mfn> pins;  // references the harness holds (one entry each)
    std::vector<GrantMap> grants;
    std::vector<KeelMap> keel;
};

uint16_t domid(int d) { return static_cast<uint16_t>(d + 1); }

struct LeafCheck {
    World* w;
    int dom;
    std::vector<uint32_t>* refs;  // frame of the bank → references expected
    size_t grant_leaves = 0;
    size_t keel_leaves = 0;
    uint64_t ram_pages = 0;
};

void check_leaf(void* ctx, uint64_t in, unsigned level, uint64_t desc)
{
    auto* c = static_cast<LeafCheck*>(ctx);
    FrameTable& frames = c->w->env.frames();
    const arm64::Stage2Attrs a = arm64::Stage2::decode(desc);
    const PhysAddr out = arm64::vmsa::leaf_address(desc, level);
    const uint64_t pages = arm64::vmsa::level_size(level) >> kPageShift;
    const uint64_t gfn = in >> kPageShift;
    switch (a.kind) {
    case arm64::S2Kind::Ram:
        c->ram_pages += pages;
        for (uint64_t i = 0; i < pages; ++i) {
            FrameInfo* f = frames.find(Mfn::of(out) + i);
            fuzz_assert(f != nullptr, "RAM maps bank frames");
            fuzz_assert(f->state() == FrameState::Allocated, "no frame a p2m maps as RAM is free");
            fuzz_assert(f->owner == domid(c->dom), "RAM mapped by its owner only");
            fuzz_assert((f->refcount & kFrameRefOrphan) == 0, "no RAM mapped after the owner dropped it");
        }
        break;
    case arm64::S2Kind::GrantMapRw:
    case arm64::S2Kind::GrantMapRo: {
        fuzz_assert(level == arm64::vmsa::kLastLevel, "grant mappings are pages");
        ++c->grant_leaves;
        const Mfn m = Mfn::of(out);
        bool found = false;
        for (const GrantMap& g : c->w->grants)
            found = found || (g.mapper == c->dom && g.gfn == gfn && g.mfn == m &&
                              g.ro == (a.kind == arm64::S2Kind::GrantMapRo));
        fuzz_assert(found, "every grant leaf is a grant mapping made");
        FrameInfo* f = frames.find(m);
        fuzz_assert(f != nullptr && f->state() == FrameState::Allocated, "no grant-mapped frame is free");
        ++(*c->refs)[m.raw() - (kBankBase >> kPageShift)];
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

void check(World& w)
{
    Env& env = w.env;
    FrameTable& frames = env.frames();
    static std::vector<uint32_t> expected(kBankFrames);  // frame of the bank → references
    std::fill(expected.begin(), expected.end(), 0);
    for (const Mfn& m : w.pins) ++expected[m.raw() - (kBankBase >> kPageShift)];
    uint64_t owned = 0;
    for (int d = 0; d < 2; ++d) {
        P2m& p = w.p2m[d];
        if (!p.ready()) {
            fuzz_assert(p.table_pages == 0 && p.ram_blocks == kNoFrame && p.cur_frames == 0,
                        "a destroyed p2m holds nothing");
            continue;
        }
        LeafCheck c{&w, d, &expected};
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
            fuzz_assert(frames.at(i).prev == prev, "RAM list back links");
            const unsigned order = frames.at(i).order;
            fuzz_assert(order <= kP2mMaxOrder, "RAM block order");
            for (uint64_t j = 0; j < (uint64_t{1} << order); ++j) {
                const FrameInfo& f = frames.at(i + static_cast<FrameIndex>(j));
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
        const Mfn m = Mfn::of(PhysAddr{kBankBase}) + i;
        FrameInfo& f = *frames.find(m);
        const uint32_t want = expected[i];
        fuzz_assert(frame_ref_count(f) == want, "reference counts balance (pins + grant mappings)");
        if (want != 0) fuzz_assert(f.state() == FrameState::Allocated, "no frame free while referenced");
        if (f.state() == FrameState::Allocated && (f.refcount & kFrameRefOrphan) != 0) {
            fuzz_assert(want != 0, "a dropped frame stays allocated only while referenced");
            ++held_orphans;
        }
    }
    fuzz_assert(env.pool.free_frames() + owned + held_orphans == kBankFrames,
                "free + owned + dropped-but-referenced frames make up the bank");
}

uint64_t pick_gfn(FuzzedDataProvider& in)
{
    switch (in.ConsumeIntegralInRange<int>(0, 15)) {
    case 0: return in.ConsumeIntegral<uint64_t>();  // anything
    case 1: return kGfnBase + kGfnWindow + in.ConsumeIntegralInRange<uint64_t>(0, 1024);
    default: return kGfnBase + in.ConsumeIntegralInRange<uint64_t>(0, kGfnWindow - 1);
    }
}

void remove_pin(World& w, size_t i)
{
    frame_put(w.env, w.pins[i]);
    w.pins.erase(w.pins.begin() + static_cast<long>(i));
}

void destroy(World& w, int d)
{
    p2m_destroy(w.p2m[d], w.env);
    std::erase_if(w.grants, [d](const GrantMap& g) { return g.mapper == d; });
    std::erase_if(w.keel, [d](const KeelMap& k) { return k.dom == d; });
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    FuzzedDataProvider in{data, size};
    World w;
    const uint64_t free_before = w.env.pool.free_frames();
    std::vector<uint64_t> lists_before;
    for (unsigned o = 0; o < FrameAllocator::kOrders; ++o) lists_before.push_back(w.env.pool.free_blocks(o));
    for (int d = 0; d < 2; ++d) fuzz_assert(p2m_init(w.p2m[d], w.env, domid(d)).ok(), "init");
    check(w);

    static const bool trace = std::getenv("FUZZ_P2M_TRACE") != nullptr;
    for (int step = 0; step < 200 && in.remaining_bytes() > 0; ++step) {
        const int d = in.ConsumeBool() ? 1 : 0;
        P2m& p = w.p2m[d];
        P2m& other = w.p2m[1 - d];
        const int op = in.ConsumeIntegralInRange<int>(0, 13);
        if (trace) std::fprintf(stderr, "step %d: dom %d op %d\n", step, domid(d), op);
        switch (op) {
        case 0: {  // populate a RAM range
            const uint64_t base = kGfnBase + in.ConsumeIntegralInRange<uint64_t>(0, kGfnWindow - 1);
            const uint64_t pages = in.ConsumeIntegralInRange<uint64_t>(0, 2048);
            // Build time only: p2m_populate_ram checks overlap with earlier RAM
            // ranges, not with other entries (an extent, a keel page, a grant
            // mapping there is silently replaced), so the harness asks only for
            // ranges with nothing mapped.
            bool empty = true;
            for (uint64_t i = 0; i < pages && empty; ++i)
                empty = !p2m_type_of(p, w.env, base + i).ok();
            if (!empty) break;
            (void)p2m_populate_ram(p, w.env, GuestPhysAddr{base << kPageShift}, pages << kPageShift);
            break;
        }
        case 1: {  // populate an extent
            const unsigned order = in.ConsumeIntegralInRange<unsigned>(0, 10);
            const uint64_t gfn = pick_gfn(in) & ~((uint64_t{1} << order) - 1);
            (void)p2m_populate_extent(p, w.env, in.ConsumeBool() ? gfn : gfn | 1, order);
            break;
        }
        case 2:
        case 3: {  // pin a page
            auto m = p2m_get_page(p, w.env, pick_gfn(in), in.ConsumeBool());
            if (m.ok()) w.pins.push_back(m.value());
            break;
        }
        case 4:  // drop a pin
            if (!w.pins.empty()) remove_pin(w, in.ConsumeIntegralInRange<size_t>(0, w.pins.size() - 1));
            break;
        case 5:  // one more reference on a pinned frame
            if (!w.pins.empty()) {
                const Mfn m = w.pins[in.ConsumeIntegralInRange<size_t>(0, w.pins.size() - 1)];
                if (frame_get(w.env, m).ok()) w.pins.push_back(m);
            }
            break;
        case 6:
        case 7: {  // d maps a frame of the other domain as a grant mapping
            auto m = p2m_get_page(other, w.env, pick_gfn(in), false);
            const uint64_t gfn = pick_gfn(in);
            const bool ro = in.ConsumeBool();
            const bool over_ram = in.ConsumeBool();
            if (!m.ok()) break;
            const P2mType t = ro ? P2mType::GrantMapRo : P2mType::GrantMapRw;
            auto r = over_ram ? p2m_map_frame_over_ram(p, w.env, gfn, m.value(), t)
                              : p2m_map_frame(p, w.env, gfn, m.value(), t);
            if (r.ok()) {
                w.grants.push_back(GrantMap{d, gfn, m.value(), ro});
            } else {
                frame_put(w.env, m.value());  // the reference stays the caller's
            }
            break;
        }
        case 8: {  // unmap a grant mapping (sometimes with the wrong type)
            if (w.grants.empty()) break;
            const size_t i = in.ConsumeIntegralInRange<size_t>(0, w.grants.size() - 1);
            const GrantMap g = w.grants[i];
            const bool wrong = in.ConsumeIntegralInRange<int>(0, 7) == 0;
            const P2mType t = g.ro != wrong ? P2mType::GrantMapRo : P2mType::GrantMapRw;
            auto r = p2m_unmap_frame(w.p2m[g.mapper], w.env, g.gfn, t);
            if (wrong) {
                fuzz_assert(!r.ok() && r.error() == Errno::Inval, "unmap of another type is refused");
                break;
            }
            if (!r.ok()) break;  // no table page to split with (cannot happen for a page leaf)
            fuzz_assert(r.value() == g.mfn, "unmap returns the frame mapped");
            w.grants.erase(w.grants.begin() + static_cast<long>(i));
            frame_put(w.env, g.mfn);
            break;
        }
        case 9:
        case 10:  // give a RAM page back
            (void)p2m_release_ram(p, w.env, pick_gfn(in));
            break;
        case 11: {  // map or unmap a keel page
            const uint64_t gfn = pick_gfn(in);
            const P2mType t = in.ConsumeBool() ? P2mType::SharedInfo : P2mType::GrantTable;
            switch (in.ConsumeIntegralInRange<int>(0, 2)) {
            case 0:
                if (p2m_map_frame_over_ram(p, w.env, gfn, Mfn{kKeelMfn}, t).ok())
                    w.keel.push_back(KeelMap{d, gfn, t});
                break;
            case 1:
                if (p2m_map_frame(p, w.env, gfn, Mfn{kKeelMfn}, t).ok()) w.keel.push_back(KeelMap{d, gfn, t});
                break;
            default:
                for (size_t i = 0; i < w.keel.size(); ++i) {
                    if (w.keel[i].dom != d) continue;
                    auto r = p2m_unmap_frame(p, w.env, w.keel[i].gfn, w.keel[i].type);
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
                (void)p2m_init(p, w.env, domid(d));
            }
            break;
        case 13:  // table pages run out (or not)
            w.env.table_limit = in.ConsumeBool() ? ~size_t{0}
                                                 : w.env.live_tables + in.ConsumeIntegralInRange<size_t>(0, 3);
            break;
        }
        check(w);
    }

    destroy(w, 0);
    check(w);
    destroy(w, 1);
    check(w);
    while (!w.pins.empty()) remove_pin(w, w.pins.size() - 1);
    check(w);
    fuzz_assert(w.env.pool.free_frames() == free_before, "every frame back in the allocator");
    for (unsigned o = 0; o < FrameAllocator::kOrders; ++o)
        fuzz_assert(w.env.pool.free_blocks(o) == lists_before[o], "free lists as at the start");
    fuzz_assert(w.env.live_tables == 0, "every table page back");
    fuzz_assert(w.env.vmid_pool.used() == 0, "every VMID back");
    return 0;
}
