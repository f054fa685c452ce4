// SPDX-License-Identifier: MIT
//
// guests/hostile/insns.S
// Owns the instructions the hostile guest aims at keel that C++ cannot spell:
// loads/stores of every size and pairs (pairs have no ISS syndrome), a call to
// an arbitrary address (instruction aborts), HVC/SMC with immediates other than
// Xen's, DC set/way operations, a table of trapped system-register accesses,
// and the I-cache synchronisation for instructions written at run time.
// Every routine is a leaf called from C (AAPCS64: x0-x3 in, x0 out).

    .text
    .macro LEAF name
    .global \name
    .type \name, %function
    .balign 4
\name:
    .endm

LEAF hostile_ld8
    ldrb    w0, [x0]
    ret
LEAF hostile_ld16
    ldrh    w0, [x0]
    ret
LEAF hostile_ld32
    ldr     w0, [x0]
    ret
LEAF hostile_ld64
    ldr     x0, [x0]
    ret
LEAF hostile_st8
    strb    w1, [x0]
    ret
LEAF hostile_st16
    strh    w1, [x0]
    ret
LEAF hostile_st32
    str     w1, [x0]
    ret
LEAF hostile_st64
    str     x1, [x0]
    ret
LEAF hostile_ldp
    ldp     x2, x3, [x0]
    mov     x0, x2
    ret
LEAF hostile_stp
    stp     x1, x1, [x0]
    ret
LEAF hostile_ld_post           // writeback: ISV = 0 as well
    ldr     x2, [x0], #8
    mov     x0, x2
    ret

// x0 = target: branch there with a link; an instruction abort resumes at the link.
LEAF hostile_call
    stp     x29, x30, [sp, #-16]!
    blr     x0
    ldp     x29, x30, [sp], #16
    ret

// HVC/SMC with other immediates: x0-x3 in, x0 out.
    .macro CONDUIT name, insn
LEAF \name
    \insn
    ret
    .endm
    CONDUIT hostile_hvc0, "hvc #0"
    CONDUIT hostile_hvc1, "hvc #1"
    CONDUIT hostile_hvc_ea0, "hvc #0xea0"
    CONDUIT hostile_hvc_ea2, "hvc #0xea2"
    CONDUIT hostile_hvc_ffff, "hvc #0xffff"
    CONDUIT hostile_smc0, "smc #0"
    CONDUIT hostile_smc1, "smc #1"
    CONDUIT hostile_smc_ffff, "smc #0xffff"

LEAF hostile_dc_isw
    dc      isw, x0
    ret
LEAF hostile_dc_csw
    dc      csw, x0
    ret
LEAF hostile_dc_cisw
    dc      cisw, x0
    ret

// Trapped or trappable system registers: reads (x0 out) and writes (x0 in).
    .macro RD name, reg
LEAF hostile_rd_\name
    mrs     x0, \reg
    ret
    .endm
    .macro WR name, reg
LEAF hostile_wr_\name
    msr     \reg, x0
    ret
    .endm
    .macro RW name, reg
    RD \name, \reg
    WR \name, \reg
    .endm
    RW impdef_0_c15_c0_0, S3_0_C15_C0_0
    RW impdef_1_c15_c2_0, S3_1_C15_C2_0      // Cortex-A57 CPUACTLR_EL1
    RW impdef_1_c15_c2_1, S3_1_C15_C2_1      // CPUECTLR_EL1
    RW impdef_1_c11_c0_2, S3_1_C11_C0_2      // L2CTLR_EL1
    RW impdef_1_c11_c0_3, S3_1_C11_C0_3      // L2ECTLR_EL1
    RW impdef_7_c15_c7_7, S3_7_C15_C7_7
    RW impdef_4_c15_c0_0, S3_4_C15_C0_0
    RW actlr_el1, ACTLR_EL1
    RW pmcr_el0, PMCR_EL0
    RW pmccntr_el0, PMCCNTR_EL0
    RW pmcntenset_el0, PMCNTENSET_EL0
    RW pmuserenr_el0, PMUSERENR_EL0
    RW pmselr_el0, PMSELR_EL0
    RW pmxevtyper_el0, PMXEVTYPER_EL0
    RW pmovsclr_el0, PMOVSCLR_EL0
    RW pmintenclr_el1, PMINTENCLR_EL1
    RW mdccint_el1, MDCCINT_EL1
    RW dbgbvr0_el1, DBGBVR0_EL1
    RW dbgbcr0_el1, DBGBCR0_EL1
    RW dbgwvr0_el1, DBGWVR0_EL1
    RW dbgwcr0_el1, DBGWCR0_EL1
    RW dbgclaimset_el1, DBGCLAIMSET_EL1
    RW osdlr_el1, OSDLR_EL1
    RW oseccr_el1, OSECCR_EL1
    RW cntp_ctl_el0, CNTP_CTL_EL0
    RW cntp_cval_el0, CNTP_CVAL_EL0
    RW cntp_tval_el0, CNTP_TVAL_EL0
    RW icc_sgi1r_el1, S3_0_C12_C11_5
    RW icc_asgi1r_el1, S3_0_C12_C11_6
    RW icc_sgi0r_el1, S3_0_C12_C11_7
    RD mdccsr_el0, MDCCSR_EL0
    RD mdrar_el1, MDRAR_EL1
    RD oslsr_el1, OSLSR_EL1
    RD dbgauthstatus_el1, DBGAUTHSTATUS_EL1
    RD id_aa64dfr0_el1, ID_AA64DFR0_EL1
    RD id_aa64isar0_el1, ID_AA64ISAR0_EL1
    RD id_aa64mmfr0_el1, ID_AA64MMFR0_EL1
    RD id_aa64pfr0_el1, ID_AA64PFR0_EL1
    RD ccsidr_el1, CCSIDR_EL1
    RD clidr_el1, CLIDR_EL1
    RD ctr_el0, CTR_EL0
    RD pmceid0_el0, PMCEID0_EL0
    RD cntpct_el0, CNTPCT_EL0
    WR oslar_el1, OSLAR_EL1
    WR pmswinc_el0, PMSWINC_EL0
    WR csselr_el1, CSSELR_EL1

// After writing instructions at run time (the MMU is off: the stores went to memory).
LEAF hostile_sync_icache
    dsb     sy
    ic      iallu
    dsb     sy
    isb
    ret

// x0 = the new VBAR_EL1 (the crash mode: vectors nowhere).
LEAF hostile_set_vbar
    msr     vbar_el1, x0
    isb
    ret
