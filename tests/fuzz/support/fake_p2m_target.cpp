// SPDX-License-Identifier: MIT
//
// tests/fuzz/support/fake_p2m_target.cpp
// Owns the handler harness's stand-in for core/memory/p2m_target.cpp: a
// P2mEnv over the fake memory manager (stage-2 table pages from the heap pool,
// guest RAM from the domain pool, scrubbed; the real VMID allocator; TLB
// maintenance and table publishing are no-ops) and the Domain-level p2m API
// and frame references keel's handlers call. Frees are checked: a RAM frame
// goes back to the pool only with no reference and no vmap left, and is
// ASan-poisoned while free.
#include <cstring>

#include "arch/arm64/mmu/vmid.hpp"
#include "core/domain/domain.hpp"
#include "core/memory/boot_memory.hpp"
#include "core/memory/frame_ref.hpp"
#include "core/memory/p2m.hpp"
#include "lib/check.hpp"
#include "tests/fuzz/support/fake_memory.hpp"

namespace keel {
namespace {

class FuzzP2mEnv final : public P2mEnv {
public:
    Result<PhysAddr> alloc_table() override
    {
        const Mfn m = KEEL_TRY(memory().heap().alloc(0));
        std::memset(memory().heap_ptr(m.addr()), 0, kPageSize);
        return m.addr();
    }
    void free_table(PhysAddr table) override { memory().heap().free(Mfn::of(table), 0); }
    uint64_t* table_ptr(PhysAddr table) override { return static_cast<uint64_t*>(memory().heap_ptr(table)); }

    FrameTable& frames() override { return memory().frames(); }
    Result<Mfn> alloc_ram(unsigned order) override
    {
        const Mfn m = KEEL_TRY(memory().domain().alloc(order));
        fuzz::unpoison_frames(m, uint64_t{1} << order);
        return m;
    }
    void free_ram(Mfn first, unsigned order) override
    {
        FrameInfo* head = memory().frames().find(first);
        if (head != nullptr && head->pool() == kHeapPoolId) {
            // An orphaned keel page (a grant frame another domain mapped): as the target.
            KEEL_CHECK(order == 0 && head->state() == FrameState::Allocated && frame_ref_count(*head) == 0);
            memory().heap().free(first, order);
            return;
        }
        for (uint64_t i = 0; i < (uint64_t{1} << order); ++i) {
            FrameInfo* f = memory().frames().find(first + i);
            KEEL_CHECK(f != nullptr && f->state() == FrameState::Allocated);  // not freed twice
            KEEL_CHECK(frame_ref_count(*f) == 0);        // no frame freed while referenced
            KEEL_CHECK(fuzz::vmap_count(first + i) == 0);  // ... or mapped in keel's vmap window
        }
        memory().domain().free(first, order);
        fuzz::poison_frames(first, uint64_t{1} << order);
    }
    void scrub_ram(Mfn first, unsigned order) override
    {
        std::memset(reinterpret_cast<void*>(first.addr().raw()), 0, kPageSize << order);
    }
    Result<uint16_t> alloc_vmid() override { return arm64::vmids().alloc(); }
    void free_vmid(uint16_t vmid) override { arm64::vmids().free(vmid); }
    void flush_guest_tlb(uint64_t) override {}
    void publish_tables() override {}
    unsigned ipa_bits() const override { return 39; }
};

FuzzP2mEnv g_env;

}  // namespace

uint64_t p2m_vtcr() { return 0; }

Result<void> p2m_init(Domain& d) { return p2m_init(d.p2m, g_env, d.id); }

Result<void> p2m_populate_ram(Domain& d, GuestPhysAddr base, uint64_t bytes)
{
    return p2m_populate_ram(d.p2m, g_env, base, bytes);
}

Result<PhysAddr> p2m_translate(const Domain& d, GuestPhysAddr ipa) { return p2m_translate(d.p2m, g_env, ipa); }

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

Result<void> p2m_map_static_shm(Domain& d, uint64_t gpa, PhysAddr hpa, uint64_t size, bool owner)
{
    return p2m_map_static_shm(d.p2m, g_env, GuestPhysAddr{gpa}, hpa, size, owner);
}

P2mEnv& p2m_env() { return g_env; }

Result<void> frame_get(Mfn mfn) { return frame_get(g_env, mfn); }
void frame_put(Mfn mfn) { frame_put(g_env, mfn); }
bool keel_page_owner_drop(Mfn mfn) { return keel_page_owner_drop(g_env, mfn); }

Result<Mfn> p2m_get_ram_page(Domain& d, uint64_t gfn) { return p2m_get_ram_page(d.p2m, g_env, gfn); }

Result<void> p2m_map_foreign(Domain& d, uint64_t gfn, Mfn mfn) { return p2m_map_foreign(d.p2m, g_env, gfn, mfn); }

}  // namespace keel
