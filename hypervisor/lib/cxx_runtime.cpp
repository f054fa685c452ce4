// SPDX-License-Identifier: MIT
//
// lib/cxx_runtime.cpp
// Owns the few symbols a freestanding C++ image needs from a runtime: the pure
// virtual handler, the guard against static destructors, and the stack
// protector's guard word and failure handler (-fstack-protector-strong; head.S
// mixes the counter into the guard before the first C++ function runs).
// Target build only.
#include <cstdint>

#include "lib/check.hpp"

extern "C" {
void __cxa_pure_virtual() { KEEL_PANIC("pure virtual call"); }
void* __dso_handle = nullptr;

// In .data (not .bss, which head.S clears first): a non-zero value even before seeding.
uintptr_t __stack_chk_guard = 0x6b65656c'2d6361ffULL;

[[noreturn]] __attribute__((__optimize__("no-stack-protector"))) void __stack_chk_fail()
{
    KEEL_PANIC("stack protector: a stack frame was overwritten");
}
}
