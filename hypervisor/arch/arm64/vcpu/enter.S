// SPDX-License-Identifier: MIT
//
// arch/arm64/vcpu/enter.S
// Owns the first entry of a CPU into a guest: it abandons whatever keel had on
// this CPU's stack, copies the vCPU's saved TrapFrame to the top of the stack
// (where vectors.S puts the frame of every exception taken from a guest) and
// joins vectors.S's restore path, which loads the registers and erets.

#define FRAME_SIZE (36 * 8)     /* sizeof(TrapFrame), trap_frame.hpp */

    .text
    .balign 4

// [[noreturn]] void keel_enter_guest(const TrapFrame* x0, uint64_t stack_top x1)
// Interrupts are masked (they stay so until the eret). x0 must not point into
// this CPU's stack: the copy overwrites it.
    .global keel_enter_guest
    .type keel_enter_guest, %function
keel_enter_guest:
    sub     sp, x1, #FRAME_SIZE
    mov     x2, sp
    mov     x3, #(FRAME_SIZE / 16)
1:  ldp     x4, x5, [x0], #16
    stp     x4, x5, [x2], #16
    subs    x3, x3, #1
    b.ne    1b
    mov     x29, xzr
    b       keel_exception_return
    .size keel_enter_guest, . - keel_enter_guest
