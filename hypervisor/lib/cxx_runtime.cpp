// SPDX-License-Identifier: MIT
//
// lib/cxx_runtime.cpp
// Owns the few symbols a freestanding C++ image needs from a runtime: the pure
// virtual handler and the guard against static destructors. Target build only.
#include "lib/check.hpp"

extern "C" {
void __cxa_pure_virtual() { KEEL_PANIC("pure virtual call"); }
void* __dso_handle = nullptr;
}
