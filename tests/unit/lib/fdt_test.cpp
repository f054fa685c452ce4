// SPDX-License-Identifier: MIT
//
// tests/unit/lib/fdt_test.cpp
// Checks the FDT reader: validation of good and corrupt blobs (each header and
// structure fault, with its report), tree walks, paths and aliases, phandles,
// properties, "reg" with various cell sizes, /memreserve/, and that no
// mutation of a real blob makes any accessor read outside it (ASan watches).
#include "lib/fdt.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <string>
#include <vector>

#include "../support/dtb_builder.hpp"
#include "lib/fmt.hpp"

namespace keel {
namespace {

using test::Blob;
using test::DtbBuilder;
using test::load_fixture;
using test::put_be32;

std::string hex(uint64_t v)
{
    char s[24];
    snprintf(s, sizeof s, "%#llx", static_cast<unsigned long long>(v));
    return s;
}

FdtError check(const Blob& b, FdtCheckReport* r = nullptr)
{
    return Fdt::check(b.data(), b.size(), r);
}

std::string report_text(const Blob& b, size_t available)
{
    FdtCheckReport r;
    Fdt::check(b.data(), available, &r);
    char storage[200];
    FmtBuffer out{storage, sizeof storage};
    format_fdt_check_report(r, out);
    return out.c_str();
}

std::vector<std::string> child_names(const Fdt& fdt, int node)
{
    std::vector<std::string> names;
    for (int c = fdt.first_child(node); c >= 0; c = fdt.next_sibling(c))
        names.push_back(fdt.node_name(c));
    return names;
}

// A small valid tree: root { #address-cells = 1; #size-cells = 1; a { x = <1 2>; b {} }; c@10 { reg
// = <0x10 0x20>; } }
Blob small_tree(uint32_t version = 17)
{
    DtbBuilder d;
    d.memreserve(0x1000, 0x2000);
    d.begin_node("").prop_cells("#address-cells", {1}).prop_cells("#size-cells", {1});
    d.begin_node("a").prop_cells("x", {1, 2}).nop().begin_node("b").end_node().end_node();
    d.nop().begin_node("c@10").prop_cells("reg", {0x10, 0x20}).end_node();
    d.end_node().end();
    return d.finish(version);
}

TEST(Fdt, ChecksFixtures)
{
    for (const char* name :
         {"qemu_virt.dtb", "no_memory.dtb", "overlapping_banks.dtb", "reserved.dtb"}) {
        const Blob b = load_fixture(name);
        ASSERT_FALSE(b.empty()) << name;
        EXPECT_EQ(check(b), FdtError::None) << name;
    }
    EXPECT_EQ(check(small_tree()), FdtError::None);
    EXPECT_EQ(check(small_tree(16)), FdtError::None);
}

TEST(Fdt, ErrorNames)
{
    EXPECT_STREQ(fdt_error_name(FdtError::None), "none");
    EXPECT_STREQ(fdt_error_name(FdtError::BadMagic), "bad magic");
    EXPECT_STREQ(fdt_error_name(FdtError::Truncated), "truncated");
    EXPECT_STREQ(fdt_error_name(FdtError::BadVersion), "bad version");
    EXPECT_STREQ(fdt_error_name(FdtError::BadStructure), "bad structure");
    EXPECT_STREQ(fdt_error_name(FdtError::NotFound), "not found");
}

TEST(Fdt, TreeWalks)
{
    const Blob b = load_fixture("qemu_virt.dtb");
    const Fdt fdt{b.data(), b.size()};
    EXPECT_EQ(fdt.total_size(), b.size());
    EXPECT_STREQ(fdt.node_name(fdt.root()), "");
    EXPECT_EQ(
        child_names(fdt, fdt.root()),
        (std::vector<std::string>{"psci", "memory@40000000", "pl011@9000000", "pmu", "intc@8000000",
                                  "cpus", "timer", "apb-pclk", "aliases", "chosen"}));
    const int cpus = fdt.path_offset("/cpus");
    EXPECT_EQ(child_names(fdt, cpus), (std::vector<std::string>{"cpu-map", "cpu@0", "cpu@1"}));

    // Document order over the /cpus subtree with depth.
    std::vector<std::string> seen;
    int depth = 0;
    for (int n = fdt.next_node(cpus, &depth); n >= 0 && depth > 0; n = fdt.next_node(n, &depth))
        seen.push_back(std::string(fdt.node_name(n)) + ":" + std::to_string(depth));
    EXPECT_EQ(seen, (std::vector<std::string>{"cpu-map:1", "socket0:2", "cluster0:3", "core0:4",
                                              "core1:4", "cpu@0:1", "cpu@1:1"}));
    int total = 0;
    for (int n = fdt.root(); n >= 0; n = fdt.next_node(n, nullptr)) ++total;
    EXPECT_EQ(total, 23);  // root + 22 nodes in the fixture

    EXPECT_EQ(fdt.parent(fdt.root()), -1);
    EXPECT_EQ(fdt.parent(cpus), fdt.root());
    EXPECT_EQ(fdt.parent(fdt.path_offset("/cpus/cpu@1")), cpus);
    EXPECT_EQ(fdt.parent(fdt.path_offset("/intc@8000000/its@8080000")),
              fdt.path_offset("/intc@8000000"));
    EXPECT_EQ(fdt.first_child(fdt.path_offset("/timer")), -1);
    EXPECT_EQ(fdt.next_sibling(fdt.path_offset("/chosen")), -1);
    // Offsets that are not nodes.
    EXPECT_EQ(fdt.first_child(-1), -1);
    EXPECT_EQ(fdt.first_child(2), -1);
    EXPECT_EQ(fdt.parent(4), -1);
    EXPECT_STREQ(fdt.node_name(100000), "");
}

// parent() of every node matches the last node seen one level up in a
// next_node() walk: in a tree deeper than the depths parent() tracks in one
// walk (a leaf and a chain node at each of 40 levels), and in an unchecked
// stream with a stray END_NODE (depths go negative, then back up).
void expect_parents_match_walk(const Blob& b)
{
    Fdt fdt{b.data(), b.size()};
    std::vector<int> last_at(64, -7);
    int depth = 0;
    int nodes = 0;
    for (int n = fdt.root(); n >= 0; n = fdt.next_node(n, &depth), ++nodes) {
        if (depth <= 0) {
            EXPECT_EQ(fdt.parent(n), -1) << "node " << n;
        } else {
            EXPECT_EQ(fdt.parent(n), last_at[static_cast<size_t>(depth - 1)]) << "node " << n;
        }
        if (depth >= 0) last_at[static_cast<size_t>(depth)] = n;
    }
    EXPECT_GT(nodes, 3);
    EXPECT_EQ(fdt.parent(static_cast<int>(b.size())), -1);  // past every node
}

TEST(Fdt, ParentInDeepTree)
{
    constexpr int kLevels = 40;
    DtbBuilder d;
    d.begin_node("");
    for (int i = 0; i < kLevels; ++i)
        d.prop_cells("level", {static_cast<uint32_t>(i)}).begin_node("leaf").end_node().begin_node("n");
    for (int i = 0; i <= kLevels; ++i) d.end_node();
    const Blob b = d.end().finish(17);
    ASSERT_EQ(Fdt::check(b.data(), b.size()), FdtError::None);
    expect_parents_match_walk(b);
}

TEST(Fdt, ParentInStreamWithStrayEndNode)
{
    DtbBuilder d;
    d.begin_node("").begin_node("a").end_node().end_node().end_node();  // one END_NODE too many
    d.begin_node("b").begin_node("c").begin_node("e").end_node().begin_node("f").end_node();
    d.end_node().end_node().end();  // b at depth -1, c at 0, e and f at 1 (parent c)
    expect_parents_match_walk(d.finish(17));
}

TEST(Fdt, Paths)
{
    const Blob b = load_fixture("qemu_virt.dtb");
    const Fdt fdt{b.data(), b.size()};
    EXPECT_EQ(fdt.path_offset("/"), fdt.root());
    const int cpu0 = fdt.path_offset("/cpus/cpu@0");
    ASSERT_GE(cpu0, 0);
    EXPECT_STREQ(fdt.node_name(cpu0), "cpu@0");
    EXPECT_STREQ(fdt.node_name(fdt.path_offset("/cpus/cpu@1")), "cpu@1");
    const int uart = fdt.path_offset("/pl011@9000000");
    EXPECT_GE(uart, 0);
    EXPECT_EQ(fdt.path_offset("/pl011"), uart);  // unit address optional
    EXPECT_EQ(fdt.path_offset("//cpus//cpu@1/"), fdt.path_offset("/cpus/cpu@1"));
    EXPECT_EQ(fdt.path_offset("/cpus/cpu"), cpu0);  // first unit match
    EXPECT_EQ(fdt.path_offset("/intc/its"), fdt.path_offset("/intc@8000000/its@8080000"));
    EXPECT_EQ(fdt.path_offset("/cpus/cpu@2"), -1);
    EXPECT_EQ(fdt.path_offset("/cpu"), -1);     // "cpus" is not "cpu@..."
    EXPECT_EQ(fdt.path_offset("/pl011@9"), -1);  // unit addresses compare whole
    EXPECT_EQ(fdt.path_offset(""), -1);
    // Aliases.
    EXPECT_EQ(fdt.path_offset("serial0"), uart);
    EXPECT_EQ(fdt.path_offset("gic/its@8080000"), fdt.path_offset("/intc@8000000/its@8080000"));
    EXPECT_EQ(fdt.path_offset("serial1"), -1);
    EXPECT_EQ(fdt.path_offset("seria"), -1);
    // Length-limited: "serial0:115200n8" with the options cut off.
    const char* stdout_path = "serial0:115200n8";
    EXPECT_EQ(fdt.path_offset(stdout_path, 7), uart);
    EXPECT_EQ(fdt.path_offset("/cpus/cpu@1xyz", 11), fdt.path_offset("/cpus/cpu@1"));
    EXPECT_EQ(fdt.subnode(fdt.root(), "chosen", 6), fdt.path_offset("/chosen"));
}

TEST(Fdt, PhandlesAndCompatible)
{
    const Blob b = load_fixture("qemu_virt.dtb");
    const Fdt fdt{b.data(), b.size()};
    const int intc = fdt.path_offset("/intc@8000000");
    EXPECT_EQ(fdt.node_by_phandle(0x8003), intc);
    EXPECT_EQ(fdt.node_by_phandle(0x8001), fdt.path_offset("/cpus/cpu@1"));
    EXPECT_EQ(fdt.node_by_phandle(0), -1);
    EXPECT_EQ(fdt.node_by_phandle(0xffffffff), -1);
    EXPECT_EQ(fdt.node_by_phandle(0x1234), -1);

    EXPECT_EQ(fdt.first_compatible("arm,gic-v3"), intc);
    EXPECT_EQ(fdt.first_compatible("arm,gic-v3", intc), -1);
    const int k1 = fdt.first_compatible("multiboot,kernel");
    const int k2 = fdt.first_compatible("multiboot,kernel", k1);
    EXPECT_STREQ(fdt.node_name(k1), "module@42000000");
    EXPECT_STREQ(fdt.node_name(k2), "module@4a000000");
    EXPECT_EQ(fdt.first_compatible("multiboot,kernel", k2), -1);
    EXPECT_EQ(fdt.first_compatible("linux,dummy-virt"), fdt.root());
    EXPECT_TRUE(fdt.is_compatible(fdt.path_offset("/timer"), "arm,armv7-timer"));
    EXPECT_FALSE(fdt.is_compatible(fdt.path_offset("/timer"), "arm,armv7"));
    EXPECT_FALSE(fdt.is_compatible(fdt.path_offset("/cpus"), "arm,armv7-timer"));
}

TEST(Fdt, Properties)
{
    const Blob b = load_fixture("qemu_virt.dtb");
    const Fdt fdt{b.data(), b.size()};
    const int psci = fdt.path_offset("/psci");
    std::vector<std::string> names;
    FdtProperty p;
    for (int off = fdt.next_property(psci, -1, p); off >= 0; off = fdt.next_property(psci, off, p))
        names.push_back(p.name);
    EXPECT_EQ(names, (std::vector<std::string>{"migrate", "cpu_on", "cpu_off", "cpu_suspend",
                                               "method", "compatible"}));

    ASSERT_TRUE(fdt.property(psci, "compatible", p));
    EXPECT_STREQ(p.string_at(0), "arm,psci-1.0");
    EXPECT_STREQ(p.string_at(2), "arm,psci");
    EXPECT_EQ(p.string_at(3), nullptr);
    EXPECT_TRUE(p.contains_string("arm,psci-0.2"));
    EXPECT_FALSE(p.contains_string("arm,psci-0"));
    EXPECT_STREQ(p.as_string(), "arm,psci-1.0");
    ASSERT_TRUE(fdt.property(psci, "cpu_on", p));
    EXPECT_EQ(p.len, 4u);
    EXPECT_EQ(p.u32_at(0), 0xc4000003u);
    EXPECT_EQ(p.u32_at(1), 0u);
    EXPECT_EQ(p.as_string(), nullptr);  // 0xc4000003 does not end in NUL
    EXPECT_EQ(p.cells_at(0, 2), 0u);    // out of range
    EXPECT_EQ(p.cells_at(0, 1), 0xc4000003u);
    EXPECT_EQ(p.cells_at(0, 3), 0u);
    EXPECT_FALSE(fdt.property(psci, "cpu", p));
    EXPECT_TRUE(fdt.has_property(fdt.path_offset("/timer"), "always-on"));
    ASSERT_TRUE(fdt.property(fdt.path_offset("/timer"), "always-on", p));
    EXPECT_EQ(p.len, 0u);
    EXPECT_EQ(p.as_string(), nullptr);
    EXPECT_EQ(p.string_at(0), nullptr);

    const FdtProperty empty;
    EXPECT_EQ(empty.u32_at(0), 0u);
    EXPECT_EQ(empty.string_at(0), nullptr);
    EXPECT_FALSE(empty.contains_string(""));
}

TEST(Fdt, RegAndCells)
{
    const Blob b = load_fixture("qemu_virt.dtb");
    const Fdt fdt{b.data(), b.size()};
    uint64_t base = 0;
    uint64_t size = 0;
    const int mem = fdt.path_offset("/memory@40000000");
    EXPECT_EQ(fdt.address_cells_for(mem), 2u);
    EXPECT_EQ(fdt.size_cells_for(mem), 2u);
    ASSERT_TRUE(fdt.reg(mem, 0, base, size));
    EXPECT_EQ(base, 0x40000000u);
    EXPECT_EQ(size, 0x40000000u);
    EXPECT_FALSE(fdt.reg(mem, 1, base, size));
    EXPECT_EQ(fdt.reg_count(mem), 1u);

    const int cpu1 = fdt.path_offset("/cpus/cpu@1");
    EXPECT_EQ(fdt.address_cells_for(cpu1), 1u);
    EXPECT_EQ(fdt.size_cells_for(cpu1), 0u);
    ASSERT_TRUE(fdt.reg(cpu1, 0, base, size));
    EXPECT_EQ(base, 1u);
    EXPECT_EQ(size, 0u);

    const int intc = fdt.path_offset("/intc@8000000");
    EXPECT_EQ(fdt.reg_count(intc), 2u);
    ASSERT_TRUE(fdt.reg(intc, 1, base, size));
    EXPECT_EQ(base, 0x80a0000u);
    EXPECT_EQ(size, 0xf60000u);
    EXPECT_FALSE(fdt.reg(intc, 2, base, size));
    EXPECT_FALSE(fdt.reg(intc, SIZE_MAX, base, size));

    const int m = fdt.path_offset("/chosen/domU1/module@4c000000");
    EXPECT_EQ(fdt.address_cells_for(m), 1u);
    ASSERT_TRUE(fdt.reg(m, 0, base, size));
    EXPECT_EQ(base, 0x4c000000u);
    EXPECT_EQ(size, 0x200000u);

    EXPECT_EQ(fdt.reg_count(fdt.path_offset("/timer")), 0u);
    EXPECT_FALSE(fdt.reg(fdt.path_offset("/timer"), 0, base, size));
    // Root: defaults 2/1 apply to its own "reg" (it has none).
    EXPECT_EQ(fdt.address_cells_for(fdt.root()), 2u);
    EXPECT_EQ(fdt.size_cells_for(fdt.root()), 1u);
}

TEST(Fdt, UnsupportedCellSizes)
{
    DtbBuilder d;
    d.begin_node("").prop_cells("#address-cells", {3}).prop_cells("#size-cells", {1});
    d.begin_node("dev@0").prop_cells("reg", {0, 0, 0, 1}).end_node();
    d.end_node().end();
    const Blob b = d.finish();
    ASSERT_EQ(check(b), FdtError::None);
    const Fdt fdt{b.data(), b.size()};
    uint64_t base = 0;
    uint64_t size = 0;
    EXPECT_FALSE(fdt.reg(fdt.path_offset("/dev"), 0, base, size));
    EXPECT_EQ(fdt.reg_count(fdt.path_offset("/dev")), 0u);
}

TEST(Fdt, Memreserve)
{
    const Blob b = load_fixture("reserved.dtb");
    const Fdt fdt{b.data(), b.size()};
    ASSERT_EQ(fdt.memreserve_count(), 2u);
    uint64_t base = 0;
    uint64_t size = 0;
    ASSERT_TRUE(fdt.memreserve(1, base, size));
    EXPECT_EQ(base, 0x4f000000u);
    EXPECT_EQ(size, 0x1000u);
    EXPECT_FALSE(fdt.memreserve(2, base, size));

    const Blob q = load_fixture("qemu_virt.dtb");
    EXPECT_EQ((Fdt{q.data(), q.size()}.memreserve_count()), 0u);
}

TEST(Fdt, Version16HasNoStructSize)
{
    Blob b = small_tree(16);
    put_be32(b, test::kSizeDtStruct, 0xffffffff);  // not a v16 field: must be ignored
    ASSERT_EQ(check(b), FdtError::None);
    const Fdt fdt{b.data(), b.size()};
    EXPECT_EQ(child_names(fdt, fdt.root()), (std::vector<std::string>{"a", "c@10"}));
    EXPECT_EQ(fdt.path_offset("/a/b"), fdt.first_child(fdt.path_offset("/a")));
    uint64_t base = 0;
    uint64_t size = 0;
    ASSERT_TRUE(fdt.reg(fdt.path_offset("/c"), 0, base, size));
    EXPECT_EQ(base, 0x10u);
    EXPECT_EQ(size, 0x20u);
    EXPECT_EQ(fdt.memreserve_count(), 1u);
}

// --- corrupt blobs ---------------------------------------------------------

TEST(FdtCheck, BadMagic)
{
    Blob b = load_fixture("qemu_virt.dtb");
    put_be32(b, test::kMagicField, 0x12345678);
    FdtCheckReport r;
    EXPECT_EQ(check(b, &r), FdtError::BadMagic);
    EXPECT_EQ(r.value, 0x12345678u);
    EXPECT_EQ(report_text(b, b.size()), "bad magic 0x12345678 (expected 0xd00dfeed)");
    EXPECT_EQ(Fdt::check(nullptr, 100), FdtError::Truncated);
    EXPECT_EQ(Fdt::check(b.data(), 3), FdtError::Truncated);
}

TEST(FdtCheck, Truncated)
{
    const Blob b = load_fixture("qemu_virt.dtb");
    EXPECT_EQ(Fdt::check(b.data(), b.size() - 1), FdtError::Truncated);
    EXPECT_EQ(report_text(b, 100),
              "truncated: header says " + std::to_string(b.size()) + " bytes, only 100 available");
    EXPECT_EQ(report_text(b, 20), "truncated: only 20 bytes available, the header alone needs 40");
    // Every shorter length is refused without reading past it.
    for (size_t n = 0; n < b.size(); ++n) {
        const Blob cut(b.begin(), b.begin() + static_cast<long>(n));
        EXPECT_NE(Fdt::check(cut.data(), cut.size()), FdtError::None) << n;
    }
}

TEST(FdtCheck, HeaderFields)
{
    const Blob good = load_fixture("qemu_virt.dtb");
    const uint32_t total = test::get_be32(good, test::kTotalsize);
    const uint32_t past = (total + 64) & ~7u;  // aligned, so only the bound is wrong
    auto with = [&](size_t field, uint32_t v) {
        Blob b = good;
        put_be32(b, field, v);
        return b;
    };
    FdtCheckReport r;
    EXPECT_EQ(check(with(test::kVersion, 15), &r), FdtError::BadVersion);
    EXPECT_EQ(r.value, 15u);
    EXPECT_EQ(check(with(test::kLastCompVersion, 18)), FdtError::BadVersion);
    EXPECT_EQ(check(with(test::kTotalsize, 8)), FdtError::BadStructure);
    EXPECT_EQ(check(with(test::kOffDtStruct, past)), FdtError::Truncated);
    EXPECT_EQ(check(with(test::kOffDtStruct, 0xfffffff0)), FdtError::Truncated);
    EXPECT_EQ(check(with(test::kOffDtStruct, 0x39)), FdtError::BadStructure);  // misaligned
    EXPECT_EQ(check(with(test::kOffDtStruct, 0x10)), FdtError::BadStructure);  // inside the header
    EXPECT_EQ(check(with(test::kSizeDtStruct, total & ~3u)), FdtError::Truncated);
    EXPECT_EQ(check(with(test::kSizeDtStruct, 0xfffffffc)), FdtError::Truncated);
    EXPECT_EQ(check(with(test::kSizeDtStruct, 6)), FdtError::BadStructure);
    EXPECT_EQ(check(with(test::kOffDtStrings, total)), FdtError::Truncated);
    EXPECT_EQ(check(with(test::kSizeDtStrings, 0xffffffff)), FdtError::Truncated);
    EXPECT_EQ(check(with(test::kOffMemRsvmap, 0x2c)), FdtError::BadStructure);  // not 8-aligned
    EXPECT_EQ(check(with(test::kOffMemRsvmap, (total & ~7u) - 8)), FdtError::Truncated);
    EXPECT_EQ(check(with(test::kOffMemRsvmap, 0xfffffff8)), FdtError::Truncated);

    const Blob off_struct_past = with(test::kOffDtStruct, past);
    EXPECT_EQ(report_text(off_struct_past, off_struct_past.size()),
              "truncated: structure block [" + hex(past) + "," + hex(past) +
                  ") runs past totalsize " + hex(total));
}

// Builds a blob whose structure block is given token by token.
template <typename F>
Blob stream(F&& tokens, bool terminate_rsv = true)
{
    DtbBuilder d;
    d.name_offset("prop");
    tokens(d);
    return d.finish(17, terminate_rsv);
}

FdtError stream_error(const Blob& b, std::string* what = nullptr)
{
    FdtCheckReport r;
    const FdtError e = check(b, &r);
    if (what != nullptr) *what = r.what;
    return e;
}

TEST(FdtCheck, StructureFaults)
{
    std::string what;
    // Unterminated node name: the name runs to the end of the structure block.
    EXPECT_EQ(stream_error(stream([](DtbBuilder& d) { d.u32(1).bytes("rootname", 8); }), &what),
              FdtError::BadStructure);
    EXPECT_EQ(what, "node name runs past the structure block");
    // Property length past the end.
    EXPECT_EQ(stream_error(stream([](DtbBuilder& d) {
                  d.begin_node("").u32(3).u32(0x1000).u32(0).u32(0).end_node().end();
              }),
                           &what),
              FdtError::BadStructure);
    EXPECT_EQ(what, "property value runs past the structure block");
    EXPECT_EQ(stream_error(stream([](DtbBuilder& d) {
                  d.begin_node("").u32(3).u32(0xfffffffc).u32(0).end_node().end();
              })),
              FdtError::BadStructure);
    // Property header cut by the end of the block.
    EXPECT_EQ(stream_error(stream([](DtbBuilder& d) { d.begin_node("").u32(3).u32(0); })),
              FdtError::BadStructure);
    // Property name offset outside the strings block.
    EXPECT_EQ(stream_error(stream([](DtbBuilder& d) {
                  d.begin_node("").u32(3).u32(0).u32(500).end_node().end();
              }),
                           &what),
              FdtError::BadStructure);
    EXPECT_EQ(what, "property name outside the strings block");
    // Missing END_NODE, extra END_NODE, no END, second root, prop after subnode,
    // unknown token, NOP before the root, property outside a node.
    EXPECT_EQ(stream_error(
                  stream([](DtbBuilder& d) { d.begin_node("").begin_node("a").end_node().end(); }),
                  &what),
              FdtError::BadStructure);
    EXPECT_EQ(what, "END token inside a node");
    EXPECT_EQ(
        stream_error(stream([](DtbBuilder& d) { d.begin_node("").end_node().end_node().end(); }),
                     &what),
        FdtError::BadStructure);
    EXPECT_EQ(what, "END_NODE outside any node");
    EXPECT_EQ(stream_error(stream([](DtbBuilder& d) { d.begin_node("").end_node(); }), &what),
              FdtError::BadStructure);
    EXPECT_EQ(what, "structure block has no END token");
    EXPECT_EQ(stream_error(stream([](DtbBuilder& d) {
                  d.begin_node("").end_node().begin_node("").end_node().end();
              }),
                           &what),
              FdtError::BadStructure);
    EXPECT_EQ(what, "node after the root node");
    EXPECT_EQ(stream_error(stream([](DtbBuilder& d) {
                               d.begin_node("")
                                   .begin_node("a")
                                   .end_node()
                                   .prop_cells("prop", {1})
                                   .end_node()
                                   .end();
                           }),
                           &what),
              FdtError::BadStructure);
    EXPECT_EQ(what, "property after a subnode");
    EXPECT_EQ(stream_error(stream([](DtbBuilder& d) { d.begin_node("").u32(7).end_node().end(); }),
                           &what),
              FdtError::BadStructure);
    EXPECT_EQ(what, "unknown token");
    EXPECT_EQ(
        stream_error(stream([](DtbBuilder& d) { d.nop().begin_node("").end_node().end(); }), &what),
        FdtError::BadStructure);
    EXPECT_EQ(what, "structure block does not start with the root node");
    EXPECT_EQ(stream_error(stream([](DtbBuilder& d) { d.end(); })), FdtError::BadStructure);
    EXPECT_EQ(stream_error(stream([](DtbBuilder& d) { (void)d; })), FdtError::BadStructure);
    // Memory reservation block without its (0, 0) terminator.
    EXPECT_EQ(stream_error(stream([](DtbBuilder& d) { d.memreserve(1, 2); }, false), &what),
              FdtError::Truncated);
    // And the well-formed minimum passes: NOPs are allowed between tokens and after the root.
    EXPECT_EQ(
        stream_error(stream([](DtbBuilder& d) {
            d.begin_node("").nop().prop_cells("prop", {1}).nop().begin_node("a").end_node().nop();
            d.end_node().nop().end();
        })),
        FdtError::None);
}

TEST(FdtCheck, ReportFormatsStructureFault)
{
    const Blob b = stream([](DtbBuilder& d) { d.begin_node("").u32(7).end_node().end(); });
    EXPECT_EQ(report_text(b, b.size()), "bad structure: unknown token (at offset 0x40)");
}

// --- robustness: every accessor on every mutation ---------------------------

// Calls every accessor over the whole tree; the results do not matter, only
// that nothing reads outside the blob (ASan) and every loop ends.
void exercise(const Fdt& fdt)
{
    volatile size_t sink = 0;
    int depth = 0;
    int visited = 0;
    for (int n = fdt.root(); n >= 0 && visited < 10000; n = fdt.next_node(n, &depth), ++visited) {
        sink = sink + std::string(fdt.node_name(n)).size();
        sink = sink + static_cast<size_t>(fdt.parent(n) + fdt.first_child(n) + fdt.next_sibling(n));
        FdtProperty p;
        for (int off = fdt.next_property(n, -1, p); off >= 0; off = fdt.next_property(n, off, p)) {
            sink = sink + p.len + p.u32_at(0) + p.cells_at(1, 2) + std::string(p.name).size();
            for (size_t i = 0; i < 4; ++i)
                if (const char* s = p.string_at(i)) sink = sink + std::string(s).size();
            if (const char* s = p.as_string()) sink = sink + std::string(s).size();
            sink = sink + p.contains_string("x");
        }
        uint64_t base = 0;
        uint64_t size = 0;
        const size_t count = fdt.reg_count(n);
        sink = sink + fdt.reg(n, 0, base, size) + fdt.reg(n, count, base, size);  // last + 1
        sink = sink + fdt.is_compatible(n, "arm,pl011");
    }
    for (const char* path : {"/", "/cpus/cpu@0", "/chosen", "serial0", "gic/its", "/a/b", "/pl011"})
        sink = sink + static_cast<size_t>(fdt.path_offset(path));
    sink = sink +
           static_cast<size_t>(fdt.node_by_phandle(0x8003) + fdt.first_compatible("arm,gic-v3"));
    uint64_t base = 0;
    uint64_t size = 0;
    const size_t nrsv = fdt.memreserve_count();
    for (size_t i = 0; i <= nrsv && i < 64; ++i) sink = sink + fdt.memreserve(i, base, size);
    (void)sink;
}

void exercise_mutation(const Blob& b)
{
    // Exact-size heap copy, so ASan flags any read one byte past the end.
    const Blob copy = b;
    const Fdt fdt{copy.data(), copy.size()};
    const FdtError e = Fdt::check(copy.data(), copy.size());
    // Accessors are bounds-checked even over an unchecked blob.
    exercise(fdt);
    if (e == FdtError::None) {
        EXPECT_EQ(fdt.path_offset("/"), 0);
    }
}

TEST(FdtRobustness, EveryByteFlipped)
{
    for (const char* name : {"no_memory.dtb", "reserved.dtb"}) {
        const Blob good = load_fixture(name);
        for (size_t pos = 0; pos < good.size(); ++pos) {
            for (uint8_t mask : {uint8_t{0xff}, uint8_t{0x01}}) {
                Blob b = good;
                b[pos] ^= mask;
                exercise_mutation(b);
            }
        }
    }
    const Blob small = small_tree();
    for (size_t pos = 0; pos < small.size(); ++pos) {
        for (unsigned v = 0; v < 256; v += 17) {
            Blob b = small;
            b[pos] = static_cast<uint8_t>(v);
            exercise_mutation(b);
        }
    }
}

TEST(FdtRobustness, RandomMutations)
{
    const Blob good = load_fixture("qemu_virt.dtb");
    uint64_t state = 0x9e3779b97f4a7c15ull;  // fixed seed: reproducible
    auto next = [&state] {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        return state;
    };
    for (int iter = 0; iter < 1500; ++iter) {
        Blob b = good;
        const int flips = 1 + static_cast<int>(next() % 8);
        for (int i = 0; i < flips; ++i) b[next() % b.size()] = static_cast<uint8_t>(next());
        exercise_mutation(b);
    }
}

}  // namespace
}  // namespace keel
