// SPDX-License-Identifier: MIT
//
// core/selftest/selftest.cpp
// Owns the self-test counters and the TAP-like output lines.
#include "core/selftest/selftest.hpp"

#include "core/console/log.hpp"

namespace keel::selftest {
namespace {
struct Counters {
    unsigned run = 0;
    unsigned failed = 0;
};
Counters g_counters;  // boot CPU only: self-tests run in sequence on CPU 0
}  // namespace

void report(bool ok, const char* name)
{
    ++g_counters.run;
    if (!ok) ++g_counters.failed;
    log("{}ok {} - {}\n", ok ? "" : "not ", g_counters.run, name);
}

void note(const char* text) { log("# {}\n", text); }

bool finish()
{
    log("1..{}\n", g_counters.run);
    log("# selftest: {} passed, {} failed\n", g_counters.run - g_counters.failed, g_counters.failed);
    return g_counters.failed == 0;
}

}  // namespace keel::selftest
