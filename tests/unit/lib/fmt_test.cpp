// SPDX-License-Identifier: MIT
//
// tests/unit/lib/fmt_test.cpp
// Checks keel's formatter: integers, hex, padding, strings, addresses.
#include "lib/fmt.hpp"

#include <gtest/gtest.h>

namespace keel {
namespace {

template <typename... Args>
std::string fmt(const char* f, const Args&... args)
{
    char storage[128];
    FmtBuffer b{storage, sizeof storage};
    format_to(b, f, args...);
    return b.c_str();
}

TEST(Fmt, Integers)
{
    EXPECT_EQ(fmt("{} {} {}", 0, -42, 18446744073709551615ull), "0 -42 18446744073709551615");
    EXPECT_EQ(fmt("{:x} {:#x} {:08x} {:#010x}", 255u, 255u, 0xabcu, 0x1234u),
              "ff 0xff 00000abc 0x00001234");
    EXPECT_EQ(fmt("[{:5}] [{:<5}]", 42, 42), "[   42] [42   ]");
}

TEST(Fmt, StringsCharsBools)
{
    EXPECT_EQ(fmt("{} {} {}", "abc", 'x', true), "abc x true");
    EXPECT_EQ(fmt("{{}} {}", static_cast<const char*>(nullptr)), "{} (null)");
    EXPECT_EQ(fmt("{} {}", 1), "1 {?}");
}

TEST(Fmt, Addresses)
{
    EXPECT_EQ(fmt("{}", PhysAddr{0x40000000}), "0x40000000");
    EXPECT_EQ(fmt("{:#x}", Mfn{0x40000}), "0x40000");
}

TEST(Fmt, TruncatesWithoutOverflow)
{
    char storage[8];
    FmtBuffer b{storage, sizeof storage};
    format_to(b, "{}", "0123456789");
    EXPECT_STREQ(b.c_str(), "0123456");
}

}  // namespace
}  // namespace keel
