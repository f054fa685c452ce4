// SPDX-License-Identifier: MIT
//
// tests/unit/lib/fdt_writer_test.cpp
// Checks FdtWriter: blobs read back through keel's Fdt reader, accepted by dtc,
// string-table deduplication, the memory reservation block, misuse errors, and
// that a too-small buffer fails with NoSpc without a byte written past its end.
#include "lib/fdt_writer.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <unistd.h>
#include <vector>

#include "lib/fdt.hpp"
#include "../support/run_dtc.hpp"

namespace keel {
namespace {

uint32_t be32_at(const uint8_t* p)
{
    return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | p[3];
}

using test::run_dtc;

// A small tree exercising every property flavour.
Result<size_t> build_sample(FdtWriter& w)
{
    KEEL_TRY(w.add_reservation(0x48000000, 0x100000));
    KEEL_TRY(w.add_reservation(0x80000000, 0x2000));
    KEEL_TRY(w.begin_node(""));
    KEEL_TRY(w.property_u32("#address-cells", 2));
    KEEL_TRY(w.property_u32("#size-cells", 2));
    const char* compat[] = {"vendor,board", "vendor,soc"};
    KEEL_TRY(w.property_strings("compatible", compat, 2));
    KEEL_TRY(w.begin_node("chosen"));
    KEEL_TRY(w.property_string("bootargs", "console=hvc0 root=/dev/ram"));
    KEEL_TRY(w.property_u64("linux,initrd-start", 0x48200000));
    KEEL_TRY(w.end_node());
    KEEL_TRY(w.begin_node("memory@40000000"));
    KEEL_TRY(w.property_string("device_type", "memory"));
    const uint64_t reg[] = {0x40000000, 0x10000000, 0x200000000, 0x40000000};
    KEEL_TRY(w.property_values("reg", reg, 4, 2));
    KEEL_TRY(w.end_node());
    KEEL_TRY(w.begin_node("intc"));
    KEEL_TRY(w.property_empty("interrupt-controller"));
    const uint32_t cells[] = {1, 13, 0xf08};
    KEEL_TRY(w.property_cells("interrupts", cells, 3));
    const uint8_t odd[] = {1, 2, 3, 4, 5};  // length not a multiple of 4
    KEEL_TRY(w.property("odd", odd, sizeof odd));
    KEEL_TRY(w.begin_node("child"));
    KEEL_TRY(w.property_u32("#size-cells", 0));  // name already in the table
    KEEL_TRY(w.property_u32("cells", 7));        // a suffix of "#size-cells"
    KEEL_TRY(w.end_node());
    KEEL_TRY(w.end_node());
    KEEL_TRY(w.end_node());
    return w.finish(3);
}

TEST(FdtWriter, RoundTripThroughReader)
{
    std::vector<uint8_t> buf(4096);
    FdtWriter w{buf.data(), buf.size()};
    auto size = build_sample(w);
    ASSERT_TRUE(size.ok()) << errno_name(w.error());
    ASSERT_EQ(Fdt::check(buf.data(), size.value()), FdtError::None);
    Fdt fdt{buf.data(), size.value()};
    EXPECT_EQ(fdt.total_size(), size.value());

    // Header fields.
    EXPECT_EQ(be32_at(&buf[0]), 0xd00dfeedu);
    EXPECT_EQ(be32_at(&buf[20]), 17u);
    EXPECT_EQ(be32_at(&buf[24]), 16u);
    EXPECT_EQ(be32_at(&buf[28]), 3u);  // boot_cpuid_phys

    FdtProperty p;
    ASSERT_TRUE(fdt.property(fdt.root(), "#address-cells", p));
    EXPECT_EQ(p.u32_at(0), 2u);
    ASSERT_TRUE(fdt.property(fdt.root(), "compatible", p));
    EXPECT_STREQ(p.string_at(0), "vendor,board");
    EXPECT_STREQ(p.string_at(1), "vendor,soc");
    EXPECT_TRUE(fdt.is_compatible(fdt.root(), "vendor,soc"));

    const int chosen = fdt.path_offset("/chosen");
    ASSERT_GE(chosen, 0);
    ASSERT_TRUE(fdt.property(chosen, "bootargs", p));
    EXPECT_STREQ(p.as_string(), "console=hvc0 root=/dev/ram");
    ASSERT_TRUE(fdt.property(chosen, "linux,initrd-start", p));
    EXPECT_EQ(p.len, 8u);
    EXPECT_EQ(p.cells_at(0, 2), 0x48200000u);

    const int mem = fdt.path_offset("/memory@40000000");
    ASSERT_GE(mem, 0);
    uint64_t base = 0;
    uint64_t sz = 0;
    ASSERT_TRUE(fdt.reg(mem, 1, base, sz));
    EXPECT_EQ(base, 0x200000000u);
    EXPECT_EQ(sz, 0x40000000u);

    const int intc = fdt.path_offset("/intc");
    ASSERT_GE(intc, 0);
    ASSERT_TRUE(fdt.property(intc, "interrupt-controller", p));
    EXPECT_EQ(p.len, 0u);
    ASSERT_TRUE(fdt.property(intc, "interrupts", p));
    EXPECT_EQ(p.u32_at(2), 0xf08u);
    ASSERT_TRUE(fdt.property(intc, "odd", p));
    ASSERT_EQ(p.len, 5u);
    EXPECT_EQ(p.data[4], 5);
    const int child = fdt.path_offset("/intc/child");
    ASSERT_GE(child, 0);
    EXPECT_EQ(fdt.parent(child), intc);
    ASSERT_TRUE(fdt.property(child, "cells", p));
    EXPECT_EQ(p.u32_at(0), 7u);

    ASSERT_EQ(fdt.memreserve_count(), 2u);
    ASSERT_TRUE(fdt.memreserve(1, base, sz));
    EXPECT_EQ(base, 0x80000000u);
    EXPECT_EQ(sz, 0x2000u);
}

TEST(FdtWriter, DtcAcceptsTheBlob)
{
    std::vector<uint8_t> buf(4096);
    FdtWriter w{buf.data(), buf.size()};
    auto size = build_sample(w);
    ASSERT_TRUE(size.ok());
    std::string dts;
    ASSERT_EQ(run_dtc(buf.data(), size.value(), &dts), 0);
    EXPECT_NE(dts.find("/memreserve/\t0x0000000048000000 0x0000000000100000;"), std::string::npos)
        << dts;
    EXPECT_NE(dts.find("bootargs = \"console=hvc0 root=/dev/ram\";"), std::string::npos) << dts;
    EXPECT_NE(dts.find("interrupts = <0x01 0x0d 0xf08>;"), std::string::npos) << dts;
    EXPECT_NE(dts.find("odd = [01 02 03 04 05];"), std::string::npos) << dts;
}

TEST(FdtWriter, StringTableIsDeduplicated)
{
    std::vector<uint8_t> buf(4096);
    FdtWriter w{buf.data(), buf.size()};
    ASSERT_TRUE(w.begin_node("").ok());
    ASSERT_TRUE(w.property_u32("compatible", 1).ok());
    ASSERT_TRUE(w.property_u32("reg", 2).ok());
    ASSERT_TRUE(w.property_u32("patible", 3).ok());  // the tail of "compatible"
    for (int i = 0; i < 3; ++i) {
        char name[8];
        std::snprintf(name, sizeof name, "n%d", i);
        ASSERT_TRUE(w.begin_node(name).ok());
        ASSERT_TRUE(w.property_u32("reg", 1).ok());
        ASSERT_TRUE(w.property_u32("compatible", 1).ok());
        ASSERT_TRUE(w.end_node().ok());
    }
    ASSERT_TRUE(w.end_node().ok());
    auto size = w.finish();
    ASSERT_TRUE(size.ok());
    // size_dt_strings: "compatible\0" + "reg\0" only.
    EXPECT_EQ(be32_at(&buf[32]), 11u + 4u);
    ASSERT_EQ(Fdt::check(buf.data(), size.value()), FdtError::None);
    Fdt fdt{buf.data(), size.value()};
    FdtProperty p;
    ASSERT_TRUE(fdt.property(fdt.root(), "patible", p));
    EXPECT_EQ(p.u32_at(0), 3u);
    ASSERT_TRUE(fdt.property(fdt.root(), "compatible", p));
    EXPECT_EQ(p.u32_at(0), 1u);
    ASSERT_TRUE(fdt.property(fdt.path_offset("/n2"), "reg", p));
    EXPECT_EQ(p.u32_at(0), 1u);
    EXPECT_EQ(run_dtc(buf.data(), size.value()), 0);
}

// A name looked up again after a longer name ending in it was added points at
// the lowest occurrence, the tail of the newer string (find_string's remembered
// results are dropped whenever the strings block grows).
TEST(FdtWriter, RepeatedNameUsesLowestOccurrence)
{
    std::vector<uint8_t> buf(4096);
    FdtWriter w{buf.data(), buf.size()};
    ASSERT_TRUE(w.begin_node("").ok());
    ASSERT_TRUE(w.property_u32("cells", 1).ok());
    ASSERT_TRUE(w.property_u32("cells", 2).ok());        // found again: same string
    ASSERT_TRUE(w.property_u32("#size-cells", 3).ok());  // added below "cells"
    ASSERT_TRUE(w.property_u32("cells", 4).ok());        // now the tail of "#size-cells"
    ASSERT_TRUE(w.end_node().ok());
    auto size = w.finish();
    ASSERT_TRUE(size.ok());
    // Strings block: "#size-cells\0cells\0". Properties start after the root's
    // BEGIN_NODE and empty name (8 bytes), 16 bytes each (token, len, nameoff, value).
    const uint32_t struct_off = be32_at(&buf[8]);
    const uint32_t strings_off = be32_at(&buf[12]);
    EXPECT_EQ(be32_at(&buf[32]), 18u);
    EXPECT_EQ(std::memcmp(&buf[strings_off], "#size-cells\0cells\0", 18), 0);
    auto nameoff = [&](int i) { return be32_at(&buf[struct_off + 8 + 16 * i + 8]); };
    EXPECT_EQ(nameoff(0), 12u);
    EXPECT_EQ(nameoff(1), 12u);
    EXPECT_EQ(nameoff(2), 0u);
    EXPECT_EQ(nameoff(3), 6u);
    ASSERT_EQ(Fdt::check(buf.data(), size.value()), FdtError::None);
}

TEST(FdtWriter, MisuseIsRejected)
{
    std::vector<uint8_t> buf(1024);
    {
        FdtWriter w{buf.data(), buf.size()};
        EXPECT_EQ(w.property_u32("x", 1).error(), Errno::Inval);  // no node open
        EXPECT_TRUE(w.failed());
        EXPECT_EQ(w.begin_node("").error(), Errno::Inval);  // sticky
    }
    {
        FdtWriter w{buf.data(), buf.size()};
        EXPECT_EQ(w.begin_node("notroot").error(), Errno::Inval);
    }
    {
        FdtWriter w{buf.data(), buf.size()};
        ASSERT_TRUE(w.begin_node("").ok());
        EXPECT_EQ(w.add_reservation(0, 1).error(), Errno::Inval);  // too late
    }
    {
        FdtWriter w{buf.data(), buf.size()};
        ASSERT_TRUE(w.begin_node("").ok());
        EXPECT_EQ(w.begin_node("a/b").error(), Errno::Inval);
    }
    {
        FdtWriter w{buf.data(), buf.size()};
        ASSERT_TRUE(w.begin_node("").ok());
        EXPECT_EQ(w.begin_node("").error(), Errno::Inval);  // empty child name
    }
    {
        FdtWriter w{buf.data(), buf.size()};
        ASSERT_TRUE(w.begin_node("").ok());
        EXPECT_EQ(w.property("bad name", nullptr, 0).error(), Errno::Inval);
    }
    {
        FdtWriter w{buf.data(), buf.size()};
        ASSERT_TRUE(w.begin_node("").ok());
        ASSERT_TRUE(w.begin_node("a").ok());
        EXPECT_EQ(w.finish().error(), Errno::Inval);  // nodes still open
    }
    {
        FdtWriter w{buf.data(), buf.size()};
        ASSERT_TRUE(w.begin_node("").ok());
        ASSERT_TRUE(w.end_node().ok());
        EXPECT_EQ(w.end_node().error(), Errno::Inval);  // nothing open
    }
    {
        FdtWriter w{buf.data(), buf.size()};
        ASSERT_TRUE(w.begin_node("").ok());
        ASSERT_TRUE(w.begin_node("a").ok());
        ASSERT_TRUE(w.end_node().ok());
        EXPECT_EQ(w.property_u32("x", 1).error(), Errno::Inval);  // property after a child
    }
    {
        FdtWriter w{buf.data(), buf.size()};
        EXPECT_EQ(w.finish().error(), Errno::Inval);  // no root node
    }
    {
        FdtWriter w{buf.data(), buf.size()};
        ASSERT_TRUE(w.begin_node("").ok());
        ASSERT_TRUE(w.end_node().ok());
        EXPECT_EQ(w.begin_node("").error(), Errno::Inval);  // a second root
    }
    {
        FdtWriter w{buf.data(), buf.size()};
        ASSERT_TRUE(w.begin_node("").ok());
        const uint64_t big[] = {0x100000000};
        EXPECT_EQ(w.property_values("reg", big, 1, 1).error(), Errno::Range);
    }
    {
        FdtWriter w{buf.data(), buf.size()};
        ASSERT_TRUE(w.begin_node("").ok());
        ASSERT_TRUE(w.end_node().ok());
        ASSERT_TRUE(w.finish().ok());
        EXPECT_EQ(w.property_u32("late", 1).error(), Errno::Inval);  // after finish
    }
}

TEST(FdtWriter, MinimalTreeIsValid)
{
    std::vector<uint8_t> buf(128);
    FdtWriter w{buf.data(), buf.size()};
    ASSERT_TRUE(w.begin_node("").ok());
    ASSERT_TRUE(w.end_node().ok());
    auto size = w.finish();
    ASSERT_TRUE(size.ok());
    // header 40 + reservation terminator 16 + BEGIN_NODE "" (8) + END_NODE + END.
    EXPECT_EQ(size.value(), 40u + 16u + 8u + 4u + 4u);
    EXPECT_EQ(Fdt::check(buf.data(), size.value()), FdtError::None);
    EXPECT_EQ(run_dtc(buf.data(), size.value()), 0);
}

// Every capacity smaller than the blob fails with NoSpc, and the bytes after
// the capacity stay untouched.
TEST(FdtWriter, TooSmallBufferNeverOverflows)
{
    std::vector<uint8_t> ref(4096);
    size_t needed = 0;
    {
        FdtWriter w{ref.data(), ref.size()};
        auto size = build_sample(w);
        ASSERT_TRUE(size.ok());
        needed = size.value();
    }
    constexpr uint8_t kCanary = 0xa5;
    for (size_t cap = 0; cap < needed; ++cap) {
        std::vector<uint8_t> buf(needed + 64, kCanary);
        FdtWriter w{buf.data(), cap};
        auto size = build_sample(w);
        ASSERT_FALSE(size.ok()) << "cap " << cap;
        EXPECT_EQ(size.error(), Errno::NoSpc) << "cap " << cap;
        for (size_t i = cap; i < buf.size(); ++i)
            ASSERT_EQ(buf[i], kCanary) << "cap " << cap << " wrote byte " << i;
    }
    // Exactly enough works and gives the same bytes.
    std::vector<uint8_t> exact(needed);
    FdtWriter w{exact.data(), exact.size()};
    auto size = build_sample(w);
    ASSERT_TRUE(size.ok());
    EXPECT_EQ(size.value(), needed);
    EXPECT_EQ(std::memcmp(exact.data(), ref.data(), needed), 0);
}

TEST(FdtWriter, HugePropertyLengthIsNoSpc)
{
    std::vector<uint8_t> buf(256);
    FdtWriter w{buf.data(), buf.size()};
    ASSERT_TRUE(w.begin_node("").ok());
    const uint8_t byte = 0;
    // The length alone exceeds the buffer: refused before anything is read.
    EXPECT_EQ(w.property("big", &byte, size_t{1} << 40).error(), Errno::NoSpc);
}

}  // namespace
}  // namespace keel
