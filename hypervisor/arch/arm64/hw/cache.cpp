// SPDX-License-Identifier: MIT
//
// arch/arm64/hw/cache.cpp
// Owns data-cache maintenance by address range (line size from CTR_EL0.DminLine).
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

}  // namespace keel::arm64
