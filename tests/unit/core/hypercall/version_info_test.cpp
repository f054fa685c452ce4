// SPDX-License-Identifier: MIT
//
// tests/unit/core/hypercall/version_info_test.cpp
// XENVER_* values keel reports (ABI §1.3, §2.3; Xen 4.17 kernel.c).
#include <gtest/gtest.h>

#include <cstring>

#include "core/hypercall/version_info.hpp"

namespace keel {
namespace {

TEST(VersionInfo, Version)
{
    EXPECT_EQ(kXenVersionValue, 0x00040011u);
}

TEST(VersionInfo, FeaturesOfAPlainDomU)
{
    // bits 0, 2, 13, 14, 16 (Xen 4.17 has no runstate_phys_area bit yet)
    EXPECT_EQ(xen_feature_submap0(DomainFeatures{}), 0x00016005u);
}

TEST(VersionInfo, FeaturesOfDirectMappedDom0)
{
    EXPECT_EQ(xen_feature_submap0(DomainFeatures{.hardware_domain = true, .direct_mapped = true}),
              0x00026805u);
}

TEST(VersionInfo, FillStringPadsAndTruncates)
{
    char buf[8];
    std::memset(buf, 'x', sizeof buf);
    xen_fill_string(buf, sizeof buf, ".7");
    EXPECT_STREQ(buf, ".7");
    for (size_t i = 2; i < sizeof buf; ++i) EXPECT_EQ(buf[i], '\0');
    xen_fill_string(buf, sizeof buf, "0123456789");
    EXPECT_STREQ(buf, "0123456");
    char denied[9];
    xen_fill_string(denied, sizeof denied, kXenDenied);
    EXPECT_EQ(std::memcmp(denied, "<denied>", 9), 0);
}

TEST(VersionInfo, Capabilities)
{
    EXPECT_STREQ(kXenCapabilities, "xen-3.0-aarch64 xen-3.0-armv7l ");
    EXPECT_LT(std::strlen(kXenExtraversion), xen::kXenExtraversionLen);
}

TEST(VersionInfo, CommandlineCarriesDom0Mem)
{
    char buf[64];
    xen_commandline(buf, sizeof buf, "console=dtuart dom0_mem=768M", 512u << 20);
    EXPECT_STREQ(buf, "console=dtuart dom0_mem=768M");
    xen_commandline(buf, sizeof buf, "dom0_mem=1G,max:2G", 512u << 20);
    EXPECT_STREQ(buf, "dom0_mem=1G,max:2G");
    xen_commandline(buf, sizeof buf, "console=dtuart", 768u << 20);
    EXPECT_STREQ(buf, "console=dtuart dom0_mem=768M");
    xen_commandline(buf, sizeof buf, "", 768u << 20);
    EXPECT_STREQ(buf, "dom0_mem=768M");
    xen_commandline(buf, sizeof buf, "xdom0_mem=1G", (768u << 20) + 4096);  // not a token
    EXPECT_STREQ(buf, "xdom0_mem=1G dom0_mem=786436K");
    xen_commandline(buf, sizeof buf, nullptr, 1u << 20);
    EXPECT_STREQ(buf, "dom0_mem=1M");
    char tiny[8];
    xen_commandline(tiny, sizeof tiny, "abc", 768u << 20);  // truncated, still terminated
    EXPECT_EQ(tiny[7], '\0');
    EXPECT_EQ(std::strncmp(tiny, "abc dom", 7), 0);
}

}  // namespace
}  // namespace keel
