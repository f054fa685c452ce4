// SPDX-License-Identifier: MIT
//
// tests/unit/core/boot/uart_intid_test.cpp
// Checks BootInfo::uart_intid, the console UART's interrupt as a GIC INTID
// (console input): QEMU virt's PL011 is SPI 1 (INTID 33); a UART without
// "interrupts" or with a malformed one gives 0.
#include <gtest/gtest.h>

#include "../../support/dtb_builder.hpp"
#include "core/boot/dt_boot_info.hpp"
#include "core/boot/dt_parse.hpp"

namespace keel {
namespace {

using test::Blob;
using test::DtbBuilder;
using test::load_fixture;

TEST(UartIntid, QemuVirtPl011IsSpi1)
{
    const Blob b = load_fixture("qemu_virt.dtb");
    const Fdt fdt{b.data(), b.size()};
    BootInfo info;
    DtDiagnostic diag;
    ASSERT_TRUE(parse_boot_info(fdt, PhysAddr{0x48000000}, info, diag).ok()) << diag.message();
    EXPECT_EQ(info.uart_intid, 33u);
}

// A tree with a GIC (#interrupt-cells = cells) and one UART with `irq`.
uint32_t intid_of(std::initializer_list<uint32_t> irq, uint32_t cells = 3, bool has_irq = true)
{
    DtbBuilder d;
    d.begin_node("").prop_cells("#address-cells", {1}).prop_cells("#size-cells", {1});
    d.prop_cells("interrupt-parent", {1});
    d.begin_node("intc@0").prop_str("compatible", "arm,gic-v3").prop_cells("phandle", {1});
    d.prop_cells("#interrupt-cells", {cells}).end_node();
    d.begin_node("uart@1000").prop_strs("compatible", {"arm,pl011", "arm,primecell"});
    d.prop_cells("reg", {0x1000, 0x100});
    if (has_irq) d.prop_cells("interrupts", irq);
    d.end_node();
    d.end_node().end();
    const Blob b = d.finish();
    const Fdt fdt{b.data(), b.size()};
    return dt::first_gic_intid(fdt, fdt.path_offset("/uart@1000"));
}

TEST(UartIntid, SpecifierDecoding)
{
    EXPECT_EQ(intid_of({0, 1, 4}), 33u);
    EXPECT_EQ(intid_of({0, 100, 4}), 132u);
    EXPECT_EQ(intid_of({1, 9, 4}), 25u);            // a PPI
    EXPECT_EQ(intid_of({0, 7, 4, 0}, 4), 39u);      // 4-cell specifier
    EXPECT_EQ(intid_of({2, 1, 4}), 0u);             // unknown type
    EXPECT_EQ(intid_of({0, 5000, 4}), 0u);          // past the SPI range
    EXPECT_EQ(intid_of({0, 1}), 0u);                // too short
    EXPECT_EQ(intid_of({0, 1, 4}, 2), 0u);          // parent with too few cells
    EXPECT_EQ(intid_of({}, 3, false), 0u);          // no interrupts
}

}  // namespace
}  // namespace keel
