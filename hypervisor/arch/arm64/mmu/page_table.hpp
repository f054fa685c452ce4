// SPDX-License-Identifier: MIT
//
// arch/arm64/mmu/page_table.hpp
// Owns the generic VMSAv8-64 (4 KiB granule) page-table builder and walker:
// map a range with one attribute set (using the largest block the alignment
// allows), split a block when part of it changes, unmap (freeing tables that
// become empty), translate, and free a whole tree. Pure: table pages come from
// a TableContext, which also says how keel reaches a table page and what to do
// when a live entry is broken (TLB maintenance is the context's job, not this
// file's). PageTable<Format> puts typed addresses and attributes on top; the
// format (stage1.hpp now, stage-2 next) only encodes attribute bits.
#pragma once
#include <cstdint>

#include "arch/arm64/mmu/descriptor.hpp"
#include "lib/addr.hpp"
#include "lib/result.hpp"

namespace keel::arm64 {

class TableContext {
public:
    /// One page for a translation table, zero-filled, or Errno::NoMem.
    virtual Result<PhysAddr> alloc_table() = 0;
    virtual void free_table(PhysAddr table) = 0;
    /// Where keel reads and writes the table page at `table`.
    virtual uint64_t* table_ptr(PhysAddr table) = 0;
    /// The valid entry at `level` covering [in_addr, in_addr + level_size(level)) was
    /// just made invalid. Before it is replaced (break-before-make) or a table page
    /// under it is freed, the TLBs must forget every translation in that range.
    virtual void entry_broken(uint64_t in_addr, unsigned level)
    {
        (void)in_addr;
        (void)level;
    }
    /// A new table page is filled and about to be linked into the tree: its
    /// contents must be visible to the table walker first.
    virtual void before_link() {}

protected:
    ~TableContext() = default;
};

// One translation found by a walk.
struct Walk {
    PhysAddr out;      // output address of the input address walked
    unsigned level;    // level of the leaf
    uint64_t desc;     // the leaf descriptor
};

// Untyped core: input addresses are raw, attributes are raw descriptor bits.
class PageTableWalker {
public:
    PageTableWalker() = default;
    PageTableWalker(TableContext& ctx, PhysAddr root, unsigned start_level, unsigned input_bits);

    PhysAddr root() const { return root_; }
    unsigned start_level() const { return start_level_; }
    uint64_t input_limit() const { return uint64_t{1} << input_bits_; }

    Result<void> map(uint64_t in, PhysAddr out, uint64_t size, uint64_t attrs,
                     unsigned min_block_level = vmsa::kFirstBlockLevel);
    Result<void> unmap(uint64_t in, uint64_t size);
    Result<Walk> translate(uint64_t in) const;
    /// The level-3 descriptor slot for `in`, creating tables (or splitting a block)
    /// on the way; for mappings keel rewrites by hand (the transient map slots).
    Result<uint64_t*> page_slot(uint64_t in);
    /// The same at `level` (a block slot above the last level): the tables above
    /// it are created, the entry itself is left to the caller.
    Result<uint64_t*> entry_slot(uint64_t in, unsigned level);
    /// Calls fn(ctx, in_addr, level, descriptor) for every valid leaf (block or
    /// page) in input-address order. fn must not change the tree.
    void for_each_leaf(void (*fn)(void* ctx, uint64_t in, unsigned level, uint64_t desc),
                       void* ctx) const;
    /// Frees every table page, the root included.
    void destroy();

private:
    Result<void> map_level(PhysAddr table, unsigned level, uint64_t in, uint64_t end,
                           PhysAddr out, uint64_t attrs, unsigned min_block_level);
    Result<void> unmap_level(PhysAddr table, unsigned level, uint64_t in, uint64_t end);
    // Makes `*entry` (at `level`, covering `base`) a table; allocates or splits.
    Result<PhysAddr> ensure_table(uint64_t* entry, unsigned level, uint64_t base);
    void set_entry(uint64_t* entry, uint64_t value, uint64_t base, unsigned level);
    void free_tree(PhysAddr table, unsigned level);
    void leaves(PhysAddr table, unsigned level, uint64_t base,
                void (*fn)(void*, uint64_t, unsigned, uint64_t), void* ctx) const;
    bool table_empty(PhysAddr table);
    uint64_t index(uint64_t in, unsigned level) const;
    bool valid_range(uint64_t in, uint64_t size) const;

    TableContext* ctx_ = nullptr;
    PhysAddr root_;
    unsigned start_level_ = 0;
    unsigned input_bits_ = 48;
};

// Typed front end over one format (Stage1El2, later Stage2).
template <typename Format>
class PageTable {
public:
    using InAddr = typename Format::InAddr;
    using Attrs = typename Format::Attrs;

    struct Translation {
        PhysAddr out;
        unsigned level;
        Attrs attrs;
        uint64_t desc;
    };

    PageTable() = default;

    /// A new, empty table tree with its root from `ctx`.
    static Result<PageTable> create(TableContext& ctx)
    {
        const PhysAddr root = KEEL_TRY(ctx.alloc_table());
        return PageTable{PageTableWalker{ctx, root, Format::kStartLevel, Format::kInputBits}};
    }

    PhysAddr root() const { return walker_.root(); }

    /// Maps [in, in + size) to [out, out + size); page-aligned; blocks where the
    /// alignment of both sides allows, unless `min_block_level` forbids them.
    Result<void> map(InAddr in, PhysAddr out, uint64_t size, Attrs attrs,
                     unsigned min_block_level = vmsa::kFirstBlockLevel)
    {
        return walker_.map(in.raw(), out, size, Format::encode(attrs), min_block_level);
    }
    Result<void> unmap(InAddr in, uint64_t size) { return walker_.unmap(in.raw(), size); }
    Result<Translation> translate(InAddr in) const
    {
        const Walk w = KEEL_TRY(walker_.translate(in.raw()));
        return Translation{w.out, w.level, Format::decode(w.desc), w.desc};
    }
    Result<uint64_t*> page_slot(InAddr in) { return walker_.page_slot(in.raw()); }
    Result<uint64_t*> entry_slot(InAddr in, unsigned level) { return walker_.entry_slot(in.raw(), level); }
    /// Every valid leaf, in input-address order (PageTableWalker::for_each_leaf).
    void for_each_leaf(void (*fn)(void* ctx, uint64_t in, unsigned level, uint64_t desc),
                       void* ctx) const
    {
        walker_.for_each_leaf(fn, ctx);
    }
    /// The page descriptor a hand-written slot (page_slot) holds for `out`.
    static constexpr uint64_t page_descriptor(PhysAddr out, Attrs attrs)
    {
        return vmsa::make_leaf(out, vmsa::kLastLevel, Format::encode(attrs));
    }
    /// The block descriptor a hand-written slot (entry_slot) at `level` holds for `out`.
    static constexpr uint64_t block_descriptor(PhysAddr out, unsigned level, Attrs attrs)
    {
        return vmsa::make_leaf(out, level, Format::encode(attrs));
    }
    void destroy() { walker_.destroy(); }

private:
    explicit PageTable(PageTableWalker w) : walker_{w} {}
    PageTableWalker walker_;
};

}  // namespace keel::arm64
