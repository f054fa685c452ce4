// SPDX-License-Identifier: MIT
//
// core/memory/p2m_target.cpp
// Owns the target's P2mEnv and keel's Domain-level p2m API: stage-2 table pages
// from the heap pool (identity-mapped, so the walker reads them directly), guest
// RAM from the domain pool (scrubbed through a transient map), VMIDs from
// keel's allocator, TLB maintenance by VMID, and VTCR_EL2 from the CPU's
// physical address size. Target only.
#include "arch/arm64/hw/barrier.hpp"
#include "arch/arm64/hw/stage2_ops.hpp"
#include "arch/arm64/hw/sysreg.hpp"
#include "arch/arm64/mmu/stage2_control.hpp"
#include "arch/arm64/mmu/vmid.hpp"
#include "core/domain/domain.hpp"
#include "core/memory/boot_memory.hpp"
#include "core/memory/frame_ref.hpp"
#include "core/memory/guest_copy.hpp"
#include "core/memory/p2m.hpp"

namespace keel {

namespace {

class TargetP2mEnv final : public P2mEnv {
public:
    Result<PhysAddr> alloc_table() override
    {
        const Mfn m = KEEL_TRY(memory().heap().alloc(0));
        arm64::zero_page(memory().heap_ptr(m.addr()));
        return m.addr();
    }
    void free_table(PhysAddr table) override { memory().heap().free(Mfn::of(table), 0); }
    uint64_t* table_ptr(PhysAddr table) override
    {
        return static_cast<uint64_t*>(memory().heap_ptr(table));
    }

    FrameTable& frames() override { return memory().frames(); }
    Result<Mfn> alloc_ram(unsigned order) override { return memory().domain().alloc(order); }
    void free_ram(Mfn first, unsigned order) override
    {
        // An orphaned keel page (a grant-table frame another domain mapped)
        // goes back to the heap pool it came from.
        const FrameInfo* f = memory().frames().find(first);
        if (f != nullptr && f->pool() == kHeapPoolId) {
            memory().heap().free(first, order);
            return;
        }
        memory().domain().free(first, order);
    }
    Result<Mfn> alloc_ram_below(unsigned order, PhysAddr limit) override
    {
        return memory().domain().alloc_below(order, Mfn::of(limit));
    }
    void scrub_ram(Mfn first, unsigned order) override
    {
        constexpr uint64_t kBlockFrames = arm64::kTransientBlockSize >> kPageShift;
        if ((uint64_t{1} << order) >= kBlockFrames) {  // whole 2 MiB blocks: one map each
            for (uint64_t b = 0; b < (uint64_t{1} << order); b += kBlockFrames) {
                auto* p = reinterpret_cast<uint8_t*>(map_transient_block((first + b).addr()).raw());
                for (uint64_t i = 0; i < kBlockFrames; ++i) arm64::zero_page_to_poc(p + i * kPageSize);
                unmap_transient_block();
            }
            return;
        }
        for (uint64_t i = 0; i < (uint64_t{1} << order); ++i) {
            const VirtAddr va = map_transient((first + i).addr(), kGuestCopySlot);
            void* p = reinterpret_cast<void*>(va.raw());
            // A guest starts with its caches off: the zeroes must reach memory.
            arm64::zero_page_to_poc(p);
            unmap_transient(kGuestCopySlot);
        }
    }
    Result<uint16_t> alloc_vmid() override { return arm64::vmids().alloc(); }
    void free_vmid(uint16_t vmid) override { arm64::vmids().free(vmid); }
    void flush_guest_tlb(uint64_t vttbr) override { arm64::flush_guest_tlb_vmid(vttbr); }
    // The stores must reach every CPU's table walker before a vCPU of the domain
    // can run there (walks are not ordered by the scheduler's locks).
    void publish_tables() override { arm64::dsb_ish(); }
    unsigned ipa_bits() const override { return arm64::vtcr_ipa_bits(p2m_vtcr()); }
};

constinit TargetP2mEnv g_env;

}  // namespace

uint64_t p2m_vtcr()
{
    // Every CPU of a system has the same PARange (keel checks nothing else here);
    // ID registers are cheap to read, so no cached copy to keep coherent.
    const uint8_t pa_range = arm64::Mmfr0::PaRange::get(arm64::IdAa64Mmfr0El1::read());
    return arm64::vtcr_el2_value(pa_range);
}

Result<void> p2m_init(Domain& d) { return p2m_init(d.p2m, g_env, d.id); }

Result<void> p2m_populate_ram(Domain& d, GuestPhysAddr base, uint64_t bytes)
{
    return p2m_populate_ram(d.p2m, g_env, base, bytes);
}

Result<PhysAddr> p2m_translate(const Domain& d, GuestPhysAddr ipa)
{
    return p2m_translate(d.p2m, g_env, ipa);
}

void p2m_destroy(Domain& d) { p2m_destroy(d.p2m, g_env); }

Result<P2mType> p2m_type_of(Domain& d, uint64_t gfn) { return p2m_type_of(d.p2m, g_env, gfn); }

Result<Mfn> p2m_get_page(Domain& d, uint64_t gfn, bool writable)
{
    return p2m_get_page(d.p2m, g_env, gfn, writable);
}

Result<void> p2m_map_frame(Domain& d, uint64_t gfn, Mfn mfn, P2mType t)
{
    return p2m_map_frame(d.p2m, g_env, gfn, mfn, t);
}

Result<void> p2m_map_frame_over_ram(Domain& d, uint64_t gfn, Mfn mfn, P2mType t)
{
    return p2m_map_frame_over_ram(d.p2m, g_env, gfn, mfn, t);
}

Result<Mfn> p2m_unmap_frame(Domain& d, uint64_t gfn, P2mType expected)
{
    return p2m_unmap_frame(d.p2m, g_env, gfn, expected);
}

Result<void> p2m_release_ram(Domain& d, uint64_t gfn) { return p2m_release_ram(d.p2m, g_env, gfn); }

Result<void> p2m_populate_extent(Domain& d, uint64_t gfn, unsigned order)
{
    return p2m_populate_extent(d.p2m, g_env, gfn, order);
}

Result<Mfn> p2m_get_ram_page(Domain& d, uint64_t gfn) { return p2m_get_ram_page(d.p2m, g_env, gfn); }

Result<void> p2m_map_foreign(Domain& d, uint64_t gfn, Mfn mfn) { return p2m_map_foreign(d.p2m, g_env, gfn, mfn); }

Result<void> p2m_map_static_shm(Domain& d, uint64_t gpa, PhysAddr hpa, uint64_t size, bool owner)
{
    return p2m_map_static_shm(d.p2m, g_env, GuestPhysAddr{gpa}, hpa, size, owner);
}

Result<void> p2m_map_mmio(Domain& d, GuestPhysAddr gpa, PhysAddr hpa, uint64_t size)
{
    return p2m_map_mmio(d.p2m, g_env, gpa, hpa, size);
}

P2mEnv& p2m_env() { return g_env; }

Result<void> frame_get(Mfn mfn) { return frame_get(g_env, mfn); }
void frame_put(Mfn mfn) { frame_put(g_env, mfn); }
bool keel_page_owner_drop(Mfn mfn) { return keel_page_owner_drop(g_env, mfn); }

}  // namespace keel
