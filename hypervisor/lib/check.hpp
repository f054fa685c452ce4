// SPDX-License-Identifier: MIT
//
// lib/check.hpp
// Owns KEEL_CHECK and panic(): the tool for keel's own broken invariants (never
// for anything a guest controls). The target build stops all CPUs; the host
// build (unit tests) aborts so GoogleTest death tests can observe it.
#pragma once

namespace keel {
[[noreturn]] void panic(const char* file, int line, const char* what);
}  // namespace keel

#define KEEL_CHECK(cond)                                          \
    do {                                                          \
        if (!(cond)) [[unlikely]]                                 \
            ::keel::panic(__FILE__, __LINE__, "check failed: " #cond); \
    } while (0)

#define KEEL_PANIC(msg) ::keel::panic(__FILE__, __LINE__, msg)
