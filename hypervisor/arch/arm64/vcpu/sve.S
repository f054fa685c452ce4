// SPDX-License-Identifier: MIT
//
// arch/arm64/vcpu/sve.S
// Owns saving and restoring a guest's SVE registers at the current vector
// length (ZCR_EL2 set to its domain's): Z0-Z31 from `regs`, then P0-P15 and
// FFR; FPCR/FPSR into the FpState as fpsimd.S does (fpcr at 512, fpsr at 520).
// Z0-Z31 hold Q0-Q31 in their low 128 bits, so this replaces fpsimd.S for
// vCPUs of a domain with SVE. Needs CPTR_EL2.TZ = 0 (arch/arm64/vcpu/sve.cpp).

    .arch_extension sve
    .text
    .balign 4

// void keel_sve_save(uint8_t* regs x0, FpState* fp x1)
    .global keel_sve_save
    .type keel_sve_save, %function
keel_sve_save:
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    str     z\n, [x0, #\n, MUL VL]
    .endr
    addvl   x2, x0, #16                 // the predicates follow Z31 (x0 + 32 VL)
    addvl   x2, x2, #16
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
    str     p\n, [x2, #\n, MUL VL]
    .endr
    rdffr   p0.b
    str     p0, [x2, #16, MUL VL]
    ldr     p0, [x2, #0, MUL VL]
    mrs     x3, fpcr
    mrs     x4, fpsr
    add     x1, x1, #512
    stp     x3, x4, [x1]
    ret
    .size keel_sve_save, . - keel_sve_save

// void keel_sve_restore(const uint8_t* regs x0, const FpState* fp x1)
    .global keel_sve_restore
    .type keel_sve_restore, %function
keel_sve_restore:
    addvl   x2, x0, #16
    addvl   x2, x2, #16
    ldr     p0, [x2, #16, MUL VL]
    wrffr   p0.b
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
    ldr     p\n, [x2, #\n, MUL VL]
    .endr
    .irp n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
    ldr     z\n, [x0, #\n, MUL VL]
    .endr
    add     x1, x1, #512
    ldp     x3, x4, [x1]
    msr     fpcr, x3
    msr     fpsr, x4
    ret
    .size keel_sve_restore, . - keel_sve_restore

// uint64_t keel_sve_vl_bytes(): the current vector length in bytes (RDVL).
    .global keel_sve_vl_bytes
    .type keel_sve_vl_bytes, %function
keel_sve_vl_bytes:
    rdvl    x0, #1
    ret
    .size keel_sve_vl_bytes, . - keel_sve_vl_bytes
