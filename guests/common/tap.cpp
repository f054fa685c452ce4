// SPDX-License-Identifier: MIT
//
// guests/common/tap.cpp
// Owns the TAP counters and lines (see tap.hpp). Only one vCPU reports.
#include "tap.hpp"

#include <cstdarg>

#include "console.hpp"
#include "psci.hpp"

namespace guest::tap {
namespace {
constinit uint32_t g_count = 0;
constinit uint32_t g_failed = 0;
}  // namespace

bool ok(bool pass, const char* fmt, ...)
{
    ++g_count;
    if (!pass) ++g_failed;
    print("%sok %u - ", pass ? "" : "not ", g_count);
    va_list ap;
    va_start(ap, fmt);
    vprint(fmt, ap);
    va_end(ap);
    putc('\n');
    return pass;
}

void note(const char* fmt, ...)
{
    puts("# ");
    va_list ap;
    va_start(ap, fmt);
    vprint(fmt, ap);
    va_end(ap);
    putc('\n');
}

uint32_t count() { return g_count; }
uint32_t failed() { return g_failed; }

void done()
{
    print("1..%u\n", g_count);
    if (g_failed != 0) print("# %u of %u failed\n", g_failed, g_count);
    puts("# guest done\n");
    psci::system_off();
}

void bail(const char* fmt, ...)
{
    ++g_count;
    ++g_failed;
    print("not ok %u - ", g_count);
    va_list ap;
    va_start(ap, fmt);
    vprint(fmt, ap);
    va_end(ap);
    puts("\nBail out!\n");
    done();
}

}  // namespace guest::tap
