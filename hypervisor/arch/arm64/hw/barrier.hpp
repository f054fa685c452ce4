// SPDX-License-Identifier: MIT
//
// arch/arm64/hw/barrier.hpp
// Owns the memory barriers, TLB and cache maintenance instructions and the few
// one-instruction CPU controls (wfi, wfe, sev, interrupt masking).
#pragma once
#include <cstdint>

namespace keel::arm64 {

inline void dsb_sy() { asm volatile("dsb sy" ::: "memory"); }
inline void dsb_ish() { asm volatile("dsb ish" ::: "memory"); }
inline void dsb_ishst() { asm volatile("dsb ishst" ::: "memory"); }
inline void dmb_ish() { asm volatile("dmb ish" ::: "memory"); }
inline void isb() { asm volatile("isb" ::: "memory"); }
inline void wfi() { asm volatile("wfi" ::: "memory"); }
inline void wfe() { asm volatile("wfe" ::: "memory"); }
inline void sev() { asm volatile("sev" ::: "memory"); }

inline void irq_enable() { asm volatile("msr daifclr, #2" ::: "memory"); }
inline void irq_disable() { asm volatile("msr daifset, #2" ::: "memory"); }

// Invalidate all EL2 stage-1 TLB entries on this CPU (Arm ARM, TLBI ALLE2).
inline void tlbi_alle2()
{
    asm volatile("tlbi alle2" ::: "memory");
}
// Invalidate EL2 entries for one VA on every CPU in the inner-shareable domain.
inline void tlbi_vae2is(uint64_t va)
{
    asm volatile("tlbi vae2is, %0" ::"r"(va >> 12) : "memory");
}
inline void tlbi_vae2(uint64_t va)
{
    asm volatile("tlbi vae2, %0" ::"r"(va >> 12) : "memory");
}
inline void ic_iallu() { asm volatile("ic iallu" ::: "memory"); }

inline void dc_civac(const void* p) { asm volatile("dc civac, %0" ::"r"(p) : "memory"); }
inline void dc_cvac(const void* p) { asm volatile("dc cvac, %0" ::"r"(p) : "memory"); }

// Clean (and invalidate) a byte range to the point of coherency, line by line.
void dcache_clean_inval_range(const void* start, uint64_t size);

// Zeroes one 4 KiB page (page aligned, Normal memory) with DC ZVA when the CPU
// permits it (DCZID_EL0.DZP == 0), else with 64-bit stores.
void zero_page(void* page);

// Zeroes one 4 KiB page and cleans it to the point of coherency, for memory a
// guest may read with its caches off: one pass, each DC ZVA block followed by
// DC CIVAC of the same line when the two sizes agree (else zero_page, then
// dcache_clean_inval_range). Ends with a DSB.
void zero_page_to_poc(void* page);

}  // namespace keel::arm64
