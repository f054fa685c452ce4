// SPDX-License-Identifier: MIT
//
// arch/arm64/entry/vectors.S
// Owns the EL2 exception vector table: every entry saves a TrapFrame (layout in
// trap_frame.hpp) on the current stack, calls keel_exception(frame, kind) and
// restores the frame before eret (SP_EL1 too when it returns to a guest). What
// each kind means is exceptions.cpp's job. While a guest runs, keel's stack is
// empty, so a guest's frame always sits at the top of its CPU's stack.

#define FRAME_SIZE (36 * 8)

.macro save_frame kind
    sub     sp, sp, #FRAME_SIZE
    stp     x0, x1, [sp, #0 * 8]
    stp     x2, x3, [sp, #2 * 8]
    stp     x4, x5, [sp, #4 * 8]
    stp     x6, x7, [sp, #6 * 8]
    stp     x8, x9, [sp, #8 * 8]
    stp     x10, x11, [sp, #10 * 8]
    stp     x12, x13, [sp, #12 * 8]
    stp     x14, x15, [sp, #14 * 8]
    stp     x16, x17, [sp, #16 * 8]
    stp     x18, x19, [sp, #18 * 8]
    stp     x20, x21, [sp, #20 * 8]
    stp     x22, x23, [sp, #22 * 8]
    stp     x24, x25, [sp, #24 * 8]
    stp     x26, x27, [sp, #26 * 8]
    stp     x28, x29, [sp, #28 * 8]
    mov     x0, #\kind
    b       common_entry
.endm

    .section .text.vectors, "ax"
    .balign 2048
    .global keel_vectors
keel_vectors:
    .balign 128
    save_frame 0
    .balign 128
    save_frame 1
    .balign 128
    save_frame 2
    .balign 128
    save_frame 3
    .balign 128
    save_frame 4
    .balign 128
    save_frame 5
    .balign 128
    save_frame 6
    .balign 128
    save_frame 7
    .balign 128
    save_frame 8
    .balign 128
    save_frame 9
    .balign 128
    save_frame 10
    .balign 128
    save_frame 11
    .balign 128
    save_frame 12
    .balign 128
    save_frame 13
    .balign 128
    save_frame 14
    .balign 128
    save_frame 15

common_entry:
    // x0 = kind; x1..x29 already saved.
    mrs     x1, elr_el2
    mrs     x2, spsr_el2
    mrs     x3, esr_el2
    mrs     x4, far_el2
    str     x30, [sp, #30 * 8]
    stp     x1, x2, [sp, #32 * 8]
    stp     x3, x4, [sp, #34 * 8]
    // SP of the interrupted context: SP_EL1 for a lower EL, else ours before the frame.
    cmp     x0, #8
    b.lo    1f
    mrs     x5, sp_el1
    b       2f
1:  add     x5, sp, #FRAME_SIZE
2:  str     x5, [sp, #31 * 8]
    mov     x1, x0                      // kind
    mov     x0, sp                      // frame
    mov     x29, xzr                    // backtraces stop at the exception
    bl      keel_exception
    // Restore (the handler may have changed any of it, e.g. ELR on a trap, or
    // replaced the whole frame with another vCPU's). arch/arm64/vcpu/enter.S
    // joins here with a vCPU's frame at the top of the stack.
    .global keel_exception_return
keel_exception_return:
    ldp     x1, x2, [sp, #32 * 8]
    msr     elr_el2, x1
    msr     spsr_el2, x2
    // Returning to EL1/EL0 (SPSR_EL2.M[3:2] < 2): the guest's SP_EL1 from the
    // frame. Returning to EL2 (keel interrupted in its idle wait): SP_EL1
    // belongs to the loaded vCPU and stays as it is.
    ubfx    x3, x2, #2, #2
    cmp     x3, #2
    b.hs    3f
    ldr     x3, [sp, #31 * 8]
    msr     sp_el1, x3
3:
    ldp     x0, x1, [sp, #0 * 8]
    ldp     x2, x3, [sp, #2 * 8]
    ldp     x4, x5, [sp, #4 * 8]
    ldp     x6, x7, [sp, #6 * 8]
    ldp     x8, x9, [sp, #8 * 8]
    ldp     x10, x11, [sp, #10 * 8]
    ldp     x12, x13, [sp, #12 * 8]
    ldp     x14, x15, [sp, #14 * 8]
    ldp     x16, x17, [sp, #16 * 8]
    ldp     x18, x19, [sp, #18 * 8]
    ldp     x20, x21, [sp, #20 * 8]
    ldp     x22, x23, [sp, #22 * 8]
    ldp     x24, x25, [sp, #24 * 8]
    ldp     x26, x27, [sp, #26 * 8]
    ldp     x28, x29, [sp, #28 * 8]
    ldr     x30, [sp, #30 * 8]
    add     sp, sp, #FRAME_SIZE
    eret
