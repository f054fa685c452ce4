// SPDX-License-Identifier: MIT
//
// core/memory/p2m.cpp
// Owns the machine-independent p2m operations (core/memory/p2m.hpp): building
// a domain's stage-2 with the generic walker and the stage-2 format, entry
// types in the software bits, page-granular map/unmap (splitting blocks), the
// RAM block list in the frame table (shattering a block when one page goes),
// and the order of teardown. Pure.
#include "core/memory/p2m.hpp"

#include "arch/arm64/mmu/descriptor.hpp"
#include "arch/arm64/mmu/stage2.hpp"
#include "arch/arm64/mmu/stage2_control.hpp"
#include "core/memory/frame_ref.hpp"
#include "lib/check.hpp"

namespace keel {

namespace {

using arm64::PageTableWalker;
using arm64::Stage2;

// The walker's view of a p2m: table pages through the environment, counted on
// the p2m. A live entry broken on the way (populate never replaces a valid
// entry, but the walker's contract allows it) flushes the domain's VMID.
class P2mTables final : public arm64::TableContext {
public:
    P2mTables(P2m& p2m, P2mEnv& env) : p2m_{p2m}, env_{env} {}

    Result<PhysAddr> alloc_table() override
    {
        const PhysAddr table = KEEL_TRY(env_.alloc_table());
        ++p2m_.table_pages;
        return table;
    }
    void free_table(PhysAddr table) override
    {
        KEEL_CHECK(p2m_.table_pages != 0);
        --p2m_.table_pages;
        env_.free_table(table);
    }
    uint64_t* table_ptr(PhysAddr table) override { return env_.table_ptr(table); }
    void entry_broken(uint64_t, unsigned) override { env_.flush_guest_tlb(p2m_.vttbr); }
    void before_link() override { env_.publish_tables(); }

private:
    P2m& p2m_;
    P2mEnv& env_;
};

PageTableWalker walker_for(arm64::TableContext& ctx, PhysAddr root)
{
    return PageTableWalker{ctx, root, Stage2::kStartLevel, Stage2::kInputBits};
}

constexpr uint64_t frames_of(unsigned order) { return uint64_t{1} << order; }

// The largest order ≤ cap whose block starts at `gfn` naturally aligned and
// fits in `frames_left`.
unsigned block_order(uint64_t gfn, uint64_t frames_left, unsigned cap)
{
    unsigned order = cap;
    while (order > 0 && ((gfn & (frames_of(order) - 1)) != 0 || frames_of(order) > frames_left))
        --order;
    return order;
}

struct Block {
    Mfn first;
    unsigned order;
};

// A block of at most `order`, trying smaller orders while the pool has none;
// `cap` drops to the order that worked, so a fragmented pool is not asked for
// large blocks again on every iteration.
Result<Block> alloc_block(P2mEnv& env, unsigned order, unsigned& cap)
{
    for (;;) {
        auto m = env.alloc_ram(order);
        if (m.ok()) return Block{m.value(), order};
        if (m.error() != Errno::NoMem || order == 0) return m.error();
        --order;
        cap = order;
    }
}

void list_push(P2m& p2m, FrameTable& frames, FrameIndex head)
{
    FrameInfo& h = frames.at(head);
    h.prev = kNoFrame;
    h.next = p2m.ram_blocks;
    if (p2m.ram_blocks != kNoFrame) frames.at(p2m.ram_blocks).prev = head;
    p2m.ram_blocks = head;
    ++p2m.ram_block_count;
}

void list_unlink(P2m& p2m, FrameTable& frames, FrameIndex head)
{
    FrameInfo& h = frames.at(head);
    if (h.prev != kNoFrame) {
        frames.at(h.prev).next = h.next;
    } else {
        KEEL_CHECK(p2m.ram_blocks == head);
        p2m.ram_blocks = h.next;
    }
    if (h.next != kNoFrame) frames.at(h.next).prev = h.prev;
    h.next = kNoFrame;
    h.prev = kNoFrame;
    KEEL_CHECK(p2m.ram_block_count != 0);
    --p2m.ram_block_count;
}

// Puts the block on the p2m's RAM list and marks its frames as the domain's.
void own_block(P2m& p2m, FrameTable& frames, const Block& b)
{
    const FrameIndex head = frames.index_of(b.first);
    KEEL_CHECK(head != kNoFrame);
    for (uint64_t i = 0; i < frames_of(b.order); ++i)
        frames.at(head + static_cast<FrameIndex>(i)).owner = p2m.owner;
    KEEL_CHECK(frames.at(head).order == b.order);  // the allocator's record, read back at destroy
    list_push(p2m, frames, head);
    p2m.cur_frames += frames_of(b.order);
}

// The head (frame-table index) of the RAM block holding `mfn`. Blocks are
// naturally aligned: the head is the nearest aligned frame whose recorded
// order covers `mfn` (tails carry the allocator's tail marker, 0xff).
FrameIndex block_head(FrameTable& frames, Mfn mfn)
{
    for (unsigned o = 0; o <= kP2mMaxOrder; ++o) {
        const Mfn c{mfn.raw() & ~(frames_of(o) - 1)};
        const FrameIndex i = frames.index_of(c);
        if (i == kNoFrame) break;
        const unsigned order = frames.at(i).order;
        if (order <= kP2mMaxOrder && order >= o && c.raw() + frames_of(order) > mfn.raw()) return i;
    }
    KEEL_PANIC("p2m: RAM frame outside every block of its domain");
}

// Makes every frame of the block at `head` an order-0 block of its own, on
// the list and in the allocator's records (each can then be freed alone).
void shatter(P2m& p2m, FrameTable& frames, FrameIndex head)
{
    const unsigned order = frames.at(head).order;
    if (order == 0) return;
    list_unlink(p2m, frames, head);
    for (uint64_t i = 0; i < frames_of(order); ++i) {
        const FrameIndex f = head + static_cast<FrameIndex>(i);
        frames.at(f).order = 0;
        list_push(p2m, frames, f);
    }
}

// The owner lets go of one order-0 RAM frame already off its stage-2.
void drop_frame(P2m& p2m, P2mEnv& env, FrameIndex index)
{
    FrameTable& frames = env.frames();
    list_unlink(p2m, frames, index);
    KEEL_CHECK(p2m.cur_frames != 0);
    --p2m.cur_frames;
    if (frame_ref_owner_drop(frames.at(index))) env.free_ram(frames.mfn_of(index), 0);
}

constexpr arm64::S2Kind kind_of(P2mType t)
{
    switch (t) {
    case P2mType::RamRw: return arm64::S2Kind::Ram;
    case P2mType::SharedInfo: return arm64::S2Kind::SharedInfo;
    case P2mType::GrantTable: return arm64::S2Kind::GrantTable;
    case P2mType::GrantMapRw: return arm64::S2Kind::GrantMapRw;
    case P2mType::GrantMapRo: return arm64::S2Kind::GrantMapRo;
    case P2mType::StaticShm: return arm64::S2Kind::StaticShm;
    case P2mType::Mmio: return arm64::S2Kind::Mmio;
    case P2mType::ForeignRw: return arm64::S2Kind::ForeignRw;
    }
    return arm64::S2Kind::None;
}

Result<P2mType> type_of_kind(arm64::S2Kind k)
{
    switch (k) {
    case arm64::S2Kind::Ram: return P2mType::RamRw;
    case arm64::S2Kind::SharedInfo: return P2mType::SharedInfo;
    case arm64::S2Kind::GrantTable: return P2mType::GrantTable;
    case arm64::S2Kind::GrantMapRw: return P2mType::GrantMapRw;
    case arm64::S2Kind::GrantMapRo: return P2mType::GrantMapRo;
    case arm64::S2Kind::StaticShm: return P2mType::StaticShm;
    case arm64::S2Kind::Mmio: return P2mType::Mmio;
    case arm64::S2Kind::ForeignRw: return P2mType::ForeignRw;
    case arm64::S2Kind::None: break;
    }
    return Errno::NoEnt;
}

// Stage-2 attributes of a page of type t (kS2GuestRam for RAM, kS2Device for MMIO).
arm64::Stage2Attrs attrs_of(P2mType t, bool exec = false)
{
    switch (t) {
    case P2mType::RamRw: return arm64::kS2GuestRam;
    case P2mType::Mmio: return arm64::kS2Device;
    case P2mType::GrantMapRo:
        return arm64::Stage2Attrs{arm64::S2Access::R, false, arm64::S2MemType::Normal,
                                  kind_of(t)};
    default:
        return arm64::Stage2Attrs{arm64::S2Access::RW, exec, arm64::S2MemType::Normal,
                                  kind_of(t)};
    }
}

bool gfn_in_range(P2mEnv& env, uint64_t gfn, uint64_t frames)
{
    const uint64_t limit = (uint64_t{1} << env.ipa_bits()) >> kPageShift;
    return gfn < limit && frames <= limit - gfn;
}

// The leaf at `gfn` (lock held); Errno::NoEnt when nothing is mapped.
Result<arm64::Walk> leaf_at(const P2m& p2m, P2mEnv& env, uint64_t gfn)
{
    if (!p2m.ready() || !gfn_in_range(env, gfn, 1)) return Errno::NoEnt;
    const PageTableWalker walker = walker_for(env, p2m.root);
    auto w = walker.translate(gfn << kPageShift);
    if (!w.ok()) return Errno::NoEnt;
    return w.value();
}

arm64::S2Kind kind_at(const arm64::Walk& w) { return Stage2::decode(w.desc).kind; }

// Entries that hold one frame reference on the (other domain's) page they map.
constexpr bool holds_frame_ref(arm64::S2Kind k)
{
    return k == arm64::S2Kind::GrantMapRw || k == arm64::S2Kind::GrantMapRo ||
           k == arm64::S2Kind::ForeignRw;
}

void note_mapped(P2m& p2m, uint64_t last_gfn)
{
    if (last_gfn > p2m.max_mapped_gfn) p2m.max_mapped_gfn = last_gfn;
}

// Maps one page (lock held, `gfn` empty and in range).
Result<void> map_page(P2m& p2m, P2mEnv& env, uint64_t gfn, Mfn mfn, P2mType t)
{
    P2mTables tables{p2m, env};
    PageTableWalker walker = walker_for(tables, p2m.root);
    KEEL_TRY(walker.map(gfn << kPageShift, mfn.addr(), kPageSize, Stage2::encode(attrs_of(t))));
    env.publish_tables();
    note_mapped(p2m, gfn);
    return {};
}

// Gives back the RAM page at `gfn` (lock held; the leaf there is RAM).
Result<void> release_ram_locked(P2m& p2m, P2mEnv& env, uint64_t gfn, const arm64::Walk& w)
{
    const Mfn mfn = Mfn::of(w.out);
    P2mTables tables{p2m, env};
    PageTableWalker walker = walker_for(tables, p2m.root);
    // Splits the block descriptor if need be; the TLBs forget the page before
    // it can be freed (set_entry breaks it, entry_broken flushes the VMID).
    KEEL_TRY(walker.unmap(gfn << kPageShift, kPageSize));
    FrameTable& frames = env.frames();
    const FrameIndex head = block_head(frames, mfn);
    shatter(p2m, frames, head);
    drop_frame(p2m, env, frames.index_of(mfn));
    return {};
}

void reset(P2m& p2m)
{
    p2m.vttbr = 0;
    p2m.vmid = 0;
    p2m.owner = kNoOwner;
    p2m.root = PhysAddr{};
    p2m.ram_blocks = kNoFrame;
    p2m.ram_frames = 0;
    p2m.cur_frames = 0;
    p2m.max_frames = 0;
    p2m.max_mapped_gfn = 0;
    p2m.shared_info_gfn = kP2mNoGfn;
    p2m.ram_block_count = 0;
    p2m.table_pages = 0;
    for (auto& r : p2m.ram) r = Range<GuestPhysAddr>{};
    p2m.ram_range_count = 0;
}

}  // namespace

Result<void> p2m_init(P2m& p2m, P2mEnv& env, uint16_t owner)
{
    KEEL_CHECK(!p2m.ready() && p2m.table_pages == 0 && p2m.ram_blocks == kNoFrame);
    const uint16_t vmid = KEEL_TRY(env.alloc_vmid());
    P2mTables tables{p2m, env};
    auto root = tables.alloc_table();
    if (!root.ok()) {
        env.free_vmid(vmid);
        return root.error();
    }
    p2m.root = root.value();
    p2m.vmid = vmid;
    p2m.owner = owner;
    p2m.vttbr = arm64::vttbr_value(vmid, p2m.root);
    // p2m_destroy flushed a recycled VMID before freeing it, but while its
    // VTTBR_EL2 was loaded for that flush a speculative walk may have cached a
    // translation again. Flushing once more with the new, empty tables leaves
    // nothing under this VMID that the new domain could reach.
    env.flush_guest_tlb(p2m.vttbr);
    return {};
}

namespace {

// Whether any valid leaf of `walker` overlaps [in, in + size).
bool any_leaf_in(const PageTableWalker& walker, uint64_t in, uint64_t size)
{
    struct Probe {
        uint64_t lo, end;
        bool hit = false;
    } probe{in, in + size};
    walker.for_each_leaf(
        [](void* ctx, uint64_t at, unsigned level, uint64_t) {
            auto& p = *static_cast<Probe*>(ctx);
            if (at < p.end && at + arm64::vmsa::level_size(level) > p.lo) p.hit = true;
        },
        &probe);
    return probe.hit;
}

}  // namespace

Result<void> p2m_populate_ram(P2m& p2m, P2mEnv& env, GuestPhysAddr base, uint64_t bytes)
{
    if (!p2m.ready()) return Errno::Inval;
    const uint64_t limit = uint64_t{1} << env.ipa_bits();
    if (bytes == 0 || !base.aligned(kPageSize) || bytes % kPageSize != 0 ||
        base.raw() >= limit || bytes > limit - base.raw())
        return Errno::Inval;
    const Range<GuestPhysAddr> range{base, bytes};
    LockGuard guard{p2m.lock};
    for (size_t i = 0; i < p2m.ram_range_count; ++i)
        if (p2m.ram[i].overlaps(range)) return Errno::Inval;
    if (p2m.ram_range_count == P2m::kMaxRamRanges) return Errno::NoSpc;
    P2mTables tables{p2m, env};
    PageTableWalker walker = walker_for(tables, p2m.root);
    // Nothing else may be mapped there (a keel page, a grant mapping, an extent):
    // RAM never replaces an entry. One pass over the leaves (few at build time).
    if (any_leaf_in(walker, base.raw(), bytes)) return Errno::Busy;
    p2m.ram[p2m.ram_range_count++] = range;
    p2m.max_frames += bytes >> kPageShift;

    FrameTable& frames = env.frames();
    const uint64_t attrs = Stage2::encode(arm64::kS2GuestRam);
    unsigned cap = kP2mMaxOrder;
    for (uint64_t done = 0; done < bytes;) {
        const uint64_t ipa = base.raw() + done;
        const unsigned want = block_order(ipa >> kPageShift, (bytes - done) >> kPageShift, cap);
        const Block b = KEEL_TRY(alloc_block(env, want, cap));
        // Scrubbed before the guest can reach it, owned before it is mapped: a
        // failed map below leaves the block on the list, and p2m_destroy frees it.
        env.scrub_ram(b.first, b.order);
        own_block(p2m, frames, b);
        p2m.ram_frames += frames_of(b.order);
        const uint64_t size = frames_of(b.order) << kPageShift;
        KEEL_TRY(walker.map(ipa, b.first.addr(), size, attrs));
        note_mapped(p2m, (ipa + size - 1) >> kPageShift);
        done += size;
    }
    env.publish_tables();
    return {};
}

Result<PhysAddr> p2m_translate(const P2m& p2m, P2mEnv& env, GuestPhysAddr ipa)
{
    if (!p2m.ready() || ipa.raw() >= (uint64_t{1} << env.ipa_bits())) return Errno::Fault;
    LockGuard guard{p2m.lock};
    const PageTableWalker walker = walker_for(env, p2m.root);
    auto w = walker.translate(ipa.raw());
    if (!w.ok() || Stage2::decode(w.value().desc).kind != arm64::S2Kind::Ram) return Errno::Fault;
    return w.value().out;
}

Result<P2mType> p2m_type_of(const P2m& p2m, P2mEnv& env, uint64_t gfn)
{
    LockGuard guard{p2m.lock};
    const arm64::Walk w = KEEL_TRY(leaf_at(p2m, env, gfn));
    return type_of_kind(kind_at(w));
}

Result<Mfn> p2m_get_page(P2m& p2m, P2mEnv& env, uint64_t gfn, bool writable)
{
    LockGuard guard{p2m.lock};
    auto w = leaf_at(p2m, env, gfn);
    if (!w.ok()) return Errno::Inval;
    const arm64::Stage2Attrs a = Stage2::decode(w.value().desc);
    if (a.kind != arm64::S2Kind::Ram && a.kind != arm64::S2Kind::StaticShm) return Errno::Inval;
    if (writable && a.access != arm64::S2Access::RW) return Errno::Inval;
    const Mfn mfn = Mfn::of(w.value().out);
    KEEL_TRY(frame_get(env, mfn));
    return mfn;
}

Result<void> p2m_map_frame(P2m& p2m, P2mEnv& env, uint64_t gfn, Mfn mfn, P2mType t)
{
    if (t == P2mType::RamRw || !gfn_in_range(env, gfn, 1)) return Errno::Inval;
    LockGuard guard{p2m.lock};
    if (!p2m.ready()) return Errno::Inval;
    if (leaf_at(p2m, env, gfn).ok()) return Errno::Busy;
    return map_page(p2m, env, gfn, mfn, t);
}

Result<void> p2m_map_frame_over_ram(P2m& p2m, P2mEnv& env, uint64_t gfn, Mfn mfn, P2mType t)
{
    if (t == P2mType::RamRw || !gfn_in_range(env, gfn, 1)) return Errno::Inval;
    LockGuard guard{p2m.lock};
    if (!p2m.ready()) return Errno::Inval;
    auto w = leaf_at(p2m, env, gfn);
    if (w.ok()) {
        if (kind_at(w.value()) != arm64::S2Kind::Ram) return Errno::Busy;
        KEEL_TRY(release_ram_locked(p2m, env, gfn, w.value()));
    }
    return map_page(p2m, env, gfn, mfn, t);
}

Result<Mfn> p2m_unmap_frame(P2m& p2m, P2mEnv& env, uint64_t gfn, P2mType expected)
{
    LockGuard guard{p2m.lock};
    const arm64::Walk w = KEEL_TRY(leaf_at(p2m, env, gfn));
    if (expected == P2mType::RamRw || kind_at(w) != kind_of(expected)) return Errno::Inval;
    P2mTables tables{p2m, env};
    PageTableWalker walker = walker_for(tables, p2m.root);
    KEEL_TRY(walker.unmap(gfn << kPageShift, kPageSize));
    return Mfn::of(w.out);
}

Result<void> p2m_release_ram(P2m& p2m, P2mEnv& env, uint64_t gfn)
{
    LockGuard guard{p2m.lock};
    const arm64::Walk w = KEEL_TRY(leaf_at(p2m, env, gfn));
    if (kind_at(w) != arm64::S2Kind::Ram) return Errno::NoEnt;
    return release_ram_locked(p2m, env, gfn, w);
}

Result<Mfn> p2m_get_ram_page(P2m& p2m, P2mEnv& env, uint64_t gfn)
{
    LockGuard guard{p2m.lock};
    auto w = leaf_at(p2m, env, gfn);
    if (!w.ok() || kind_at(w.value()) != arm64::S2Kind::Ram) return Errno::Inval;
    const Mfn mfn = Mfn::of(w.value().out);
    KEEL_TRY(frame_get(env, mfn));
    return mfn;
}

Result<void> p2m_map_foreign(P2m& p2m, P2mEnv& env, uint64_t gfn, Mfn mfn)
{
    if (!gfn_in_range(env, gfn, 1)) return Errno::Inval;
    LockGuard guard{p2m.lock};
    if (!p2m.ready()) return Errno::Inval;
    const auto w = leaf_at(p2m, env, gfn);
    const arm64::S2Kind old = w.ok() ? kind_at(w.value()) : arm64::S2Kind::None;
    if (old != arm64::S2Kind::None && old != arm64::S2Kind::Ram && old != arm64::S2Kind::ForeignRw)
        return Errno::Busy;
    // Written over what is there (as Xen's p2m_set_entry): a block is split
    // first (the only step that can fail, before anything changed), the old
    // page entry is broken and the VMID flushed before the new one is stored;
    // only then does the old page go.
    KEEL_TRY(map_page(p2m, env, gfn, mfn, P2mType::ForeignRw));
    if (old == arm64::S2Kind::Ram) {
        FrameTable& frames = env.frames();
        const Mfn was = Mfn::of(w.value().out);
        shatter(p2m, frames, block_head(frames, was));
        drop_frame(p2m, env, frames.index_of(was));
    } else if (old == arm64::S2Kind::ForeignRw) {
        frame_put(env, Mfn::of(w.value().out));
    }
    return {};
}

Result<void> p2m_populate_extent(P2m& p2m, P2mEnv& env, uint64_t gfn, unsigned order)
{
    if (order > kP2mMaxOrder || (gfn & (frames_of(order) - 1)) != 0 ||
        !gfn_in_range(env, gfn, frames_of(order)))
        return Errno::Inval;
    LockGuard guard{p2m.lock};
    if (!p2m.ready()) return Errno::Inval;
    if (p2m.cur_frames + frames_of(order) > p2m.max_frames) return Errno::NoMem;
    for (uint64_t i = 0; i < frames_of(order); ++i)
        if (leaf_at(p2m, env, gfn + i).ok()) return Errno::Busy;
    const Mfn first = KEEL_TRY(env.alloc_ram(order));
    env.scrub_ram(first, order);
    own_block(p2m, env.frames(), Block{first, order});
    P2mTables tables{p2m, env};
    PageTableWalker walker = walker_for(tables, p2m.root);
    // On failure the block stays owned (p2m_destroy frees it), as in populate_ram.
    KEEL_TRY(walker.map(gfn << kPageShift, first.addr(), frames_of(order) << kPageShift,
                        Stage2::encode(arm64::kS2GuestRam)));
    env.publish_tables();
    note_mapped(p2m, gfn + frames_of(order) - 1);
    return {};
}

Result<void> p2m_map_static_shm(P2m& p2m, P2mEnv& env, GuestPhysAddr gpa, PhysAddr hpa,
                                uint64_t size, bool owner)
{
    if (size == 0 || !gpa.aligned(kPageSize) || !hpa.aligned(kPageSize) || size % kPageSize != 0 ||
        !gfn_in_range(env, gpa.raw() >> kPageShift, size >> kPageShift))
        return Errno::Inval;
    LockGuard guard{p2m.lock};
    if (!p2m.ready()) return Errno::Inval;
    const uint64_t gfn = gpa.raw() >> kPageShift;
    for (uint64_t i = 0; i < size >> kPageShift; ++i)
        if (leaf_at(p2m, env, gfn + i).ok()) return Errno::Busy;
    P2mTables tables{p2m, env};
    PageTableWalker walker = walker_for(tables, p2m.root);
    KEEL_TRY(walker.map(gpa.raw(), hpa, size,
                        Stage2::encode(attrs_of(P2mType::StaticShm, owner))));
    env.publish_tables();
    note_mapped(p2m, gfn + (size >> kPageShift) - 1);
    return {};
}

namespace {

// Adds [r] to p2m.ram, joining adjacent ranges (lock held); false when a new
// range is needed and there is no room.
bool add_ram_range(P2m& p2m, Range<GuestPhysAddr> r)
{
    for (size_t i = 0; i < p2m.ram_range_count; ++i) {
        Range<GuestPhysAddr>& x = p2m.ram[i];
        if (x.end() == r.base) {
            x.size += r.size;
        } else if (r.end() == x.base) {
            x.base = r.base;
            x.size += r.size;
        } else {
            continue;
        }
        // The grown range may now touch another one: fold that one in.
        for (size_t j = 0; j < p2m.ram_range_count; ++j) {
            if (j == i) continue;
            Range<GuestPhysAddr>& y = p2m.ram[j];
            if (x.end() != y.base && y.end() != x.base) continue;
            if (y.base < x.base) x.base = y.base;
            x.size += y.size;
            p2m.ram[j] = p2m.ram[--p2m.ram_range_count];
            p2m.ram[p2m.ram_range_count] = Range<GuestPhysAddr>{};
            break;
        }
        return true;
    }
    if (p2m.ram_range_count == P2m::kMaxRamRanges) return false;
    p2m.ram[p2m.ram_range_count++] = r;
    return true;
}

}  // namespace

Result<void> p2m_map_ram_direct(P2m& p2m, P2mEnv& env, Mfn first, unsigned order, bool scrub)
{
    if (!p2m.ready() || order > kP2mMaxOrder || (first.raw() & (frames_of(order) - 1)) != 0 ||
        !gfn_in_range(env, first.raw(), frames_of(order)))
        return Errno::Inval;
    const uint64_t size = frames_of(order) << kPageShift;
    const Range<GuestPhysAddr> range{GuestPhysAddr{first.addr().raw()}, size};
    LockGuard guard{p2m.lock};
    P2mTables tables{p2m, env};
    PageTableWalker walker = walker_for(tables, p2m.root);
    if (any_leaf_in(walker, range.base.raw(), size)) return Errno::Busy;
    for (size_t i = 0; i < p2m.ram_range_count; ++i)
        if (p2m.ram[i].overlaps(range)) return Errno::Busy;
    if (!add_ram_range(p2m, range)) return Errno::NoSpc;
    p2m.max_frames += frames_of(order);
    if (scrub) env.scrub_ram(first, order);
    own_block(p2m, env.frames(), Block{first, order});
    p2m.ram_frames += frames_of(order);
    KEEL_TRY(walker.map(range.base.raw(), first.addr(), size, Stage2::encode(arm64::kS2GuestRam)));
    env.publish_tables();
    note_mapped(p2m, (range.end().raw() - 1) >> kPageShift);
    return {};
}

Result<void> p2m_map_mmio(P2m& p2m, P2mEnv& env, GuestPhysAddr gpa, PhysAddr hpa, uint64_t size)
{
    if (size == 0 || !gpa.aligned(kPageSize) || !hpa.aligned(kPageSize) || size % kPageSize != 0 ||
        !gfn_in_range(env, gpa.raw() >> kPageShift, size >> kPageShift) ||
        hpa.raw() + size < hpa.raw())
        return Errno::Inval;
    // Never RAM (keel's, the pools', any domain's): only what the frame table does not cover.
    const uint64_t first = hpa.raw() >> kPageShift;
    const uint64_t frames = size >> kPageShift;
    for (const FrameTable::Segment& seg : env.frames().segments())
        if (seg.base.raw() < first + frames && first < seg.base.raw() + seg.count)
            return Errno::Inval;
    LockGuard guard{p2m.lock};
    if (!p2m.ready()) return Errno::Inval;
    P2mTables tables{p2m, env};
    PageTableWalker walker = walker_for(tables, p2m.root);
    if (any_leaf_in(walker, gpa.raw(), size)) return Errno::Busy;
    constexpr arm64::Stage2Attrs kDirectMmio{arm64::S2Access::RW, false, arm64::S2MemType::Normal,
                                             arm64::S2Kind::Mmio};
    KEEL_TRY(walker.map(gpa.raw(), hpa, size, Stage2::encode(kDirectMmio)));
    env.publish_tables();
    return {};
}

void p2m_destroy(P2m& p2m, P2mEnv& env)
{
    LockGuard guard{p2m.lock};
    // Order (Arm ARM, "TLB maintenance requirements"): the domain runs nowhere,
    // so no new translation under its VMID is made; first every CPU forgets the
    // cached ones (TLB and walk caches), only then are the frames and table
    // pages they point to reused and the VMID handed to another domain.
    if (p2m.ready()) env.flush_guest_tlb(p2m.vttbr);

    // Grant and foreign mappings left behind hold references on other
    // domains' frames.
    if (p2m.table_pages != 0) {
        const PageTableWalker walker = walker_for(env, p2m.root);
        walker.for_each_leaf(
            [](void* ctx, uint64_t, unsigned level, uint64_t desc) {
                if (!holds_frame_ref(Stage2::decode(desc).kind)) return;
                KEEL_CHECK(level == arm64::vmsa::kLastLevel);
                frame_put(*static_cast<P2mEnv*>(ctx),
                          Mfn::of(arm64::vmsa::leaf_address(desc, level)));
            },
            &env);
    }

    // RAM: whole blocks back to the pool, unless a frame of the block is pinned
    // elsewhere: then frame by frame, the pinned ones at their last frame_put.
    FrameTable& frames = env.frames();
    for (FrameIndex i = p2m.ram_blocks; i != kNoFrame;) {
        const FrameIndex next = frames.at(i).next;
        const unsigned order = frames.at(i).order;
        bool pinned = false;
        for (uint64_t j = 0; j < frames_of(order) && !pinned; ++j)
            pinned = frame_ref_count(frames.at(i + static_cast<FrameIndex>(j))) != 0;
        if (!pinned) {
            env.free_ram(frames.mfn_of(i), order);  // resets the frames' records
        } else {
            for (uint64_t j = 0; j < frames_of(order); ++j) {
                const FrameIndex f = i + static_cast<FrameIndex>(j);
                frames.at(f).order = 0;
                frames.at(f).next = kNoFrame;
                frames.at(f).prev = kNoFrame;
                if (frame_ref_owner_drop(frames.at(f))) env.free_ram(frames.mfn_of(f), 0);
            }
        }
        i = next;
    }
    if (p2m.table_pages != 0) {
        P2mTables tables{p2m, env};
        PageTableWalker walker = walker_for(tables, p2m.root);
        walker.destroy();
    }
    KEEL_CHECK(p2m.table_pages == 0);
    if (p2m.vmid != 0) env.free_vmid(p2m.vmid);
    reset(p2m);
}

}  // namespace keel
