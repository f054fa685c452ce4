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

// [vcpu] A guest vCPU's EL1/EL0 context (switched by arch/arm64/vcpu/context.cpp) and
// the EL2 registers that describe the virtual machine to the hardware.
KEEL_SYSREG(SctlrEl1, "sctlr_el1");
KEEL_SYSREG(ActlrEl1, "actlr_el1");
KEEL_SYSREG(CpacrEl1, "cpacr_el1");
KEEL_SYSREG(Ttbr0El1, "ttbr0_el1");
KEEL_SYSREG(Ttbr1El1, "ttbr1_el1");
KEEL_SYSREG(TcrEl1, "tcr_el1");
KEEL_SYSREG(EsrEl1, "esr_el1");
KEEL_SYSREG(Afsr0El1, "afsr0_el1");
KEEL_SYSREG(Afsr1El1, "afsr1_el1");
KEEL_SYSREG(FarEl1, "far_el1");
KEEL_SYSREG(MairEl1, "mair_el1");
KEEL_SYSREG(AmairEl1, "amair_el1");
KEEL_SYSREG(VbarEl1, "vbar_el1");
KEEL_SYSREG(ContextidrEl1, "contextidr_el1");
KEEL_SYSREG(TpidrEl0, "tpidr_el0");
KEEL_SYSREG(TpidrEl1, "tpidr_el1");
KEEL_SYSREG(TpidrroEl0, "tpidrro_el0");
KEEL_SYSREG(CntkctlEl1, "cntkctl_el1");
KEEL_SYSREG(SpEl0, "sp_el0");
KEEL_SYSREG(ElrEl1, "elr_el1");
KEEL_SYSREG(SpsrEl1, "spsr_el1");
KEEL_SYSREG(CsselrEl1, "csselr_el1");
KEEL_SYSREG(MdscrEl1, "mdscr_el1");
KEEL_SYSREG(VmpidrEl2, "vmpidr_el2");
KEEL_SYSREG(VpidrEl2, "vpidr_el2");
KEEL_SYSREG(VttbrEl2, "vttbr_el2");
KEEL_SYSREG(VtcrEl2, "vtcr_el2");    // [stage-2] stage-2 translation control
KEEL_SYSREG(IdAa64Mmfr1El1, "id_aa64mmfr1_el1");  // PAN support (FEAT_PAN)
KEEL_SYSREG(ZcrEl2, "S3_4_C1_C2_0");  // [sve] SVE vector length at EL2 (caps EL1/EL0's)
KEEL_SYSREG(ZcrEl1, "S3_0_C1_C2_0");  // [sve] the guest's SVE vector length control

// [vgic] GICv3 virtual CPU interface control (GICv3 spec, IHI 0069, ICH_*_EL2;
// op0=3 op1=4 CRn=12) and [vtimer] the EL1 virtual timer a guest owns while it runs.
KEEL_SYSREG(IchHcrEl2, "S3_4_C12_C11_0");
KEEL_SYSREG(IchVtrEl2, "S3_4_C12_C11_1");
KEEL_SYSREG(IchMisrEl2, "S3_4_C12_C11_2");
KEEL_SYSREG(IchElrsrEl2, "S3_4_C12_C11_5");
KEEL_SYSREG(IchVmcrEl2, "S3_4_C12_C11_7");
KEEL_SYSREG(IchAp0r0El2, "S3_4_C12_C8_0");
KEEL_SYSREG(IchAp0r1El2, "S3_4_C12_C8_1");
KEEL_SYSREG(IchAp0r2El2, "S3_4_C12_C8_2");
KEEL_SYSREG(IchAp0r3El2, "S3_4_C12_C8_3");
KEEL_SYSREG(IchAp1r0El2, "S3_4_C12_C9_0");
KEEL_SYSREG(IchAp1r1El2, "S3_4_C12_C9_1");
KEEL_SYSREG(IchAp1r2El2, "S3_4_C12_C9_2");
KEEL_SYSREG(IchAp1r3El2, "S3_4_C12_C9_3");
KEEL_SYSREG(IchLr0El2, "S3_4_C12_C12_0");  // ICH_LR<n>_EL2: CRm = 12 + n / 8, op2 = n % 8
KEEL_SYSREG(IchLr1El2, "S3_4_C12_C12_1");
KEEL_SYSREG(IchLr2El2, "S3_4_C12_C12_2");
KEEL_SYSREG(IchLr3El2, "S3_4_C12_C12_3");
KEEL_SYSREG(IchLr4El2, "S3_4_C12_C12_4");
KEEL_SYSREG(IchLr5El2, "S3_4_C12_C12_5");
KEEL_SYSREG(IchLr6El2, "S3_4_C12_C12_6");
KEEL_SYSREG(IchLr7El2, "S3_4_C12_C12_7");
KEEL_SYSREG(IchLr8El2, "S3_4_C12_C13_0");
KEEL_SYSREG(IchLr9El2, "S3_4_C12_C13_1");
KEEL_SYSREG(IchLr10El2, "S3_4_C12_C13_2");
KEEL_SYSREG(IchLr11El2, "S3_4_C12_C13_3");
KEEL_SYSREG(IchLr12El2, "S3_4_C12_C13_4");
KEEL_SYSREG(IchLr13El2, "S3_4_C12_C13_5");
KEEL_SYSREG(IchLr14El2, "S3_4_C12_C13_6");
KEEL_SYSREG(IchLr15El2, "S3_4_C12_C13_7");
KEEL_SYSREG(CntvCtlEl0, "cntv_ctl_el0");
KEEL_SYSREG(CntvCvalEl0, "cntv_cval_el0");

}  // namespace keel::arm64
