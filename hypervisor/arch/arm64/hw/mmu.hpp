// SPDX-License-Identifier: MIT
//
// arch/arm64/hw/mmu.hpp
// Owns the instructions behind keel's own (EL2 stage-1) translation: turning the
// MMU on, EL2 TLB invalidation with its barriers, address-translation probes
// (AT S1E2R/W, read back through PAR_EL1), and data-cache invalidation by range.
// What to map and with which attributes is arch/arm64/mmu/'s business.
#pragma once
#include <cstdint>

#include "arch/arm64/hw/barrier.hpp"
#include "arch/arm64/hw/sysreg.hpp"
#include "lib/addr.hpp"

namespace keel::arm64 {

// The four registers that define keel's translation; what secondaries load too.
struct MmuControls {
    uint64_t mair;
    uint64_t tcr;
    uint64_t ttbr0;
    uint64_t sctlr;
};

// Turns the EL2 MMU and caches on (Arm ARM, "Enabling and disabling the MMU"):
// no stale translation may survive, the translation registers must be in place
// (isb) before SCTLR_EL2.M is set, and the isb after it makes the next
// instruction fetch translated. Runs identity-mapped, so the PC stays valid.
inline void mmu_enable(const MmuControls& c)
{
    dsb_ish();      // page-table stores complete before the walker may read them
    tlbi_alle2();
    dsb_ish();
    isb();
    MairEl2::write(c.mair);
    TcrEl2::write(c.tcr);
    Ttbr0El2::write(c.ttbr0);
    isb();
    SctlrEl2::write(c.sctlr);
    isb();
    // Instructions fetched while the I-cache was off may be stale in it.
    asm volatile("ic iallu\n\tdsb nsh\n\tisb" ::: "memory");
}

// This CPU only: forget the EL2 translation of one page. The dsb before makes the
// descriptor store visible to this CPU's walker; the one after completes the TLBI.
inline void tlb_flush_va_local(VirtAddr va)
{
    asm volatile("dsb nshst\n\ttlbi vae2, %0\n\tdsb nsh\n\tisb" ::"r"(va.raw() >> kPageShift)
                 : "memory");
}

// Every CPU in the inner-shareable domain: forget the EL2 translation of one page.
inline void tlb_flush_va_all(VirtAddr va)
{
    asm volatile("dsb ishst\n\ttlbi vae2is, %0\n\tdsb ish\n\tisb" ::"r"(va.raw() >> kPageShift)
                 : "memory");
}

// Every CPU: forget all EL2 translations.
inline void tlb_flush_all()
{
    asm volatile("dsb ishst\n\ttlbi alle2is\n\tdsb ish\n\tisb" ::: "memory");
}

// Stage-1 EL2 translation of `va` for a read / a write; returns PAR_EL1
// (arch/arm64/regs/el2_mmu.hpp, Par). The isb orders the AT before the read.
inline uint64_t at_s1e2r(VirtAddr va)
{
    asm volatile("at s1e2r, %0\n\tisb" ::"r"(va.raw()) : "memory");
    return ParEl1::read();
}
inline uint64_t at_s1e2w(VirtAddr va)
{
    asm volatile("at s1e2w, %0\n\tisb" ::"r"(va.raw()) : "memory");
    return ParEl1::read();
}

// Stage-1 EL1&0 translation of a guest virtual address `va` for a read / a
// write, with the EL1 translation registers of the vCPU loaded on this CPU
// (its stage-1 table walks go through its stage 2). PAR_EL1 then holds the
// IPA (Par::Pa) or the fault (Par::F). PAR_EL1 is the guest's register too:
// the caller saves and restores it around these. AT S1E1R/W ignore PSTATE.PAN.
inline uint64_t at_s1e1r(uint64_t va)
{
    asm volatile("at s1e1r, %0\n\tisb" ::"r"(va) : "memory");
    return ParEl1::read();
}
inline uint64_t at_s1e1w(uint64_t va)
{
    asm volatile("at s1e1w, %0\n\tisb" ::"r"(va) : "memory");
    return ParEl1::read();
}

// The write probe through both stages (the read one is hw/stage2_ops.hpp's
// at_s12e1r): PAR_EL1 holds the host PA or the fault. Same PAR_EL1 caveat.
inline uint64_t at_s12e1w(uint64_t va)
{
    asm volatile("at s12e1w, %0\n\tisb" ::"r"(va) : "memory");
    return ParEl1::read();
}

// Invalidates (without writing back) the data-cache lines of [start, start+size):
// drops any stale line a previous boot stage left for memory keel wrote with the
// caches off. Only for memory that holds no dirty line worth keeping.
inline void dcache_invalidate_range(uint64_t start, uint64_t size)
{
    const uint64_t line = uint64_t{4} << ((CtrEl0::read() >> 16) & 0xf);  // CTR_EL0.DminLine
    for (uint64_t p = start & ~(line - 1); p < start + size; p += line)
        asm volatile("dc ivac, %0" ::"r"(p) : "memory");
    dsb_sy();
}

}  // namespace keel::arm64
