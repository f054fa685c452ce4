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
// RAM blocks are kept on a list threaded through the frame table (FrameInfo
// next links of each block's first frame; the block order is the allocator's
// record there), so a domain's RAM costs no memory beyond the frame table.
//
// Not thread-safe per domain: populate and destroy run while nothing else
// changes that domain's p2m (domain building, then teardown after every vCPU
// stopped). Translate may run concurrently with neither.
#pragma once
#include <cstddef>
#include <cstdint>

#include "arch/arm64/mmu/page_table.hpp"
#include "core/memory/frame_table.hpp"
#include "lib/addr.hpp"
#include "lib/result.hpp"

namespace keel {

struct Domain;

struct P2m {
    static constexpr size_t kMaxRamRanges = 4;

    uint64_t vttbr = 0;       // VTTBR_EL2 value (VMID | root table); 0 until p2m_init
    uint16_t vmid = 0;        // 0: none
    uint16_t owner = kNoOwner;  // domid written into the FrameInfo of its RAM
    PhysAddr root;            // stage-2 root table (level 1, one page)
    FrameIndex ram_blocks = kNoFrame;  // first RAM block (frame-table index of its head)
    uint64_t ram_frames = 0;  // frames in the RAM blocks
    uint32_t ram_block_count = 0;
    uint32_t table_pages = 0;  // stage-2 table pages, the root included
    Range<GuestPhysAddr> ram[kMaxRamRanges];  // what p2m_populate_ram was given, in call order
    size_t ram_range_count = 0;

    bool ready() const { return vmid != 0; }
};

// What the p2m uses from the rest of keel. Table pages (TableContext) must be
// zero-filled, and reachable at table_ptr() for as long as they are live.
class P2mEnv : public arm64::TableContext {
public:
    virtual FrameTable& frames() = 0;
    /// A naturally aligned block of 2^order RAM frames, or Errno::NoMem.
    virtual Result<Mfn> alloc_ram(unsigned order) = 0;
    virtual void free_ram(Mfn first, unsigned order) = 0;
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
/// RAM or tables run out, Errno::NoSpc beyond kMaxRamRanges ranges: what was
/// allocated until then stays owned by the p2m (p2m_destroy frees it).
Result<void> p2m_populate_ram(P2m& p2m, P2mEnv& env, GuestPhysAddr base, uint64_t bytes);

/// The host address behind `ipa` when it is the guest's RAM; Errno::Fault otherwise.
Result<PhysAddr> p2m_translate(const P2m& p2m, P2mEnv& env, GuestPhysAddr ipa);

/// Forgets the VMID's translations on every CPU, then frees every RAM block,
/// every table page and the VMID; the P2m is empty afterwards. The domain must
/// not run anywhere. Safe on a P2m that p2m_init never set up or that failed halfway.
void p2m_destroy(P2m& p2m, P2mEnv& env);

// keel's API over the target environment (p2m_target.cpp).

/// VTCR_EL2 for every guest on this machine (from ID_AA64MMFR0_EL1.PARange);
/// the vCPU core loads it on guest entry.
uint64_t p2m_vtcr();
Result<void> p2m_init(Domain& d);
Result<void> p2m_populate_ram(Domain& d, GuestPhysAddr base, uint64_t bytes);
Result<PhysAddr> p2m_translate(const Domain& d, GuestPhysAddr ipa);
void p2m_destroy(Domain& d);

}  // namespace keel
