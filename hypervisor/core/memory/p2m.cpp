// SPDX-License-Identifier: MIT
//
// core/memory/p2m.cpp
// Owns the machine-independent p2m operations (core/memory/p2m.hpp): building
// a domain's stage-2 with the generic walker and the stage-2 format, the RAM
// block list in the frame table, and the order of teardown. Pure.
#include "core/memory/p2m.hpp"

#include "arch/arm64/mmu/stage2.hpp"
#include "arch/arm64/mmu/stage2_control.hpp"
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

// Puts the block on the p2m's RAM list and marks its frames as the domain's.
void own_block(P2m& p2m, FrameTable& frames, const Block& b)
{
    const FrameIndex head = frames.index_of(b.first);
    KEEL_CHECK(head != kNoFrame);
    for (uint64_t i = 0; i < frames_of(b.order); ++i)
        frames.at(head + static_cast<FrameIndex>(i)).owner = p2m.owner;
    FrameInfo& h = frames.at(head);
    KEEL_CHECK(h.order == b.order);  // the allocator's record, read back at destroy
    h.next = p2m.ram_blocks;
    p2m.ram_blocks = head;
    p2m.ram_frames += frames_of(b.order);
    ++p2m.ram_block_count;
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

Result<void> p2m_populate_ram(P2m& p2m, P2mEnv& env, GuestPhysAddr base, uint64_t bytes)
{
    if (!p2m.ready()) return Errno::Inval;
    const uint64_t limit = uint64_t{1} << env.ipa_bits();
    if (bytes == 0 || !base.aligned(kPageSize) || bytes % kPageSize != 0 ||
        base.raw() >= limit || bytes > limit - base.raw())
        return Errno::Inval;
    const Range<GuestPhysAddr> range{base, bytes};
    for (size_t i = 0; i < p2m.ram_range_count; ++i)
        if (p2m.ram[i].overlaps(range)) return Errno::Inval;
    if (p2m.ram_range_count == P2m::kMaxRamRanges) return Errno::NoSpc;
    p2m.ram[p2m.ram_range_count++] = range;

    FrameTable& frames = env.frames();
    P2mTables tables{p2m, env};
    PageTableWalker walker = walker_for(tables, p2m.root);
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
        const uint64_t size = frames_of(b.order) << kPageShift;
        KEEL_TRY(walker.map(ipa, b.first.addr(), size, attrs));
        done += size;
    }
    env.publish_tables();
    return {};
}

Result<PhysAddr> p2m_translate(const P2m& p2m, P2mEnv& env, GuestPhysAddr ipa)
{
    if (!p2m.ready() || ipa.raw() >= (uint64_t{1} << env.ipa_bits())) return Errno::Fault;
    const PageTableWalker walker = walker_for(env, p2m.root);
    auto w = walker.translate(ipa.raw());
    if (!w.ok() || Stage2::decode(w.value().desc).kind != arm64::S2Kind::Ram) return Errno::Fault;
    return w.value().out;
}

void p2m_destroy(P2m& p2m, P2mEnv& env)
{
    // Order (Arm ARM, "TLB maintenance requirements"): the domain runs nowhere,
    // so no new translation under its VMID is made; first every CPU forgets the
    // cached ones (TLB and walk caches), only then are the frames and table
    // pages they point to reused and the VMID handed to another domain.
    if (p2m.ready()) env.flush_guest_tlb(p2m.vttbr);

    FrameTable& frames = env.frames();
    for (FrameIndex i = p2m.ram_blocks; i != kNoFrame;) {
        const FrameInfo& f = frames.at(i);
        const FrameIndex next = f.next;
        const unsigned order = f.order;
        env.free_ram(frames.mfn_of(i), order);  // resets the frames' records
        i = next;
    }
    if (p2m.table_pages != 0) {
        P2mTables tables{p2m, env};
        PageTableWalker walker = walker_for(tables, p2m.root);
        walker.destroy();
    }
    KEEL_CHECK(p2m.table_pages == 0);
    if (p2m.vmid != 0) env.free_vmid(p2m.vmid);
    p2m = P2m{};
}

}  // namespace keel
