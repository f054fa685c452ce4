// SPDX-License-Identifier: MIT
//
// guests/vcpu-smoke/start.S
// Owns the vcpu-smoke guest's entry points and exception vectors: an arm64
// Image header, vCPU 0's entry (x0 from keel: the DTB's IPA), the PSCI CPU_ON
// entry for other vCPUs (x0 = context id), per-vCPU stacks, FP enabled, and an
// EL1 vector table whose synchronous-exception entry calls smoke_sync(frame).

    .section .text.head, "ax"
    .global _head
_head:
    b       primary_entry
    .long   0
    .quad   0                       // text_offset
    .quad   __image_size
    .quad   0x2                     // LE, 4 KiB pages
    .quad   0, 0, 0
    .ascii  "ARM\x64"
    .long   0

primary_entry:
    bl      common_setup
    bl      smoke_main
1:  wfe
    b       1b

    .global smoke_secondary_entry
smoke_secondary_entry:
    bl      common_setup
    bl      smoke_secondary
1:  wfe
    b       1b

// Stack = smoke_stacks + (Aff0 + 1) * 4 KiB; VBAR_EL1; FP/SIMD on (CPACR_EL1.FPEN).
// Keeps x0.
common_setup:
    mrs     x9, mpidr_el1
    and     x9, x9, #0xf
    add     x9, x9, #1
    adrp    x10, smoke_stacks
    add     x10, x10, :lo12:smoke_stacks
    add     x10, x10, x9, lsl #12
    mov     sp, x10
    adrp    x10, smoke_vectors
    add     x10, x10, :lo12:smoke_vectors
    msr     vbar_el1, x10
    mov     x10, #(3 << 20)
    msr     cpacr_el1, x10
    isb
    ret

.macro unexpected n
    .balign 128
    mov     x0, #\n
    b       smoke_unexpected_entry
.endm

    .balign 2048
smoke_vectors:
    unexpected 0
    unexpected 1
    unexpected 2
    unexpected 3
    .balign 128                     // 0x200: current EL, SP_ELx, synchronous
    sub     sp, sp, #(32 * 8)
    stp     x0, x1, [sp, #0]
    stp     x2, x3, [sp, #16]
    stp     x4, x5, [sp, #32]
    stp     x6, x7, [sp, #48]
    stp     x8, x9, [sp, #64]
    stp     x10, x11, [sp, #80]
    stp     x12, x13, [sp, #96]
    stp     x14, x15, [sp, #112]
    stp     x16, x17, [sp, #128]
    stp     x18, x30, [sp, #144]
    b       sync_tail
    unexpected 5
    unexpected 6
    unexpected 7
    unexpected 8
    unexpected 9
    unexpected 10
    unexpected 11
    unexpected 12
    unexpected 13
    unexpected 14
    unexpected 15

sync_tail:
    mov     x0, sp
    bl      smoke_sync              // may change ELR_EL1
    ldp     x0, x1, [sp, #0]
    ldp     x2, x3, [sp, #16]
    ldp     x4, x5, [sp, #32]
    ldp     x6, x7, [sp, #48]
    ldp     x8, x9, [sp, #64]
    ldp     x10, x11, [sp, #80]
    ldp     x12, x13, [sp, #96]
    ldp     x14, x15, [sp, #112]
    ldp     x16, x17, [sp, #128]
    ldp     x18, x30, [sp, #144]
    add     sp, sp, #(32 * 8)
    eret

smoke_unexpected_entry:
    bl      smoke_unexpected
1:  wfe
    b       1b

    .bss
    .balign 4096
smoke_stacks:
    .space  4096 * 9
