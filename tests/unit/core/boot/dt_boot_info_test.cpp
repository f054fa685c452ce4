// SPDX-License-Identifier: MIT
//
// tests/unit/core/boot/dt_boot_info_test.cpp
// Checks the device tree -> BootInfo translation on the fixtures (a QEMU-virt
// dom0less tree, reserved memory, no memory, overlapping banks) and on trees
// built in the test with one part missing or wrong, including the exact
// diagnostic line for each error; then that mutated blobs never crash it.
#include "core/boot/dt_boot_info.hpp"

#include <gtest/gtest.h>

#include <string>

#include "../../support/dtb_builder.hpp"
#include "lib/fmt.hpp"

namespace keel {
namespace {

using test::Blob;
using test::DtbBuilder;
using test::load_fixture;

constexpr PhysAddr kDtbBase{0x48000000};

struct Parsed {
    bool ok = false;
    Errno error = Errno::Inval;
    BootInfo info;
    std::string message;
};

Parsed parse(const Blob& b, size_t available)
{
    Parsed p;
    const Fdt fdt{b.data(), available};
    DtDiagnostic diag;
    const Result<void> r = parse_boot_info(fdt, kDtbBase, p.info, diag);
    p.ok = r.ok();
    if (!r.ok()) p.error = r.error();
    p.message = diag.message();
    return p;
}

Parsed parse(const Blob& b) { return parse(b, b.size()); }

// What a test tree contains; each test turns one thing off or makes it wrong.
struct TreeSpec {
    int memory_banks = 1;      // one /memory node per bank
    bool cpus_node = true;
    int cpus = 1;
    bool gic = true;
    bool gic_dist = true;
    bool gic_redist = true;
    bool timer = true;
    int timer_irqs = 4;
    uint32_t timer_type = 1;   // 1 = PPI
    const char* psci_method = nullptr;  // nullptr: no PSCI node
    bool module_reg = true;
    const char* stdout_path = nullptr;
    bool dom0_kernel_no_reg = false;  // [dom0] a kernel module directly under /chosen without reg
    bool chosen_initrd = false;       // [dom0] /chosen linux,initrd-start/-end
};

Blob build_tree(const TreeSpec& s)
{
    DtbBuilder d;
    d.begin_node("").prop_cells("#address-cells", {2}).prop_cells("#size-cells", {2});
    d.prop_cells("interrupt-parent", {1});
    for (int i = 0; i < s.memory_banks; ++i) {
        const uint32_t base = 0x40000000u + static_cast<uint32_t>(i) * 0x1000000u;
        const std::string name = "memory@" + std::to_string(i);
        d.begin_node(name.c_str()).prop_str("device_type", "memory");
        d.prop_cells("reg", {0, base, 0, 0x1000000}).end_node();
    }
    if (s.cpus_node) {
        d.begin_node("cpus").prop_cells("#address-cells", {1}).prop_cells("#size-cells", {0});
        for (int i = 0; i < s.cpus; ++i) {
            const std::string name = "cpu@" + std::to_string(i);
            d.begin_node(name.c_str()).prop_str("device_type", "cpu");
            d.prop_cells("reg", {static_cast<uint32_t>(i)}).end_node();
        }
        d.end_node();
    }
    if (s.gic) {
        d.begin_node("intc@8000000")
            .prop_str("compatible", "arm,gic-v3")
            .prop_cells("phandle", {1});
        d.prop_cells("#interrupt-cells", {3});
        if (s.gic_dist && s.gic_redist)
            d.prop_cells("reg", {0, 0x8000000, 0, 0x10000, 0, 0x80a0000, 0, 0xf60000});
        else if (s.gic_dist)
            d.prop_cells("reg", {0, 0x8000000, 0, 0x10000});
        d.end_node();
    }
    if (s.timer) {
        d.begin_node("timer").prop_strs("compatible", {"arm,armv8-timer", "arm,armv7-timer"});
        if (s.timer_irqs == 4)
            d.prop_cells("interrupts", {s.timer_type, 13, 4, 1, 14, 4, 1, 11, 4, 1, 10, 4});
        else
            d.prop_cells("interrupts", {1, 13, 4, 1, 14, 4, 1, 11, 4});
        d.end_node();
    }
    if (s.psci_method != nullptr) {
        d.begin_node("psci").prop_strs("compatible", {"arm,psci-0.2", "arm,psci"});
        d.prop_str("method", s.psci_method).end_node();
    }
    d.begin_node("chosen");
    if (s.stdout_path != nullptr) d.prop_str("stdout-path", s.stdout_path);
    if (s.chosen_initrd) {
        d.prop_cells("linux,initrd-start", {0x4c000000});
        d.prop_cells("linux,initrd-end", {0x4c123456});
    }
    if (s.dom0_kernel_no_reg) {
        d.begin_node("module@dom0").prop_strs("compatible", {"multiboot,kernel", "multiboot,module"});
        d.end_node();
    }
    d.begin_node("domU1").prop_str("compatible", "xen,domain");
    d.prop_cells("#address-cells", {1}).prop_cells("#size-cells", {1});
    d.begin_node("module@0").prop_strs("compatible", {"multiboot,kernel", "multiboot,module"});
    if (s.module_reg) d.prop_cells("reg", {0x4a000000, 0x100000});
    d.end_node().end_node().end_node();
    d.end_node().end();
    return d.finish();
}

// [dom0] A dom0 module without reg is not fatal here (the dom0 parser reports
// it and keel boots without dom0); /chosen/linux,initrd-* is kept from the allocators.
TEST(DtBootInfo, Dom0ModuleWithoutRegAndChosenInitrd)
{
    TreeSpec s;
    s.dom0_kernel_no_reg = true;
    s.chosen_initrd = true;
    const Blob b = build_tree(s);
    const Parsed p = parse(b);
    ASSERT_TRUE(p.ok) << p.message;
    ASSERT_EQ(p.info.module_count, 2u);  // the initrd and the domU's kernel
    const Fdt fdt{b.data(), b.size()};
    EXPECT_EQ(p.info.modules[0].kind, ModuleKind::Ramdisk);
    EXPECT_EQ(p.info.modules[0].range.base, PhysAddr{0x4c000000});
    EXPECT_EQ(p.info.modules[0].range.size, 0x123456u);
    EXPECT_EQ(p.info.modules[0].node, fdt.path_offset("/chosen"));
    EXPECT_EQ(p.info.modules[1].parent, fdt.path_offset("/chosen/domU1"));
}

TEST(DtBootInfo, QemuVirtDom0less)
{
    const Blob b = load_fixture("qemu_virt.dtb");
    const Parsed p = parse(b);
    ASSERT_TRUE(p.ok) << p.message;
    EXPECT_EQ(p.message, "");
    const BootInfo& i = p.info;
    const Fdt fdt{b.data(), b.size()};

    EXPECT_EQ(i.dtb.base, kDtbBase);
    EXPECT_EQ(i.dtb.size, b.size());
    ASSERT_EQ(i.memory_count, 1u);
    EXPECT_EQ(i.memory[0].base, PhysAddr{0x40000000});
    EXPECT_EQ(i.memory[0].size, 0x40000000u);
    EXPECT_EQ(i.reserved_count, 0u);

    ASSERT_EQ(i.cpu_count, 2u);
    EXPECT_EQ(i.cpu_mpidr[0], 0u);
    EXPECT_EQ(i.cpu_mpidr[1], 1u);

    EXPECT_EQ(i.gic.version, 3u);
    EXPECT_EQ(i.gic.dist.base, PhysAddr{0x8000000});
    EXPECT_EQ(i.gic.dist.size, 0x10000u);
    ASSERT_EQ(i.gic.redist_count, 1u);
    EXPECT_EQ(i.gic.redist[0].base, PhysAddr{0x80a0000});
    EXPECT_EQ(i.gic.redist[0].size, 0xf60000u);
    EXPECT_EQ(i.gic.redist_stride, 0u);
    EXPECT_EQ(i.gic.phandle, 0x8003u);
    EXPECT_EQ(i.gic.node, fdt.path_offset("/intc@8000000"));

    EXPECT_EQ(i.timer.secure_phys_intid, 29u);
    EXPECT_EQ(i.timer.phys_intid, 30u);
    EXPECT_EQ(i.timer.virt_intid, 27u);
    EXPECT_EQ(i.timer.hyp_intid, 26u);
    EXPECT_EQ(i.timer.frequency_hz, 0u);
    EXPECT_EQ(i.psci, PsciConduit::Smc);

    EXPECT_EQ(i.uart.base, PhysAddr{0x9000000});
    EXPECT_EQ(i.uart.size, 0x1000u);
    EXPECT_STREQ(i.uart_path, "/pl011@9000000");
    EXPECT_STREQ(i.cmdline, "keel.selftest console=dtuart sync_console");
    EXPECT_STREQ(i.cmdline_source, "xen,xen-bootargs");

    ASSERT_EQ(i.module_count, 3u);
    const int chosen = fdt.path_offset("/chosen");
    const int domu = fdt.path_offset("/chosen/domU1");
    EXPECT_EQ(i.modules[0].kind, ModuleKind::Kernel);
    EXPECT_EQ(i.modules[0].range.base, PhysAddr{0x42000000});
    EXPECT_EQ(i.modules[0].range.size, 0x800000u);
    EXPECT_STREQ(i.modules[0].bootargs, "console=hvc0");
    EXPECT_EQ(i.modules[0].parent, chosen);
    EXPECT_EQ(i.modules[0].node, fdt.path_offset("/chosen/module@42000000"));
    EXPECT_EQ(i.modules[1].kind, ModuleKind::Kernel);
    EXPECT_EQ(i.modules[1].range.base, PhysAddr{0x4a000000});
    EXPECT_EQ(i.modules[1].range.size, 0x1000000u);
    EXPECT_STREQ(i.modules[1].bootargs, "console=ttyAMA0 rdinit=/init");
    EXPECT_EQ(i.modules[1].parent, domu);
    EXPECT_EQ(i.modules[2].kind, ModuleKind::Ramdisk);
    EXPECT_EQ(i.modules[2].range.base, PhysAddr{0x4c000000});
    EXPECT_EQ(i.modules[2].range.size, 0x200000u);
    EXPECT_EQ(i.modules[2].bootargs, nullptr);
    EXPECT_EQ(i.modules[2].parent, domu);
    EXPECT_EQ(i.modules[2].node, fdt.path_offset("/chosen/domU1/module@4c000000"));
}

TEST(DtBootInfo, ReservedMemoryAndVariants)
{
    const Blob b = load_fixture("reserved.dtb");  // BootInfo's strings point into it
    const Parsed p = parse(b);
    ASSERT_TRUE(p.ok) << p.message;
    const BootInfo& i = p.info;
    // Sorted, zero-size entry and disabled node skipped.
    ASSERT_EQ(i.memory_count, 3u);
    EXPECT_EQ(i.memory[0].base, PhysAddr{0x40000000});
    EXPECT_EQ(i.memory[0].size, 0x20000000u);
    EXPECT_EQ(i.memory[1].base, PhysAddr{0x80000000});
    EXPECT_EQ(i.memory[1].size, 0x10000000u);
    EXPECT_EQ(i.memory[2].base, PhysAddr{0x100000000});
    EXPECT_EQ(i.memory[2].size, 0x40000000u);

    ASSERT_EQ(i.reserved_count, 5u);
    const uint64_t expect[5][2] = {{0x48000000, 0x10000},
                                   {0x4f000000, 0x1000},
                                   {0x5e000000, 0x200000},
                                   {0x5f000000, 0x100000},
                                   {0x5f800000, 0x1000}};
    for (size_t k = 0; k < 5; ++k) {
        EXPECT_EQ(i.reserved[k].base.raw(), expect[k][0]) << k;
        EXPECT_EQ(i.reserved[k].size, expect[k][1]) << k;
    }

    ASSERT_EQ(i.cpu_count, 1u);  // cpu@200 is disabled
    EXPECT_EQ(i.cpu_mpidr[0], 0x100u);
    EXPECT_EQ(i.psci, PsciConduit::None);  // one CPU: no PSCI is fine

    ASSERT_EQ(i.gic.redist_count, 2u);
    EXPECT_EQ(i.gic.redist[1].base, PhysAddr{0x2f300000});
    EXPECT_EQ(i.gic.redist_stride, 0x40000u);
    EXPECT_EQ(i.timer.hyp_intid, 26u);
    EXPECT_EQ(i.timer.frequency_hz, 100000000u);

    EXPECT_EQ(i.uart.base, PhysAddr{0x1c090000});
    EXPECT_STREQ(i.uart_path, "serial0:115200n8");
    EXPECT_STREQ(i.cmdline, "keel.selftest=off");
    EXPECT_STREQ(i.cmdline_source, "bootargs");
    EXPECT_EQ(i.module_count, 0u);
}

TEST(DtBootInfo, NoMemory)
{
    const Parsed p = parse(load_fixture("no_memory.dtb"));
    ASSERT_FALSE(p.ok);
    EXPECT_EQ(p.error, Errno::NoEnt);
    EXPECT_EQ(p.message, "device tree: no /memory node with a non-empty \"reg\"");
}

TEST(DtBootInfo, OverlappingBanks)
{
    const Parsed p = parse(load_fixture("overlapping_banks.dtb"));
    ASSERT_FALSE(p.ok);
    EXPECT_EQ(
        p.message,
        "device tree: memory banks overlap: [0x40000000,0x60000000) and [0x50000000,0x70000000)");
}

TEST(DtBootInfo, HeaderErrors)
{
    Blob b = load_fixture("qemu_virt.dtb");
    test::put_be32(b, test::kMagicField, 0x12345678);
    EXPECT_EQ(parse(b).message, "device tree: bad magic 0x12345678 (expected 0xd00dfeed)");

    Blob t = load_fixture("qemu_virt.dtb");
    test::put_be32(t, test::kTotalsize, 4096);
    EXPECT_EQ(parse(t, 100).message,
              "device tree: truncated: header says 4096 bytes, only 100 available");

    DtDiagnostic diag;
    EXPECT_FALSE(check_device_tree(t.data(), 100, diag).ok());
    EXPECT_STREQ(diag.message(),
                 "device tree: truncated: header says 4096 bytes, only 100 available");
    const Blob good = load_fixture("qemu_virt.dtb");
    DtDiagnostic none;
    EXPECT_TRUE(check_device_tree(good.data(), good.size(), none).ok());
    EXPECT_TRUE(none.empty());
}

TEST(DtBootInfo, BuiltTreeParses)
{
    TreeSpec s;
    s.cpus = 2;
    s.psci_method = "hvc";
    const Blob b = build_tree(s);
    const Parsed p = parse(b);
    ASSERT_TRUE(p.ok) << p.message;
    EXPECT_EQ(p.info.psci, PsciConduit::Hvc);
    EXPECT_EQ(p.info.cpu_count, 2u);
    EXPECT_EQ(p.info.module_count, 1u);
    EXPECT_EQ(p.info.uart.size, 0u);  // no stdout-path: the caller falls back
    EXPECT_EQ(p.info.uart_path, nullptr);
    EXPECT_STREQ(p.info.cmdline, "");
    EXPECT_STREQ(p.info.cmdline_source, "none");
}

struct ErrorCase {
    const char* name;
    TreeSpec spec;
    const char* message;
};

TEST(DtBootInfo, EachErrorHasAClearLine)
{
    auto spec = [](auto change) {
        TreeSpec s;
        change(s);
        return s;
    };
    const ErrorCase cases[] = {
        {"too many banks", spec([](TreeSpec& s) { s.memory_banks = 9; }),
         "device tree: more than 8 memory banks (at /memory@8)"},
        {"no /cpus", spec([](TreeSpec& s) { s.cpus_node = false; }), "device tree: no /cpus node"},
        {"empty /cpus", spec([](TreeSpec& s) { s.cpus = 0; }),
         "device tree: no CPUs in /cpus (no child with device_type = \"cpu\")"},
        {"no gic", spec([](TreeSpec& s) { s.gic = false; }),
         "device tree: no GICv3 interrupt controller (\"arm,gic-v3\")"},
        {"gic without reg", spec([](TreeSpec& s) { s.gic_dist = false; }),
         "device tree: GICv3 /intc@8000000 has no distributor in \"reg\""},
        {"gic without redistributors", spec([](TreeSpec& s) { s.gic_redist = false; }),
         "device tree: GICv3 /intc@8000000 has no redistributor region 0 in \"reg\" "
         "(#redistributor-regions = 1)"},
        {"no timer", spec([](TreeSpec& s) { s.timer = false; }),
         "device tree: no architected timer (\"arm,armv8-timer\")"},
        {"timer with 3 irqs", spec([](TreeSpec& s) { s.timer_irqs = 3; }),
         "device tree: timer /timer lists 3 interrupts; keel needs 4 (secure, non-secure, virtual, "
         "hypervisor)"},
        {"timer SPI", spec([](TreeSpec& s) { s.timer_type = 0; }),
         "device tree: timer /timer interrupt 0 is not a PPI (<0 13 ...>)"},
        {"2 cpus no psci", spec([](TreeSpec& s) { s.cpus = 2; }),
         "device tree: no PSCI node (\"arm,psci-0.2\") but 2 CPUs listed: secondaries cannot "
         "start"},
        {"bad psci method", spec([](TreeSpec& s) { s.psci_method = "svc"; }),
         "device tree: PSCI /psci has method \"svc\" (expected \"hvc\" or \"smc\")"},
        {"module without reg", spec([](TreeSpec& s) { s.module_reg = false; }),
         "device tree: boot module /chosen/domU1/module@0 has no usable \"reg\""},
    };
    for (const ErrorCase& c : cases) {
        const Blob b = build_tree(c.spec);
        const Parsed p = parse(b);
        EXPECT_FALSE(p.ok) << c.name;
        EXPECT_EQ(p.message, c.message) << c.name;
    }
}

TEST(DtBootInfo, StdoutUart)
{
    auto lookup = [](const char* stdout_path, PhysRange& uart, std::string& why) {
        DtbBuilder d;
        d.begin_node("").prop_cells("#address-cells", {1}).prop_cells("#size-cells", {1});
        d.begin_node("uart@1000").prop_strs("compatible", {"arm,pl011", "arm,primecell"});
        d.prop_cells("reg", {0x1000, 0x100}).end_node();
        d.begin_node("serial@2000")
            .prop_str("compatible", "ns16550a")
            .prop_cells("reg", {0x2000, 8});
        d.end_node();
        d.begin_node("aliases").prop_str("serial0", "/uart@1000").end_node();
        d.begin_node("chosen");
        if (stdout_path != nullptr) d.prop_str("stdout-path", stdout_path);
        d.end_node().end_node().end();
        const Blob b = d.finish();
        const Fdt fdt{b.data(), b.size()};
        const char* path = nullptr;
        DtDiagnostic diag;
        const bool found = find_stdout_uart(fdt, uart, path, diag);
        why = diag.message();
        return found;
    };
    PhysRange uart;
    std::string why;
    ASSERT_TRUE(lookup("serial0:115200n8", uart, why));
    EXPECT_EQ(uart.base, PhysAddr{0x1000});
    EXPECT_EQ(uart.size, 0x100u);
    ASSERT_TRUE(lookup("/uart@1000", uart, why));
    ASSERT_TRUE(lookup("/uart:options", uart, why));
    EXPECT_FALSE(lookup(nullptr, uart, why));
    EXPECT_EQ(why, "device tree: no /chosen \"stdout-path\"");
    EXPECT_FALSE(lookup("/serial@2000", uart, why));
    EXPECT_EQ(why,
              "device tree: stdout-path \"/serial@2000\" is /serial@2000, not an \"arm,pl011\"");
    EXPECT_FALSE(lookup("serial1", uart, why));
    EXPECT_EQ(why, "device tree: stdout-path \"serial1\" names no node");
}

TEST(DtBootInfo, SummaryLines)
{
    const Blob b = load_fixture("qemu_virt.dtb");
    const Parsed p = parse(b);
    ASSERT_TRUE(p.ok);
    std::vector<std::string> lines;
    for (size_t n = 0;; ++n) {
        char storage[320];
        FmtBuffer out{storage, sizeof storage};
        if (!format_boot_info_line(p.info, n, out)) break;
        lines.push_back(out.c_str());
    }
    ASSERT_EQ(lines.size(), 8u);
    EXPECT_EQ(lines[0], "memory: [0x40000000,0x80000000) (1024 MiB); reserved: 0 range(s); dtb "
                        "[0x48000000,0x48000a69)");
    EXPECT_EQ(lines[1],
              "cpus: 2 (MPIDR 0x0 0x1); GICv3: GICD 0x8000000, GICR [0x80a0000,0x9000000)");
    EXPECT_EQ(lines[2], "timer INTIDs: secure 29, non-secure 30, virtual 27, hyp 26; PSCI: smc");
    EXPECT_EQ(lines[3], "console: PL011 at 0x9000000 (stdout-path \"/pl011@9000000\")");
    EXPECT_EQ(lines[4], "cmdline (xen,xen-bootargs): \"keel.selftest console=dtuart "
                        "sync_console\"; boot modules: 3");
    EXPECT_EQ(lines[5], "module 0: kernel [0x42000000,0x42800000) bootargs \"console=hvc0\"");
    EXPECT_EQ(lines[7], "module 2: ramdisk [0x4c000000,0x4c200000)");
}

// Whatever the blob, parse_boot_info returns (ok or one "device tree:" line),
// never reads outside it, and what it accepts satisfies BootInfo's promises.
void parse_mutation(const Blob& b)
{
    const Blob copy = b;  // exact size: ASan sees any overrun
    const Parsed p = parse(copy);
    if (!p.ok) {
        EXPECT_EQ(p.message.rfind("device tree: ", 0), 0u) << p.message;
        return;
    }
    const BootInfo& i = p.info;
    ASSERT_GE(i.memory_count, 1u);
    ASSERT_LE(i.memory_count, kMaxMemoryBanks);
    for (size_t k = 0; k + 1 < i.memory_count; ++k) {
        EXPECT_LE(i.memory[k].end(), i.memory[k + 1].base);
    }
    EXPECT_GE(i.cpu_count, 1u);
    EXPECT_LE(i.cpu_count, kMaxDtCpus);
    EXPECT_LE(i.reserved_count, kMaxReservedRanges);
    EXPECT_LE(i.module_count, kMaxBootModules);
    EXPECT_EQ(i.gic.version, 3u);
    EXPECT_NE(i.cmdline, nullptr);
    for (size_t n = 0; n < 64; ++n) {
        char storage[320];
        FmtBuffer out{storage, sizeof storage};
        if (!format_boot_info_line(i, n, out)) break;
    }
}

TEST(DtBootInfoRobustness, EveryByteFlipped)
{
    for (const char* name : {"qemu_virt.dtb", "reserved.dtb"}) {
        const Blob good = load_fixture(name);
        for (size_t pos = 0; pos < good.size(); ++pos) {
            Blob b = good;
            b[pos] ^= 0xff;
            parse_mutation(b);
            b[pos] = good[pos] ^ 0x01;
            parse_mutation(b);
        }
    }
}

}  // namespace
}  // namespace keel
