// SPDX-License-Identifier: MIT
//
// guests/common/start.S
// Owns a test guest's entry: the arm64 Linux Image header (Linux
// Documentation/arch/arm64/booting.rst, "Call the kernel image") so keel's
// domain builder loads it like a kernel (text_offset 0: at the base of guest
// RAM, 0x40000000, where guest.ld links it), the primary vCPU's entry (x0 =
// device tree), the entry for vCPUs started with PSCI CPU_ON (x0 = context id
// = vCPU index), per-vCPU stacks, BSS clearing and the EL1 vector base.
// The guest runs at EL1 with its MMU and caches off.

#define STACK_SHIFT 14          // 16 KiB per vCPU
#define MAX_VCPUS 4

    .section .text.head, "ax"
    .global _head
_head:
    b       primary_entry       // code0
    .long   0                   // code1
    .quad   0                   // text_offset: load at the 2 MiB aligned base itself
    .quad   __image_size        // image_size: file + BSS + stacks (guest.ld)
    .quad   0x2                 // flags: little endian, 4 KiB pages, not relocatable
    .quad   0, 0, 0             // res2..res4
    .ascii  "ARM\x64"           // magic
    .long   0                   // res5

primary_entry:
    msr     daifset, #0xf
    mov     x19, x0             // device tree address
    mov     x0, #0
    bl      set_stack_and_vectors
    adrp    x0, __bss_start
    add     x0, x0, :lo12:__bss_start
    adrp    x1, __bss_end
    add     x1, x1, :lo12:__bss_end
1:  cmp     x0, x1
    b.hs    2f
    str     xzr, [x0], #8
    b       1b
2:  dsb     sy
    mov     x0, x19
    bl      guest_primary_main  // never returns
    b       park

    .global guest_secondary_entry
guest_secondary_entry:          // PSCI CPU_ON entry point; x0 = context id (vCPU index)
    msr     daifset, #0xf
    mov     x19, x0
    bl      set_stack_and_vectors
    mov     x0, x19
    bl      guest_secondary_main  // never returns
    b       park

// x0 = vCPU index: sp = top of its stack; VBAR_EL1 = vectors. Clobbers x0-x2.
set_stack_and_vectors:
    cmp     x0, #MAX_VCPUS
    b.hs    park
    adrp    x1, guest_stacks
    add     x1, x1, :lo12:guest_stacks
    add     x2, x0, #1
    add     x1, x1, x2, lsl #STACK_SHIFT
    mov     sp, x1
    adrp    x1, guest_vectors
    add     x1, x1, :lo12:guest_vectors
    msr     vbar_el1, x1
    isb
    ret

    .global park
park:
    wfi
    b       park

    .section .bss.stacks, "aw", %nobits
    .balign 4096
    .global guest_stacks
guest_stacks:
    .skip   MAX_VCPUS << STACK_SHIFT
