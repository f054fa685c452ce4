// SPDX-License-Identifier: MIT
//
// tests/scenarios/boot-stub/stub.S
// Owns a stand-in for a (buggy) bootloader: enter keel the way Linux's arm64
// boot protocol says (Documentation/arch/arm64/booting.rst: x0 = DTB physical
// address, x1..x3 = 0), but with a DTB QEMU itself would refuse to load with
// -dtb (bad magic, truncated). QEMU's generic loader places stub, keel and DTB
// in RAM and points CPU 0 at the stub; the CPU is at EL2 with the MMU off.
// Addresses are assembler defines: -DDTB_ADDR=... -DKEEL_ADDR=... The stub
// itself runs anywhere; not at 0x40000000 though: without -kernel, QEMU virt
// puts its own DTB at the base of RAM, [0x40000000, 0x40100000). Use 0x40100000.

#ifndef DTB_ADDR
#define DTB_ADDR 0x48000000
#endif
#ifndef KEEL_ADDR
#define KEEL_ADDR 0x40200000
#endif

    .text
    .global _start
_start:
    ldr     x0, =DTB_ADDR
    mov     x1, xzr
    mov     x2, xzr
    mov     x3, xzr
    ldr     x4, =KEEL_ADDR
    br      x4
    .ltorg
