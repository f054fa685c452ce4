// SPDX-License-Identifier: MIT
//
// arch/arm64/vcpu/fpsimd.S
// Owns saving and restoring a guest's FP/SIMD registers (Q0-Q31, FPCR, FPSR)
// into / from an FpState (vcpu_context.hpp: q[] at 0, fpcr at 512, fpsr at 520).
// keel's C++ is built -mgeneral-regs-only, so these registers hold guest values
// whenever keel runs; CPTR_EL2.TFP = 0 (head.S) lets EL2 and the guest use them.

    .text
    .balign 4

// void keel_fpsimd_save(FpState* x0)
    .global keel_fpsimd_save
    .type keel_fpsimd_save, %function
keel_fpsimd_save:
    stp     q0, q1, [x0, #0 * 32]
    stp     q2, q3, [x0, #1 * 32]
    stp     q4, q5, [x0, #2 * 32]
    stp     q6, q7, [x0, #3 * 32]
    stp     q8, q9, [x0, #4 * 32]
    stp     q10, q11, [x0, #5 * 32]
    stp     q12, q13, [x0, #6 * 32]
    stp     q14, q15, [x0, #7 * 32]
    stp     q16, q17, [x0, #8 * 32]
    stp     q18, q19, [x0, #9 * 32]
    stp     q20, q21, [x0, #10 * 32]
    stp     q22, q23, [x0, #11 * 32]
    stp     q24, q25, [x0, #12 * 32]
    stp     q26, q27, [x0, #13 * 32]
    stp     q28, q29, [x0, #14 * 32]
    stp     q30, q31, [x0, #15 * 32]
    mrs     x1, fpcr
    mrs     x2, fpsr
    add     x3, x0, #512                // past ldp/stp's immediate range
    stp     x1, x2, [x3]
    ret
    .size keel_fpsimd_save, . - keel_fpsimd_save

// void keel_fpsimd_restore(const FpState* x0)
    .global keel_fpsimd_restore
    .type keel_fpsimd_restore, %function
keel_fpsimd_restore:
    ldp     q0, q1, [x0, #0 * 32]
    ldp     q2, q3, [x0, #1 * 32]
    ldp     q4, q5, [x0, #2 * 32]
    ldp     q6, q7, [x0, #3 * 32]
    ldp     q8, q9, [x0, #4 * 32]
    ldp     q10, q11, [x0, #5 * 32]
    ldp     q12, q13, [x0, #6 * 32]
    ldp     q14, q15, [x0, #7 * 32]
    ldp     q16, q17, [x0, #8 * 32]
    ldp     q18, q19, [x0, #9 * 32]
    ldp     q20, q21, [x0, #10 * 32]
    ldp     q22, q23, [x0, #11 * 32]
    ldp     q24, q25, [x0, #12 * 32]
    ldp     q26, q27, [x0, #13 * 32]
    ldp     q28, q29, [x0, #14 * 32]
    ldp     q30, q31, [x0, #15 * 32]
    add     x3, x0, #512
    ldp     x1, x2, [x3]
    msr     fpcr, x1
    msr     fpsr, x2
    ret
    .size keel_fpsimd_restore, . - keel_fpsimd_restore
