// SPDX-License-Identifier: MIT
//
// tests/unit/core/hypercall/console_line_test.cpp
// CONSOLEIO_write line assembly (Xen 4.17 guest_console_write for a domU).
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "core/hypercall/console_line.hpp"

namespace keel {
namespace {

void collect(void* ctx, const char* line) { static_cast<std::vector<std::string>*>(ctx)->push_back(line); }

TEST(ConsoleLine, HoldsUntilNewline)
{
    ConsoleLine l;
    std::vector<std::string> out;
    console_line_feed(l, "hel", 3, collect, &out);
    EXPECT_TRUE(out.empty());
    console_line_feed(l, "lo\nwor", 6, collect, &out);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0], "hello");
    console_line_feed(l, "ld\n\n", 4, collect, &out);
    ASSERT_EQ(out.size(), 3u);
    EXPECT_EQ(out[1], "world");
    EXPECT_EQ(out[2], "");
}

TEST(ConsoleLine, DropsNonPrintable)
{
    ConsoleLine l;
    std::vector<std::string> out;
    const char in[] = "a\rb\x1b[1mc\td\x7f\n";
    console_line_feed(l, in, sizeof in - 1, collect, &out);
    ASSERT_EQ(out.size(), 1u);
    EXPECT_EQ(out[0], "ab[1mc\td");
}

TEST(ConsoleLine, BreaksLongLines)
{
    ConsoleLine l;
    std::vector<std::string> out;
    const std::string big(450, 'x');
    console_line_feed(l, big.data(), big.size(), collect, &out);
    ASSERT_EQ(out.size(), 2u);
    EXPECT_EQ(out[0].size(), kConsoleLineMax - 1);
    EXPECT_EQ(l.len, 450 - 2 * (kConsoleLineMax - 1));
}

}  // namespace
}  // namespace keel
