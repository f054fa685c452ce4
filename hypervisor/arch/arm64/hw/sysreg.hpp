// SPDX-License-Identifier: MIT
//
// arch/arm64/hw/sysreg.hpp
// Owns the typed accessors for AArch64 system registers (the only place that
// spells mrs/msr for them). Register layouts live in arch/arm64/regs/.
#pragma once
#include <cstdint>

#define KEEL_SYSREG(Name, spelling)                                          \
    struct Name {                                                            \
        static inline uint64_t read()                                        \
        {                                                                    \
            uint64_t v;                                                      \
            asm volatile("mrs %0, " spelling : "=r"(v));                     \
            return v;                                                        \
        }                                                                    \
        static inline void write(uint64_t v)                                 \
        {                                                                    \
            asm volatile("msr " spelling ", %0" ::"r"(v) : "memory");        \
        }                                                                    \
    }

namespace keel::arm64 {

KEEL_SYSREG(CurrentEl, "CurrentEL");
KEEL_SYSREG(MpidrEl1, "mpidr_el1");
KEEL_SYSREG(MidrEl1, "midr_el1");
KEEL_SYSREG(IdAa64Mmfr0El1, "id_aa64mmfr0_el1");
KEEL_SYSREG(IdAa64Pfr0El1, "id_aa64pfr0_el1");
KEEL_SYSREG(SctlrEl2, "sctlr_el2");
KEEL_SYSREG(TcrEl2, "tcr_el2");
KEEL_SYSREG(MairEl2, "mair_el2");
KEEL_SYSREG(Ttbr0El2, "ttbr0_el2");
KEEL_SYSREG(ParEl1, "par_el1");    // result of AT (address translation) instructions
KEEL_SYSREG(CtrEl0, "ctr_el0");    // cache line sizes
KEEL_SYSREG(VbarEl2, "vbar_el2");
KEEL_SYSREG(HcrEl2, "hcr_el2");
KEEL_SYSREG(CptrEl2, "cptr_el2");
KEEL_SYSREG(TpidrEl2, "tpidr_el2");
KEEL_SYSREG(EsrEl2, "esr_el2");
KEEL_SYSREG(FarEl2, "far_el2");
KEEL_SYSREG(ElrEl2, "elr_el2");
KEEL_SYSREG(SpsrEl2, "spsr_el2");
KEEL_SYSREG(HpfarEl2, "hpfar_el2");
KEEL_SYSREG(CnthctlEl2, "cnthctl_el2");
KEEL_SYSREG(CntvoffEl2, "cntvoff_el2");
KEEL_SYSREG(CntfrqEl0, "cntfrq_el0");
KEEL_SYSREG(CntpctEl0, "cntpct_el0");
KEEL_SYSREG(CnthpCtlEl2, "cnthp_ctl_el2");
KEEL_SYSREG(CnthpCvalEl2, "cnthp_cval_el2");
KEEL_SYSREG(Daif, "daif");
// GICv3 CPU interface (GICv3 spec, IHI 0069), encoded names so any assembler accepts them.
KEEL_SYSREG(IccSreEl2, "S3_4_C12_C9_5");
KEEL_SYSREG(IccSreEl1, "S3_0_C12_C12_5");
KEEL_SYSREG(IccCtlrEl1, "S3_0_C12_C12_4");
KEEL_SYSREG(IccPmrEl1, "S3_0_C4_C6_0");
KEEL_SYSREG(IccBpr1El1, "S3_0_C12_C12_3");
KEEL_SYSREG(IccIgrpen1El1, "S3_0_C12_C12_7");
KEEL_SYSREG(IccIar1El1, "S3_0_C12_C12_0");
KEEL_SYSREG(IccEoir1El1, "S3_0_C12_C12_1");
KEEL_SYSREG(IccDirEl1, "S3_0_C12_C11_1");
KEEL_SYSREG(IccSgi1rEl1, "S3_0_C12_C11_5");

}  // namespace keel::arm64
