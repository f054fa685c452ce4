// SPDX-License-Identifier: MIT
//
// arch/arm64/hw/stage2_ops.hpp
// Owns the instructions behind guest (EL1&0, stage-1 + stage-2) TLB
// maintenance by VMID, the instruction-cache invalidation for code keel wrote
// into guest memory, and the stage-1+2 address-translation probe the on-target
// self-test uses. Which VMID and when is core/memory/p2m's business.
// Source: Arm ARM (DDI 0487), "TLBI VMALLS12E1IS", "TLBI IPAS2E1IS",
// "TLBI VMALLE1IS", "IC IALLUIS", "AT S12E1R", and "TLB maintenance requirements".
#pragma once
#include <cstdint>

#include "arch/arm64/hw/barrier.hpp"
#include "arch/arm64/hw/sysreg.hpp"
#include "lib/addr.hpp"

namespace keel::arm64 {

// Every CPU in the inner-shareable domain forgets the stage-1 and stage-2
// translations (and walk-cache entries) of the EL1&0 regime tagged with the
// VMID in this CPU's VTTBR_EL2.
inline void tlbi_vmalls12e1is() { asm volatile("tlbi vmalls12e1is" ::: "memory"); }
// Stage-2 translations of one IPA page (VMID from VTTBR_EL2); combined
// stage-1+2 entries need a TLBI VMALLE1IS afterwards.
inline void tlbi_ipas2e1is(GuestPhysAddr ipa)
{
    asm volatile("tlbi ipas2e1is, %0" ::"r"(ipa.raw() >> kPageShift) : "memory");
}
inline void tlbi_vmalle1is() { asm volatile("tlbi vmalle1is" ::: "memory"); }
// Every CPU in the inner-shareable domain: all instruction caches to the PoU.
inline void ic_ialluis() { asm volatile("ic ialluis" ::: "memory"); }

// Flushes every guest translation of the domain whose VTTBR_EL2 value is
// `vttbr`, on every CPU, and returns once that is complete. TLBI VMALLS12E1IS
// acts on the VMID in VTTBR_EL2, so the domain's value is loaded around it.
// Order:
//   1. write VTTBR_EL2, isb      — the TLBI must see the new VMID
//   2. dsb ishst                — earlier page-table stores are visible to every
//                                 walker before the TLBs are invalidated
//   3. tlbi vmalls12e1is, dsb ish — invalidate, and wait until every CPU did
//   4. restore VTTBR_EL2, isb   — this CPU's running vCPU (if any) keeps its VMID
// Interrupts are masked at EL2, so nothing runs between 1 and 4 on this CPU.
inline void flush_guest_tlb_vmid(uint64_t vttbr)
{
    const uint64_t saved = VttbrEl2::read();
    VttbrEl2::write(vttbr);
    isb();
    dsb_ishst();
    tlbi_vmalls12e1is();
    dsb_ish();
    VttbrEl2::write(saved);
    isb();
}

// Makes instructions keel wrote into guest memory (already cleaned to the PoC
// by the copy) visible to every CPU's instruction fetch.
inline void sync_guest_icache()
{
    dsb_ish();
    ic_ialluis();
    dsb_ish();
    isb();
}

// Stage 1 + stage 2 translation of EL1 address `va` for a read, with the EL1&0
// regime as currently loaded (VTTBR_EL2, VTCR_EL2, HCR_EL2.VM, SCTLR_EL1);
// returns PAR_EL1 (regs/el2_mmu.hpp, Par; bit 9 = a stage-2 fault). The isb
// orders the AT before the read.
inline uint64_t at_s12e1r(uint64_t va)
{
    asm volatile("at s12e1r, %0\n\tisb" ::"r"(va) : "memory");
    return ParEl1::read();
}

}  // namespace keel::arm64
