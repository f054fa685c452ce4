// SPDX-License-Identifier: MIT
//
// arch/arm64/hw/cache.cpp
// Owns data-cache maintenance by address range (line size from CTR_EL0.DminLine)
// and page zeroing with DC ZVA (block size from DCZID_EL0.BS).
#include <cstdint>

#include "arch/arm64/hw/barrier.hpp"

namespace keel::arm64 {

void dcache_clean_inval_range(const void* start, uint64_t size)
{
    uint64_t ctr;
    asm volatile("mrs %0, ctr_el0" : "=r"(ctr));
    const uint64_t line = uint64_t{4} << ((ctr >> 16) & 0xf);  // CTR_EL0.DminLine, in words
    uint64_t p = reinterpret_cast<uint64_t>(start) & ~(line - 1);
    const uint64_t end = reinterpret_cast<uint64_t>(start) + size;
    for (; p < end; p += line) dc_civac(reinterpret_cast<const void*>(p));
    dsb_sy();
}

void zero_page(void* page)
{
    uint64_t dczid;
    asm volatile("mrs %0, dczid_el0" : "=r"(dczid));
    if ((dczid & (1u << 4)) == 0) {  // DCZID_EL0.DZP clear: DC ZVA is permitted
        const uint64_t block = uint64_t{4} << (dczid & 0xf);  // DCZID_EL0.BS: log2 of words
        const auto base = reinterpret_cast<uint64_t>(page);
        for (uint64_t p = base; p < base + 4096; p += block) asm volatile("dc zva, %0" ::"r"(p) : "memory");
        return;
    }
    auto* w = static_cast<volatile uint64_t*>(page);
    for (unsigned i = 0; i < 4096 / 8; ++i) w[i] = 0;
}

}  // namespace keel::arm64
