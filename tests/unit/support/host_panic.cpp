// SPDX-License-Identifier: MIT
//
// tests/unit/support/host_panic.cpp
// Owns keel::panic for the host unit tests: print the message and abort, so a
// broken invariant (KEEL_CHECK) fails the test, and GoogleTest death tests
// (EXPECT_DEATH) can observe it. The target's panic lives in arch/arm64/entry/.
#include <cstdio>
#include <cstdlib>

#include "lib/check.hpp"

namespace keel {

[[noreturn]] void panic(const char* file, int line, const char* what)
{
    std::fprintf(stderr, "keel: PANIC %s:%d: %s\n", file, line, what);
    std::fflush(stderr);
    std::abort();
}

}  // namespace keel
