// SPDX-License-Identifier: MIT
//
// arch/arm64/mmu/page_table.cpp
// Owns the walk itself: descending the levels, choosing block or table per
// entry, splitting blocks, break-before-make when a live entry changes, and
// freeing empty tables on unmap.
//
// Break-before-make (Arm ARM, "Translation table updates ... break-before-make
// sequence"): a valid entry is never overwritten by a different valid entry or
// a different block size directly; it is first written invalid, the context
// invalidates the TLBs (entry_broken), then the new entry is written. Every
// descriptor store is a single 64-bit store, so the walker never sees half of one.
#include "arch/arm64/mmu/page_table.hpp"

#include "lib/check.hpp"

namespace keel::arm64 {

using namespace vmsa;

namespace {

// Single-copy atomic 64-bit accesses: the table walker may read an entry at any time.
void store(uint64_t* entry, uint64_t value) { __atomic_store_n(entry, value, __ATOMIC_RELAXED); }
uint64_t load(const uint64_t* entry) { return __atomic_load_n(entry, __ATOMIC_RELAXED); }

constexpr bool page_aligned(uint64_t v) { return (v & (kPageSize - 1)) == 0; }

}  // namespace

PageTableWalker::PageTableWalker(TableContext& ctx, PhysAddr root, unsigned start_level,
                                 unsigned input_bits)
    : ctx_{&ctx}, root_{root}, start_level_{start_level}, input_bits_{input_bits}
{
    KEEL_CHECK(start_level <= kLastLevel);
    KEEL_CHECK(input_bits > level_shift(start_level));
    // One root page for now; concatenated root tables arrive with stage 2.
    KEEL_CHECK(input_bits <= level_shift(start_level) + kBitsPerLevel);
    KEEL_CHECK(root.aligned(kPageSize));
}

uint64_t PageTableWalker::index(uint64_t in, unsigned level) const
{
    return (in >> level_shift(level)) & (kEntriesPerTable - 1);
}

bool PageTableWalker::valid_range(uint64_t in, uint64_t size) const
{
    return ctx_ != nullptr && size != 0 && page_aligned(in) && page_aligned(size) &&
           in < input_limit() && size <= input_limit() - in;
}

void PageTableWalker::set_entry(uint64_t* entry, uint64_t value, uint64_t base, unsigned level)
{
    const uint64_t old = load(entry);
    if (old == value) return;
    if (is_valid(old)) {
        store(entry, 0);
        ctx_->entry_broken(base, level);
    }
    store(entry, value);
}

Result<PhysAddr> PageTableWalker::ensure_table(uint64_t* entry, unsigned level, uint64_t base)
{
    const uint64_t d = load(entry);
    if (is_table(d, level)) return table_address(d);

    const PhysAddr table = KEEL_TRY(ctx_->alloc_table());
    if (is_leaf(d, level)) {
        // Split: the same attributes, in pages (or blocks) of the next level.
        uint64_t* t = ctx_->table_ptr(table);
        const unsigned child = level + 1;
        const PhysAddr out = leaf_address(d, level);
        for (unsigned i = 0; i < kEntriesPerTable; ++i)
            store(&t[i], make_leaf(out + i * level_size(child), child, leaf_attrs(d)));
    }
    ctx_->before_link();
    set_entry(entry, make_table(table), base, level);
    return table;
}

Result<void> PageTableWalker::map(uint64_t in, PhysAddr out, uint64_t size, uint64_t attrs,
                                  unsigned min_block_level)
{
    if (!valid_range(in, size) || !out.aligned(kPageSize)) return Errno::Inval;
    if (min_block_level < kFirstBlockLevel) min_block_level = kFirstBlockLevel;
    return map_level(root_, start_level_, in, in + size, out, attrs, min_block_level);
}

Result<void> PageTableWalker::map_level(PhysAddr table, unsigned level, uint64_t in,
                                        uint64_t end, PhysAddr out, uint64_t attrs,
                                        unsigned min_block_level)
{
    uint64_t* t = ctx_->table_ptr(table);
    const uint64_t size = level_size(level);
    while (in < end) {
        const uint64_t base = align_down(in, size);
        const uint64_t next = base + size;
        const uint64_t chunk_end = end < next ? end : next;
        uint64_t* entry = &t[index(in, level)];
        const bool whole = in == base && chunk_end == next && out.aligned(size);

        if (level == kLastLevel || (level >= min_block_level && whole)) {
            const uint64_t old = load(entry);
            set_entry(entry, make_leaf(out, level, attrs), base, level);
            // A table replaced by a block: its pages are unreachable once the
            // TLBs forgot them (set_entry broke the entry first).
            if (is_table(old, level)) free_tree(table_address(old), level + 1);
        } else {
            const PhysAddr sub = KEEL_TRY(ensure_table(entry, level, base));
            KEEL_TRY(map_level(sub, level + 1, in, chunk_end, out, attrs, min_block_level));
        }
        out = out + (chunk_end - in);
        in = chunk_end;
    }
    return {};
}

Result<void> PageTableWalker::unmap(uint64_t in, uint64_t size)
{
    if (!valid_range(in, size)) return Errno::Inval;
    return unmap_level(root_, start_level_, in, in + size);
}

Result<void> PageTableWalker::unmap_level(PhysAddr table, unsigned level, uint64_t in,
                                          uint64_t end)
{
    uint64_t* t = ctx_->table_ptr(table);
    const uint64_t size = level_size(level);
    while (in < end) {
        const uint64_t base = align_down(in, size);
        const uint64_t next = base + size;
        const uint64_t chunk_end = end < next ? end : next;
        uint64_t* entry = &t[index(in, level)];
        const uint64_t d = load(entry);

        if (is_leaf(d, level)) {
            if (in == base && chunk_end == next) {
                set_entry(entry, 0, base, level);
            } else {
                const PhysAddr sub = KEEL_TRY(ensure_table(entry, level, base));
                KEEL_TRY(unmap_level(sub, level + 1, in, chunk_end));
            }
        } else if (is_table(d, level)) {
            const PhysAddr sub = table_address(d);
            KEEL_TRY(unmap_level(sub, level + 1, in, chunk_end));
            if (table_empty(sub)) {
                set_entry(entry, 0, base, level);
                ctx_->free_table(sub);
            }
        } else if (d != 0) {
            store(entry, 0);  // a reserved encoding never translated: nothing to invalidate
        }
        in = chunk_end;
    }
    return {};
}

Result<Walk> PageTableWalker::translate(uint64_t in) const
{
    if (ctx_ == nullptr || in >= input_limit()) return Errno::Inval;
    PhysAddr table = root_;
    for (unsigned level = start_level_; level <= kLastLevel; ++level) {
        const uint64_t d = load(&ctx_->table_ptr(table)[index(in, level)]);
        if (is_table(d, level)) {
            table = table_address(d);
            continue;
        }
        if (!is_leaf(d, level)) return Errno::NoEnt;
        return Walk{leaf_address(d, level) + (in & (level_size(level) - 1)), level, d};
    }
    return Errno::NoEnt;
}

Result<uint64_t*> PageTableWalker::page_slot(uint64_t in) { return entry_slot(in, kLastLevel); }

Result<uint64_t*> PageTableWalker::entry_slot(uint64_t in, unsigned at_level)
{
    if (at_level < start_level_ || at_level > kLastLevel) return Errno::Inval;
    if (!valid_range(in, kPageSize)) return Errno::Inval;
    PhysAddr table = root_;
    for (unsigned level = start_level_; level < at_level; ++level) {
        uint64_t* entry = &ctx_->table_ptr(table)[index(in, level)];
        table = KEEL_TRY(ensure_table(entry, level, align_down(in, level_size(level))));
    }
    return &ctx_->table_ptr(table)[index(in, at_level)];
}

void PageTableWalker::for_each_leaf(void (*fn)(void*, uint64_t, unsigned, uint64_t),
                                    void* ctx) const
{
    if (ctx_ == nullptr) return;
    leaves(root_, start_level_, 0, fn, ctx);
}

void PageTableWalker::leaves(PhysAddr table, unsigned level, uint64_t base,
                             void (*fn)(void*, uint64_t, unsigned, uint64_t), void* ctx) const
{
    const uint64_t* t = ctx_->table_ptr(table);
    for (unsigned i = 0; i < kEntriesPerTable; ++i) {
        const uint64_t d = load(&t[i]);
        const uint64_t in = base + i * level_size(level);
        if (is_table(d, level)) {
            leaves(table_address(d), level + 1, in, fn, ctx);
        } else if (is_leaf(d, level)) {
            fn(ctx, in, level, d);
        }
    }
}

void PageTableWalker::destroy()
{
    if (ctx_ == nullptr) return;
    free_tree(root_, start_level_);
    ctx_ = nullptr;
}

void PageTableWalker::free_tree(PhysAddr table, unsigned level)
{
    if (level < kLastLevel) {
        const uint64_t* t = ctx_->table_ptr(table);
        for (unsigned i = 0; i < kEntriesPerTable; ++i) {
            const uint64_t d = load(&t[i]);
            if (is_table(d, level)) free_tree(table_address(d), level + 1);
        }
    }
    ctx_->free_table(table);
}

bool PageTableWalker::table_empty(PhysAddr table)
{
    const uint64_t* t = ctx_->table_ptr(table);
    for (unsigned i = 0; i < kEntriesPerTable; ++i)
        if (load(&t[i]) != 0) return false;
    return true;
}

}  // namespace keel::arm64
