// SPDX-License-Identifier: MIT
//
// arch/arm64/boot/head.S
// Owns keel's first instructions: the arm64 Linux "Image" header (so QEMU's
// -kernel, U-Boot's booti and friends load keel like a Linux kernel and enter it
// at EL2 with the DTB in x0), self-relocation (keel is position independent: it
// runs wherever the loader put it), BSS clearing, the boot stack, and the
// secondary-CPU entry that PSCI CPU_ON jumps to.
// Layout of the header: Linux Documentation/arch/arm64/booting.rst.

#define R_AARCH64_RELATIVE 1027
#define STACK_SHIFT 14          /* 16 KiB per CPU; must match kStackSize in boot/stack.hpp */

    .section .text.head, "ax"
    .global _start
_start:
    b       primary_entry               // code0
    .long   0                           // code1
    .quad   0                           // text_offset: any 2 MiB aligned base
    .long   __image_size_lo32           // image_size, BSS included (two absolute
    .long   __image_size_hi32           // halves: ABS32 needs no dynamic relocation)
    .quad   0x2                         // flags: little endian, 4 KiB pages, 2 MiB aligned near DRAM base
    .quad   0, 0, 0                     // reserved
    .ascii  "ARM\x64"                   // magic
    .long   0                           // no PE/COFF header

primary_entry:
    mov     x19, x0                     // x19 = DTB physical address (kept until C++)
    mrs     x0, CurrentEL
    cmp     x0, #(2 << 2)
    b.ne    park                        // keel needs EL2; nothing to print with yet

    msr     daifset, #0xf               // everything masked until keel is ready
    bl      keel_el2_reset_state

    // Apply R_AARCH64_RELATIVE relocations: *(offset + delta) = addend + delta.
    adr     x20, _start                 // load address
    movz    x0, #0x4020, lsl #16        // link address 0x40200000 (keel.ld asserts it)
    sub     x21, x20, x0                // delta
    adrp    x1, __rela_start
    add     x1, x1, :lo12:__rela_start
    adrp    x2, __rela_end
    add     x2, x2, :lo12:__rela_end
1:  cmp     x1, x2
    b.hs    2f
    ldp     x3, x4, [x1], #16           // r_offset, r_info
    ldr     x5, [x1], #8                // r_addend
    cmp     w4, #R_AARCH64_RELATIVE
    b.ne    1b
    add     x5, x5, x21
    str     x5, [x3, x21]
    b       1b
2:
    // Clear BSS.
    adrp    x1, __bss_start
    add     x1, x1, :lo12:__bss_start
    adrp    x2, __bss_end
    add     x2, x2, :lo12:__bss_end
3:  cmp     x1, x2
    b.hs    4f
    str     xzr, [x1], #8
    b       3b
4:
    // Seed the stack protector's guard (lib/cxx_runtime.cpp) before any C++ runs:
    // the boot-time counter, rotated, folded into the build-time value.
    adrp    x1, __stack_chk_guard
    ldr     x2, [x1, :lo12:__stack_chk_guard]
    mrs     x3, cntpct_el0
    eor     x2, x2, x3, ror #23
    eor     x2, x2, x20, lsl #7         // and where we were loaded
    str     x2, [x1, :lo12:__stack_chk_guard]
    mov     x0, #0                      // CPU index 0
    bl      set_stack_and_vectors
    mov     x0, x19                     // DTB
    mov     x1, x20                     // load address
    bl      keel_primary_main
    b       park

// Secondary CPUs: PSCI CPU_ON enters here at EL2, MMU off, x0 = our CPU index.
    .global keel_secondary_entry
keel_secondary_entry:
    msr     daifset, #0xf
    mov     x19, x0
    bl      keel_el2_reset_state
    mov     x0, x19
    bl      set_stack_and_vectors
    // Turn on the MMU with the tables and controls the primary CPU published.
    adrp    x1, g_secondary_mmu
    add     x1, x1, :lo12:g_secondary_mmu
    ldp     x2, x3, [x1]                // mair, tcr
    ldp     x4, x5, [x1, #16]           // ttbr0, sctlr
    msr     mair_el2, x2
    msr     tcr_el2, x3
    msr     ttbr0_el2, x4
    isb
    tlbi    alle2
    dsb     nsh
    isb
    msr     sctlr_el2, x5
    isb
    ic      iallu
    dsb     nsh
    isb
    mov     x0, x19
    bl      keel_secondary_main
    b       park

// x0 = CPU index. SP = top of that CPU's stack, VBAR_EL2 = keel's vectors.
set_stack_and_vectors:
    adrp    x1, g_cpu_stacks
    add     x1, x1, :lo12:g_cpu_stacks
    add     x0, x0, #1
    add     x1, x1, x0, lsl #STACK_SHIFT
    mov     sp, x1
    mov     x29, xzr                    // end of the frame-pointer chain
    adrp    x1, keel_vectors
    add     x1, x1, :lo12:keel_vectors
    msr     vbar_el2, x1
    isb
    ret

// Known EL2 state whatever the loader left: MMU and caches off, little endian,
// no guest (HCR_EL2 = RW only), FP/SIMD not trapped at EL2 (CPTR_EL2 RES1 bits).
keel_el2_reset_state:
    ldr     x0, =0x30c50830             // SCTLR_EL2 RES1 bits, M/C/I off
    msr     sctlr_el2, x0
    mov     x0, #(1 << 31)              // HCR_EL2.RW: EL1 is AArch64
    msr     hcr_el2, x0
    ldr     x0, =0x33ff                 // CPTR_EL2 RES1 bits, no traps
    msr     cptr_el2, x0
    msr     cntvoff_el2, xzr
    mov     x0, #3                      // CNTHCTL_EL2.EL1PCTEN | EL1PCEN
    msr     cnthctl_el2, x0
    isb
    ret

    .global park
park:
    msr     daifset, #0xf
5:  wfe
    b       5b

    .ltorg
