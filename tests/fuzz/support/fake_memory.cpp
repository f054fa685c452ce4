// SPDX-License-Identifier: MIT
//
// tests/fuzz/support/fake_memory.cpp
// Owns the host stand-ins for keel's memory manager (see fake_memory.hpp):
// memory(), MemoryManager::heap_ptr, free_*_frames, this CPU's transient
// slots, the vmap window and the two cache helpers of arch/arm64/hw/cache.cpp.
#include "tests/fuzz/support/fake_memory.hpp"

#include <sanitizer/asan_interface.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <unordered_map>
#include <vector>

#include "arch/arm64/hw/barrier.hpp"
#include "arch/arm64/mmu/vmap.hpp"
#include "core/memory/boot_memory.hpp"
#include "core/percpu.hpp"
#include "lib/check.hpp"

namespace keel {
namespace {

constexpr uint64_t kBankFrames = fuzz::kHeapFrames + fuzz::kDomainFrames;
constexpr uint64_t kBankAlign = uint64_t{4} << 20;  // 4 MiB: the pools' largest blocks are aligned

struct Bank {
    uint8_t* base = nullptr;
    std::vector<FrameInfo> frame_storage;
    bool transient[arm64::kTransientSlotsPerCpu] = {};
    std::unordered_map<uint64_t, uint32_t> vmaps;  // mfn → live vmap_page mappings
    uint64_t vmap_total = 0;
};

Bank& bank()
{
    static Bank b;
    return b;
}

MemoryManager& manager()
{
    static MemoryManager m;
    return m;
}

PhysAddr bank_pa(uint64_t frame) { return PhysAddr{reinterpret_cast<uint64_t>(bank().base) + frame * kPageSize}; }

bool in_bank(PhysAddr pa)
{
    const uint64_t base = reinterpret_cast<uint64_t>(bank().base);
    return pa.raw() >= base && pa.raw() < base + kBankFrames * kPageSize;
}

}  // namespace

namespace fuzz {

void fake_memory_init()
{
    static bool done = false;
    percpu_attach(0);
    if (done) return;
    done = true;
    Bank& b = bank();
    b.base = static_cast<uint8_t*>(std::aligned_alloc(kBankAlign, kBankFrames * kPageSize));
    KEEL_CHECK(b.base != nullptr);
    std::memset(b.base, 0, kBankFrames * kPageSize);
    const PhysRange range{bank_pa(0), kBankFrames * kPageSize};
    b.frame_storage.resize(FrameTable::frames_needed({&range, 1}));
    MemoryManager& m = manager();
    m.frames().init({&range, 1}, b.frame_storage.data(), b.frame_storage.size());
    m.heap().unlocked().init(m.frames(), kHeapPoolId);
    m.heap().unlocked().add_free(Mfn::of(bank_pa(0)), kHeapFrames);
    m.domain().unlocked().init(m.frames(), kDomainPoolId);
    m.domain().unlocked().add_free(Mfn::of(bank_pa(kHeapFrames)), kDomainFrames);
    poison_frames(Mfn::of(bank_pa(kHeapFrames)), kDomainFrames);
}

Mfn bank_first() { return Mfn::of(bank_pa(0)); }
uint64_t bank_frames() { return kBankFrames; }
bool in_domain_pool(Mfn m)
{
    const Mfn first = Mfn::of(bank_pa(kHeapFrames));
    return m.raw() >= first.raw() && m.raw() < first.raw() + kDomainFrames;
}

uint32_t vmap_count(Mfn m)
{
    const auto it = bank().vmaps.find(m.raw());
    return it == bank().vmaps.end() ? 0 : it->second;
}
uint64_t vmap_live() { return bank().vmap_total; }
unsigned transient_live()
{
    unsigned n = 0;
    for (bool used : bank().transient) n += used;
    return n;
}

void poison_frames(Mfn first, uint64_t count)
{
    ASAN_POISON_MEMORY_REGION(reinterpret_cast<void*>(first.addr().raw()), count * kPageSize);
}
void unpoison_frames(Mfn first, uint64_t count)
{
    ASAN_UNPOISON_MEMORY_REGION(reinterpret_cast<void*>(first.addr().raw()), count * kPageSize);
}

}  // namespace fuzz

MemoryManager& memory() { return manager(); }

void* MemoryManager::heap_ptr(PhysAddr pa) const
{
    KEEL_CHECK(in_bank(pa) && !fuzz::in_domain_pool(Mfn::of(pa)));
    return reinterpret_cast<void*>(pa.raw());
}

uint64_t free_domain_frames() { return manager().domain().free_frames(); }
uint64_t free_heap_frames() { return manager().heap().free_frames(); }
uint64_t total_ram_bytes() { return kBankFrames * kPageSize; }

// A transient slot maps the frame at its own address; the slot must be free
// (as on the target, where a second map of a busy slot would be a keel bug).
VirtAddr map_transient(PhysAddr frame, unsigned slot)
{
    KEEL_CHECK(slot < arm64::kTransientSlotsPerCpu && !bank().transient[slot]);
    KEEL_CHECK(in_bank(frame) && (frame.raw() & (kPageSize - 1)) == 0);
    bank().transient[slot] = true;
    return VirtAddr{frame.raw()};
}

void unmap_transient(unsigned slot)
{
    KEEL_CHECK(slot < arm64::kTransientSlotsPerCpu && bank().transient[slot]);
    bank().transient[slot] = false;
}

namespace arm64 {

Result<VirtAddr> vmap_page(PhysAddr pa)
{
    KEEL_CHECK(in_bank(pa) && (pa.raw() & (kPageSize - 1)) == 0);
    ++bank().vmaps[Mfn::of(pa).raw()];
    ++bank().vmap_total;
    return VirtAddr{pa.raw()};
}

void vunmap_page(VirtAddr va)
{
    const auto it = bank().vmaps.find(Mfn::of(PhysAddr{va.raw()}).raw());
    KEEL_CHECK(it != bank().vmaps.end() && it->second > 0);
    if (--it->second == 0) bank().vmaps.erase(it);
    --bank().vmap_total;
}

void dcache_clean_inval_range(const void* start, uint64_t size)
{
    // No cache to maintain; touch the range so ASan sees what keel would reach.
    const auto* p = static_cast<const volatile uint8_t*>(start);
    if (size != 0) {
        (void)p[0];
        (void)p[size - 1];
    }
}

void zero_page(void* page) { std::memset(page, 0, kPageSize); }

}  // namespace arm64
}  // namespace keel
