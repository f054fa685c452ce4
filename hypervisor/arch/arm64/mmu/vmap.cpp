// SPDX-License-Identifier: MIT
//
// arch/arm64/mmu/vmap.cpp
// Owns the vmap window's slot bitmap and descriptors (see vmap.hpp).
//
// Ordering: a new descriptor replaces an invalid one (never cached by a TLB),
// so the store is followed only by DSB ISHST (visible to every CPU's walker)
// and ISB; another CPU reaches the VA only after being handed the pointer,
// which orders after that. Unmapping stores 0 and invalidates the VA on every
// CPU before the slot can be handed out again.
#include "arch/arm64/mmu/vmap.hpp"

#include "arch/arm64/hw/barrier.hpp"
#include "arch/arm64/hw/mmu.hpp"
#include "arch/arm64/hw/spinlock.hpp"
#include "arch/arm64/mmu/el2_map.hpp"
#include "core/memory/boot_memory.hpp"
#include "lib/check.hpp"

namespace keel::arm64 {
namespace {

constexpr size_t kPagesPerTable = 512;
constexpr size_t kTables = kVmapPages / kPagesPerTable;
constexpr size_t kWords = kVmapPages / 64;
static_assert(kVmapPages % kPagesPerTable == 0);
static_assert(kVmapBase.raw() >= kTransientBase.raw() + kTransientSlots * kPageSize);
static_assert(kVmapBase.aligned(kPageSize * kPagesPerTable));

struct Vmap {
    SpinLock lock;
    uint64_t used[kWords] = {};
    uint64_t* l3[kTables] = {};  // level-3 table of slots [512 i, 512 i + 512), once created
    size_t count = 0;
};
constinit Vmap g_vmap;

VirtAddr slot_va(size_t slot) { return kVmapBase + slot * kPageSize; }

// The descriptor of `slot`; creates its level-3 table on first use. Lock held.
Result<uint64_t*> descriptor(size_t slot)
{
    const size_t t = slot / kPagesPerTable;
    if (g_vmap.l3[t] == nullptr) {
        // page_slot returns the entry of the table's first page: the table's base.
        g_vmap.l3[t] = KEEL_TRY(memory().stage1().page_slot(slot_va(t * kPagesPerTable)));
    }
    return g_vmap.l3[t] + slot % kPagesPerTable;
}

}  // namespace

Result<VirtAddr> vmap_page(PhysAddr pa)
{
    KEEL_CHECK(pa.aligned(kPageSize));
    LockGuard guard{g_vmap.lock};
    for (size_t w = 0; w < kWords; ++w) {
        if (g_vmap.used[w] == ~uint64_t{0}) continue;
        const size_t bit = static_cast<size_t>(__builtin_ctzll(~g_vmap.used[w]));
        const size_t slot = w * 64 + bit;
        uint64_t* entry = KEEL_TRY(descriptor(slot));
        KEEL_CHECK(__atomic_load_n(entry, __ATOMIC_RELAXED) == 0);
        __atomic_store_n(entry, Stage1Table::page_descriptor(pa, kTransientAttrs),
                         __ATOMIC_RELAXED);
        dsb_ishst();
        isb();
        g_vmap.used[w] |= uint64_t{1} << bit;
        ++g_vmap.count;
        return slot_va(slot);
    }
    return Errno::NoSpc;
}

void vunmap_page(VirtAddr va)
{
    KEEL_CHECK(va >= kVmapBase && va.aligned(kPageSize));
    const size_t slot = static_cast<size_t>((va - kVmapBase) >> kPageShift);
    KEEL_CHECK(slot < kVmapPages);
    LockGuard guard{g_vmap.lock};
    const uint64_t bit = uint64_t{1} << (slot % 64);
    KEEL_CHECK((g_vmap.used[slot / 64] & bit) != 0);
    uint64_t* entry = g_vmap.l3[slot / kPagesPerTable];
    __atomic_store_n(entry + slot % kPagesPerTable, uint64_t{0}, __ATOMIC_RELAXED);
    tlb_flush_va_all(va);
    g_vmap.used[slot / 64] &= ~bit;
    --g_vmap.count;
}

size_t vmap_used()
{
    LockGuard guard{g_vmap.lock};
    return g_vmap.count;
}

}  // namespace keel::arm64
