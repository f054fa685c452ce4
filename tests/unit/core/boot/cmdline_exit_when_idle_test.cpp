// SPDX-License-Identifier: MIT
//
// tests/unit/core/boot/cmdline_exit_when_idle_test.cpp
// Checks keel.exit_when_idle: off by default, Xen's boolean spellings, "no-".
#include <gtest/gtest.h>

#include "core/boot/cmdline.hpp"

namespace keel {
namespace {

bool parsed(const char* text)
{
    BootOptions o;
    UnknownOptions u;
    parse_cmdline(text, o, u);
    EXPECT_TRUE(u.empty()) << text;
    return o.exit_when_idle;
}

TEST(CmdlineExitWhenIdle, Spellings)
{
    EXPECT_FALSE(parsed(""));
    EXPECT_TRUE(parsed("keel.exit_when_idle"));
    EXPECT_TRUE(parsed("keel.exit-when-idle=yes"));
    EXPECT_TRUE(parsed("console=dtuart keel.exit_when_idle=1 keel.selftest"));
    EXPECT_FALSE(parsed("keel.exit_when_idle=off"));
    EXPECT_FALSE(parsed("keel.exit_when_idle no-keel.exit_when_idle"));
}

}  // namespace
}  // namespace keel
