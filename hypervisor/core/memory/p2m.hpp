// SPDX-License-Identifier: MIT
//
// core/memory/p2m.hpp
// Owns P2m: one domain's guest-physical → host-physical map (the stage-2
// translation table, its VMID, and the list of RAM blocks allocated from the
// domain pool so destruction gives every frame back), and the operations on
// it: init, populate RAM, translate, destroy.
//
// Two layers. The P2m-level functions are pure: everything they need from the
// machine (where table pages and RAM come from, scrubbing, VMIDs, TLB
// maintenance) goes through a P2mEnv, so host tests run them against fakes. The
// Domain-level functions are keel's API; they use the target's P2mEnv
// (p2m_target.cpp: heap pool for tables, domain pool for RAM, TLBI by VMID).
//
// RAM blocks are kept on a doubly linked list threaded through the frame table
// (FrameInfo next/prev links of each block's first frame; the block order is
// the allocator's record there), so a domain's RAM costs no memory beyond the
// frame table. When one page of a block must go (decrease_reservation,
// add_to_physmap over RAM) the block is "shattered": every frame becomes an
// order-0 block of its own on the list (and in the allocator's records), and
// the stage-2 block descriptor is split into pages (break-before-make, TLBI by
// VMID through P2mEnv::flush_guest_tlb).
//
// Entry types (P2mType) live in the descriptors' software bits (stage2.hpp
// S2Kind). RAM and StaticShm pages may be pinned by others with a frame
// reference (p2m_get_page, core/memory/frame_ref.hpp); a RAM page the owner
// drops while pinned is freed by its last frame_put. A GrantMapRw/Ro or
// ForeignRw entry holds one frame reference on the (other domain's) frame it
// maps: whoever removes the entry (p2m_unmap_frame's caller, p2m_map_foreign
// replacing it, or p2m_destroy) drops it.
//
// Concurrency: vCPUs change their p2m at run time. Every change and every
// software walk of a p2m holds P2m::lock (taken inside these functions; it is
// a leaf apart from the domain pool's lock taken to free a frame). The
// hardware walker never takes it: a live entry is changed only by
// break-before-make with a TLB flush of the VMID, and a table page is freed
// only after it was unlinked and flushed. What a translation returns is a
// snapshot: to keep using a page after the lock is dropped, pin it
// (p2m_get_page) and frame_put it afterwards. p2m_init / p2m_populate_ram run
// while the domain is built; p2m_destroy after every vCPU stopped.
#pragma once
#include <cstddef>
#include <cstdint>

#include "arch/arm64/hw/spinlock.hpp"
#include "arch/arm64/mmu/page_table.hpp"
#include "core/memory/frame_table.hpp"
#include "lib/addr.hpp"
#include "lib/result.hpp"

namespace keel {

struct Domain;

inline constexpr uint64_t kP2mNoGfn = ~uint64_t{0};

// What a guest-physical page is (docs/xen-abi-design.md).
enum class P2mType : uint8_t {
    RamRw, SharedInfo, GrantTable, GrantMapRw, GrantMapRo, StaticShm, Mmio,
    ForeignRw,  // another domain's RAM page (XENMAPSPACE_gmfn_foreign, Xen's p2m_map_foreign_rw)
};

struct P2m {
    static constexpr size_t kMaxRamRanges = 8;  // dom0's direct-mapped banks need a few

    uint64_t vttbr = 0;       // VTTBR_EL2 value (VMID | root table); 0 until p2m_init
    uint16_t vmid = 0;        // 0: none
    uint16_t owner = kNoOwner;  // domid written into the FrameInfo of its RAM
    PhysAddr root;            // stage-2 root table (level 1, one page)
    FrameIndex ram_blocks = kNoFrame;  // first RAM block (frame-table index of its head)
    uint64_t ram_frames = 0;  // frames p2m_populate_ram took (the domain as built)
    uint64_t cur_frames = 0;  // RAM frames the domain owns now (current_reservation)
    uint64_t max_frames = 0;  // its maximum: what p2m_populate_ram was asked for (DT memory)
    uint64_t max_mapped_gfn = 0;  // highest GFN ever mapped (XENMEM_maximum_gpfn)
    uint64_t shared_info_gfn = kP2mNoGfn;  // where the guest sees shared_info (memory_op.cpp)
    uint32_t ram_block_count = 0;
    uint32_t table_pages = 0;  // stage-2 table pages, the root included
    Range<GuestPhysAddr> ram[kMaxRamRanges];  // what p2m_populate_ram was given, in call order
    size_t ram_range_count = 0;
    mutable SpinLock lock;    // see "Concurrency" above

