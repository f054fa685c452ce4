// SPDX-License-Identifier: MIT
//
// arch/arm64/hw/cache.cpp
// Owns data-cache maintenance by address range (line size from CTR_EL0.DminLine)
// and page zeroing with DC ZVA (block size from DCZID_EL0.BS), alone or together
// with the clean a guest running with caches off needs.
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
    // Eight lines per step (a page is 64 lines of 64 bytes): the loop's own
    // instructions would otherwise cost more than the maintenance.
    for (; p < end && end - p >= 8 * line; p += 8 * line) {
#pragma GCC unroll 8
        for (unsigned i = 0; i < 8; ++i) dc_civac(reinterpret_cast<const void*>(p + i * line));
    }
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
        if (block == 64) {  // the usual size: eight blocks per step
            for (uint64_t p = base; p < base + 4096; p += 8 * 64) {
#pragma GCC unroll 8
                for (unsigned i = 0; i < 8; ++i) asm volatile("dc zva, %0" ::"r"(p + i * 64) : "memory");
            }
            return;
        }
        for (uint64_t p = base; p < base + 4096; p += block) asm volatile("dc zva, %0" ::"r"(p) : "memory");
        return;
    }
    auto* w = static_cast<volatile uint64_t*>(page);
    for (unsigned i = 0; i < 4096 / 8; ++i) w[i] = 0;
}

void zero_page_to_poc(void* page)
{
    uint64_t dczid, ctr;
    asm volatile("mrs %0, dczid_el0" : "=r"(dczid));
    asm volatile("mrs %0, ctr_el0" : "=r"(ctr));
    const uint64_t block = uint64_t{4} << (dczid & 0xf);
    const uint64_t line = uint64_t{4} << ((ctr >> 16) & 0xf);
    if ((dczid & (1u << 4)) != 0 || block != 64 || line != 64) {
        zero_page(page);
        dcache_clean_inval_range(page, 4096);
        return;
    }
    const auto base = reinterpret_cast<uint64_t>(page);
    for (uint64_t p = base; p < base + 4096; p += 4 * 64) {
#pragma GCC unroll 4
        for (unsigned i = 0; i < 4; ++i) {
            asm volatile("dc zva, %0" ::"r"(p + i * 64) : "memory");
            asm volatile("dc civac, %0" ::"r"(p + i * 64) : "memory");
        }
    }
    dsb_sy();
}

}  // namespace keel::arm64
