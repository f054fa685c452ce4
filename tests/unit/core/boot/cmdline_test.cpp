// SPDX-License-Identifier: MIT
//
// tests/unit/core/boot/cmdline_test.cpp
// Checks keel's command-line parser: Xen's word syntax, booleans and "no-",
// '-'/'_' equivalence, quoting, numbers, the silently accepted Xen options,
// and the unknown-options warning line.
#include "core/boot/cmdline.hpp"

#include <gtest/gtest.h>

#include <string>

#include "lib/fmt.hpp"

namespace keel {
namespace {

std::string str(StrRef s) { return s.data == nullptr ? "<absent>" : std::string(s.data, s.len); }

std::string warning(const UnknownOptions& u)
{
    char storage[256];
    FmtBuffer out{storage, sizeof storage};
    format_unknown_options(u, out);
    return out.c_str();
}

struct Parsed {
    BootOptions opts;
    UnknownOptions unknown;
};

Parsed parse(const char* text)
{
    Parsed p;
    parse_cmdline(text, p.opts, p.unknown);
    return p;
}

TEST(Cmdline, EmptyAndNull)
{
    for (const char* text : {static_cast<const char*>(nullptr), "", "   \t \n"}) {
        const Parsed p = parse(text);
        EXPECT_FALSE(p.opts.selftest);
        EXPECT_TRUE(p.unknown.empty());
        EXPECT_EQ(warning(p.unknown), "");
    }
}

TEST(Cmdline, SelftestBoolean)
{
    EXPECT_TRUE(parse("keel.selftest").opts.selftest);
    for (const char* on : {"keel.selftest=1", "keel.selftest=yes", "keel.selftest=true",
                           "keel.selftest=on", "keel.selftest=enable"})
        EXPECT_TRUE(parse(on).opts.selftest) << on;
    for (const char* off :
         {"keel.selftest=0", "keel.selftest=no", "keel.selftest=false", "keel.selftest=off",
          "keel.selftest=disable", "no-keel.selftest", "keel.selftest no-keel.selftest"})
        EXPECT_FALSE(parse(off).opts.selftest) << off;
    EXPECT_TRUE(parse("no-keel.selftest=0").opts.selftest);  // Xen: "no-" inverts an explicit value
    EXPECT_TRUE(parse("no-keel.selftest keel.selftest").opts.selftest);  // later wins
}

TEST(Cmdline, BadBooleanIsReported)
{
    const Parsed p = parse("keel.selftest=maybe");
    EXPECT_FALSE(p.opts.selftest);
    ASSERT_EQ(p.unknown.count, 1u);
    EXPECT_TRUE(p.unknown.bad_value[0]);
    EXPECT_EQ(warning(p.unknown),
              "keel: warning: command-line options with bad values ignored: keel.selftest=maybe");
}

TEST(Cmdline, XenOptionsAreAccepted)
{
    const Parsed p = parse(
        "console=dtuart dtuart=serial0 dom0_mem=1024M,max:2048M dom0_max_vcpus=2 bootscrub=idle "
        "sched=null loglvl=all guest_loglvl=info/warning sync_console console_timestamps=boot "
        "xenheap_megabytes=32");
    EXPECT_TRUE(p.unknown.empty()) << warning(p.unknown);
    EXPECT_EQ(str(p.opts.console), "dtuart");
    EXPECT_EQ(str(p.opts.dtuart), "serial0");
    EXPECT_EQ(str(p.opts.dom0_mem), "1024M,max:2048M");
    EXPECT_EQ(str(p.opts.dom0_max_vcpus), "2");
    EXPECT_EQ(str(p.opts.bootscrub), "idle");
    EXPECT_EQ(str(p.opts.sched), "null");
    EXPECT_EQ(str(p.opts.loglvl), "all");
    EXPECT_EQ(str(p.opts.guest_loglvl), "info/warning");
    EXPECT_TRUE(p.opts.sync_console);
    EXPECT_EQ(str(p.opts.console_timestamps), "boot");
    EXPECT_EQ(p.opts.xenheap_megabytes, 32u);
    EXPECT_FALSE(p.opts.selftest);
}

TEST(Cmdline, Dom0VcpusPin)
{
    Parsed p = parse("dom0_vcpus_pin");
    EXPECT_TRUE(p.opts.dom0_vcpus_pin);
    EXPECT_TRUE(p.unknown.empty());
    Parsed q = parse("dom0_vcpus_pin=0");
    EXPECT_FALSE(q.opts.dom0_vcpus_pin);
}

TEST(Cmdline, DashesAndUnderscoresAreTheSame)
{
    const Parsed p = parse("sync-console dom0-max-vcpus=4 xenheap-megabytes=0x10 no-sync_console");
    EXPECT_TRUE(p.unknown.empty()) << warning(p.unknown);
    EXPECT_FALSE(p.opts.sync_console);
    EXPECT_EQ(str(p.opts.dom0_max_vcpus), "4");
    EXPECT_EQ(p.opts.xenheap_megabytes, 16u);
}

TEST(Cmdline, Numbers)
{
    EXPECT_EQ(parse("xenheap_megabytes=18446744073709551615").opts.xenheap_megabytes, UINT64_MAX);
    for (const char* bad : {"xenheap_megabytes", "xenheap_megabytes=", "xenheap_megabytes=12x",
                            "xenheap_megabytes=0x", "xenheap_megabytes=18446744073709551616",
                            "xenheap_megabytes=-1"}) {
        const Parsed p = parse(bad);
        EXPECT_EQ(p.opts.xenheap_megabytes, 0u) << bad;
        ASSERT_EQ(p.unknown.count, 1u) << bad;
        EXPECT_TRUE(p.unknown.bad_value[0]) << bad;
    }
}

TEST(Cmdline, TextOptions)
{
    const Parsed p = parse("console= sched");
    EXPECT_TRUE(p.unknown.empty());
    EXPECT_TRUE(p.opts.console.present());
    EXPECT_TRUE(p.opts.console.empty());
    EXPECT_TRUE(p.opts.sched.present());
    EXPECT_FALSE(p.opts.loglvl.present());
    // "no-" is only for booleans.
    EXPECT_EQ(parse("no-console").unknown.count, 1u);
}

TEST(Cmdline, Quotes)
{
    const Parsed p = parse("loglvl=\"all info\" keel.selftest");
    EXPECT_TRUE(p.unknown.empty());
    EXPECT_EQ(str(p.opts.loglvl), "all info");
    EXPECT_TRUE(p.opts.selftest);
    EXPECT_EQ(str(parse("sched=\"null").opts.sched), "null");  // unbalanced: to the end
}

TEST(Cmdline, UnknownOptionsLine)
{
    const Parsed p = parse("keel.selftest foo=1  bar console=dtuart keel.other no-baz");
    EXPECT_TRUE(p.opts.selftest);
    ASSERT_EQ(p.unknown.count, 4u);
    EXPECT_EQ(str(p.unknown.words[0]), "foo=1");
    EXPECT_EQ(warning(p.unknown),
              "keel: warning: unknown command-line options ignored: foo=1 bar keel.other no-baz");

    const Parsed both = parse("foo keel.selftest=2");
    EXPECT_EQ(warning(both.unknown), "keel: warning: unknown command-line options ignored: foo; "
                                     "bad values ignored: keel.selftest=2");
}

TEST(Cmdline, UnknownListIsBounded)
{
    std::string text;
    for (int i = 0; i < 20; ++i) text += "x" + std::to_string(i) + " ";
    const Parsed p = parse(text.c_str());
    EXPECT_EQ(p.unknown.count, kMaxUnknownOptions);
    EXPECT_EQ(p.unknown.dropped, 4u);
    const std::string w = warning(p.unknown);
    EXPECT_EQ(w.rfind("keel: warning: unknown command-line options ignored: x0 x1 ", 0), 0u) << w;
    EXPECT_NE(w.find("x15 (and 4 more)"), std::string::npos) << w;
}

TEST(Cmdline, PrefixesAreNotMatches)
{
    const Parsed p = parse("keel.selftes keel.selftestx consol sync_consoles");
    EXPECT_EQ(p.unknown.count, 4u);
    EXPECT_FALSE(p.opts.selftest);
    EXPECT_FALSE(p.opts.sync_console);
}

TEST(Cmdline, BootscrubAsXen)
{
    BootOptions o;
    UnknownOptions u;
    EXPECT_TRUE(bootscrub_enabled(o));
    for (const char* text : {"bootscrub=0", "bootscrub=no", "bootscrub=off", "bootscrub=false"}) {
        o = BootOptions{};
        parse_cmdline(text, o, u);
        EXPECT_FALSE(bootscrub_enabled(o)) << text;
    }
    for (const char* text : {"bootscrub=1", "bootscrub=idle", "bootscrub=on", "bootscrub=banana"}) {
        o = BootOptions{};
        parse_cmdline(text, o, u);
        EXPECT_TRUE(bootscrub_enabled(o)) << text;
    }
}

}  // namespace
}  // namespace keel