    bool ready() const { return vmid != 0; }
};

// What the p2m uses from the rest of keel. Table pages (TableContext) must be
// zero-filled, and reachable at table_ptr() for as long as they are live.
class P2mEnv : public arm64::TableContext {
public:
    virtual FrameTable& frames() = 0;
    /// A naturally aligned block of 2^order RAM frames, or Errno::NoMem.
    virtual Result<Mfn> alloc_ram(unsigned order) = 0;
    /// Gives a block back to its pool; also the last frame_put of an orphaned
    /// frame (order 0), which may be one of keel's heap-pool pages (frame_ref.hpp).
    virtual void free_ram(Mfn first, unsigned order) = 0;
    /// The lowest-addressed block of 2^order RAM frames ending at or below
    /// `limit`, or Errno::NoMem (dom0's direct-mapped RAM, where the address is
    /// what the guest sees). The default takes any block and keeps it if it fits.
    virtual Result<Mfn> alloc_ram_below(unsigned order, PhysAddr limit)
    {
        const Mfn m = KEEL_TRY(alloc_ram(order));
        if (limit.raw() >= m.addr().raw() && limit.raw() - m.addr().raw() >= (kPageSize << order))
            return m;
        free_ram(m, order);
        return Errno::NoMem;
    }
    /// Zero the block and make the zeroes visible to a guest running with its
    /// caches off (clean to the point of coherency): no data of a previous
    /// owner may show through.
    virtual void scrub_ram(Mfn first, unsigned order) = 0;
    virtual Result<uint16_t> alloc_vmid() = 0;
    virtual void free_vmid(uint16_t vmid) = 0;
    /// Every CPU forgets every stage-1 and stage-2 translation tagged with
    /// vttbr's VMID (TLBI VMALLS12E1IS under that VMID, completed).
    virtual void flush_guest_tlb(uint64_t vttbr) = 0;
    /// Table writes done so far are visible to every CPU's table walker.
    virtual void publish_tables() = 0;
    /// IPA size of keel's stage-2 on this machine (VTCR_EL2.T0SZ).
    virtual unsigned ipa_bits() const = 0;

protected:
    ~P2mEnv() = default;
};

// The largest block order populate allocates: 1 GiB (level-1 blocks).
inline constexpr unsigned kP2mMaxOrder = 18;

/// Allocates a VMID and an empty root table; `owner` is the domid. Errno::NoSpc
/// when VMIDs run out, Errno::NoMem without a table page. On failure nothing is held.
Result<void> p2m_init(P2m& p2m, P2mEnv& env, uint16_t owner);

/// Gives the guest [base, base + bytes) as RAM: page-aligned, inside the IPA
/// size, not overlapping RAM already populated. Frames come from alloc_ram in
/// the largest naturally aligned blocks that the alignment of base + offset,
/// the remaining size and the pool allow; each block is scrubbed and mapped
/// normal write-back, read/write, executable (2 MiB and 1 GiB block
/// descriptors where aligned). Errno::Inval for a bad range, Errno::NoMem when
/// RAM or tables run out, Errno::Busy when anything is mapped in the range
/// already, Errno::NoSpc beyond kMaxRamRanges ranges: what was
/// allocated until then stays owned by the p2m (p2m_destroy frees it).
Result<void> p2m_populate_ram(P2m& p2m, P2mEnv& env, GuestPhysAddr base, uint64_t bytes);

/// Direct map (dom0, Xen's allocate_memory_11): the block of 2^order frames at
/// `first`, which the caller took with alloc_ram/alloc_ram_below, becomes the
/// p2m's RAM at its own address (IPA == PA): scrubbed, owned (p2m_destroy
/// frees it, also when mapping fails halfway), mapped as p2m_populate_ram
/// maps RAM. It joins an adjacent range of p2m.ram or starts a new one.
/// Errors that leave the block with the caller: Errno::Inval (p2m not ready,
/// order above kP2mMaxOrder, misaligned, beyond the IPA size), Errno::Busy
/// (anything mapped there), Errno::NoSpc (kMaxRamRanges ranges already).
/// Errno::NoMem (no table page) leaves it owned by the p2m.
Result<void> p2m_map_ram_direct(P2m& p2m, P2mEnv& env, Mfn first, unsigned order,
                               bool scrub = true);

/// Maps host device memory [hpa, hpa + size) at [gpa, gpa + size) as Mmio, in
/// 2 MiB / 1 GiB blocks where both sides are aligned. The stage-2 attributes
/// are normal write-back, read/write, never executable, so the guest's own
/// stage-1 attributes decide (Xen's p2m_mmio_direct_c, what dom0 gets: Linux
/// maps registers Device and may map a PCIe window Normal-NC). Never freed by
/// p2m_destroy. Errno::Inval for a bad or out-of-IPA range or one that touches
/// RAM (any frame of the frame table: a device window is never memory keel or
/// a domain owns), Errno::Busy when
/// anything is mapped there, Errno::NoMem without table pages (what was
/// mapped stays until p2m_destroy).
Result<void> p2m_map_mmio(P2m& p2m, P2mEnv& env, GuestPhysAddr gpa, PhysAddr hpa, uint64_t size);

/// The host address behind `ipa` when it is the guest's RAM; Errno::Fault otherwise.
Result<PhysAddr> p2m_translate(const P2m& p2m, P2mEnv& env, GuestPhysAddr ipa);

/// What `gfn` holds; Errno::NoEnt when nothing is mapped there.
Result<P2mType> p2m_type_of(const P2m& p2m, P2mEnv& env, uint64_t gfn);

/// The frame behind `gfn` when it is RAM or StaticShm of this p2m (writable:
/// and the guest may write it), with one frame reference taken (frame_put it).
/// Errno::Inval for anything else (hole, MMIO, keel pages, grant mappings),
/// Errno::Overflow when the frame's reference count is full.
Result<Mfn> p2m_get_page(P2m& p2m, P2mEnv& env, uint64_t gfn, bool writable);

/// Maps one page `mfn` at `gfn` as `t` (not RamRw: RAM comes from populate).
/// Errno::Busy when something is mapped there already, Errno::Inval for a GFN
/// beyond the IPA size or t == RamRw, Errno::NoMem without a table page. For
/// GrantMapRw/Ro and ForeignRw the entry takes over the caller's frame
/// reference on success.
Result<void> p2m_map_frame(P2m& p2m, P2mEnv& env, uint64_t gfn, Mfn mfn, P2mType t);
/// The same, but the guest's own RAM page at `gfn`, if any, is given back first
/// (add_to_physmap over RAM); anything else there is Errno::Busy.
Result<void> p2m_map_frame_over_ram(P2m& p2m, P2mEnv& env, uint64_t gfn, Mfn mfn, P2mType t);

/// Removes the page at `gfn`, which must be of type `expected` (Errno::NoEnt
/// when empty, Errno::Inval when of another type or RamRw, which only
/// p2m_release_ram removes), and returns its frame. For GrantMapRw/Ro and
/// ForeignRw the entry's frame reference passes to the caller (frame_put it).
Result<Mfn> p2m_unmap_frame(P2m& p2m, P2mEnv& env, uint64_t gfn, P2mType expected);

/// The owner gives back its RAM page at `gfn` (decrease_reservation,
/// remove_from_physmap): unmapped, and freed to the domain pool now or by the
/// last frame_put of those who pinned it. Errno::NoEnt when `gfn` is not RAM.
Result<void> p2m_release_ram(P2m& p2m, P2mEnv& env, uint64_t gfn);

/// The frame behind `gfn` when it is RAM of this p2m (RamRw only: not keel's
/// pages, grant or foreign mappings, MMIO or static memory), with one frame
/// reference taken (frame_put it): the source of a foreign mapping. Errno::Inval
/// otherwise (also for a p2m already destroyed), Errno::Overflow when the
/// frame's reference count is full.
Result<Mfn> p2m_get_ram_page(P2m& p2m, P2mEnv& env, uint64_t gfn);

/// Maps another domain's RAM page `mfn` at `gfn` as ForeignRw; the entry takes
/// over the caller's frame reference on success. What is at `gfn` is replaced
/// when it is the domain's own RAM (given back as by p2m_release_ram) or an
/// older foreign mapping (its reference dropped); anything else there (keel's
/// pages, grant mappings, MMIO, static memory) is Errno::Busy. Errno::Inval for
/// a GFN beyond the IPA size, Errno::NoMem without a table page.
Result<void> p2m_map_foreign(P2m& p2m, P2mEnv& env, uint64_t gfn, Mfn mfn);

/// Populates [gfn, gfn + 2^order) with one fresh, scrubbed, naturally aligned
/// block of RAM (populate_physmap). Errno::Inval for a misaligned or out-of-
/// range GFN, Errno::Busy when any page there is mapped, Errno::NoMem beyond
/// max_frames or when the pool has no such block.
Result<void> p2m_populate_extent(P2m& p2m, P2mEnv& env, uint64_t gfn, unsigned order);

/// Maps host memory [hpa, hpa + size) at [gpa, gpa + size) as StaticShm
/// (Xen's xen,shared-mem; the owner may execute it, a borrower may not). Never
/// freed by p2m_destroy. Errno::Inval for bad ranges, Errno::Busy when occupied.
Result<void> p2m_map_static_shm(P2m& p2m, P2mEnv& env, GuestPhysAddr gpa, PhysAddr hpa,
                                uint64_t size, bool owner);

/// Forgets the VMID's translations on every CPU, drops the frame references
/// of its grant and foreign mappings, frees every RAM page (a page still pinned elsewhere
/// is freed by its last frame_put), every table page and the VMID; the P2m is
/// empty afterwards. The domain must not run anywhere. Safe on a P2m that
/// p2m_init never set up or that failed halfway.
void p2m_destroy(P2m& p2m, P2mEnv& env);

// keel's API over the target environment (p2m_target.cpp).

/// VTCR_EL2 for every guest on this machine (from ID_AA64MMFR0_EL1.PARange);
/// the vCPU core loads it on guest entry.
uint64_t p2m_vtcr();
Result<void> p2m_init(Domain& d);
Result<void> p2m_populate_ram(Domain& d, GuestPhysAddr base, uint64_t bytes);
Result<PhysAddr> p2m_translate(const Domain& d, GuestPhysAddr ipa);
void p2m_destroy(Domain& d);
Result<P2mType> p2m_type_of(Domain& d, uint64_t gfn);
Result<Mfn> p2m_get_page(Domain& d, uint64_t gfn, bool writable);
Result<void> p2m_map_frame(Domain& d, uint64_t gfn, Mfn mfn, P2mType t);
Result<void> p2m_map_frame_over_ram(Domain& d, uint64_t gfn, Mfn mfn, P2mType t);
Result<Mfn> p2m_unmap_frame(Domain& d, uint64_t gfn, P2mType expected);
Result<void> p2m_release_ram(Domain& d, uint64_t gfn);
Result<void> p2m_populate_extent(Domain& d, uint64_t gfn, unsigned order);
Result<Mfn> p2m_get_ram_page(Domain& d, uint64_t gfn);
Result<void> p2m_map_foreign(Domain& d, uint64_t gfn, Mfn mfn);
Result<void> p2m_map_static_shm(Domain& d, uint64_t gpa, PhysAddr hpa, uint64_t size, bool owner);
Result<void> p2m_map_mmio(Domain& d, GuestPhysAddr gpa, PhysAddr hpa, uint64_t size);
/// The target's environment (frame_ref.cpp and the grant code free through it).
P2mEnv& p2m_env();

}  // namespace keel
