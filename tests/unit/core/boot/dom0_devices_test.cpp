// SPDX-License-Identifier: MIT
//
// tests/unit/core/boot/dom0_devices_test.cpp
// Checks collect_dom0_devices() and dom0_node_action() against Xen 4.17's
// handle_node()/handle_device() on trees QEMU itself dumped (the §1.6 worked
// example: what dom0 gets on virt, the MMIO and SPI lists, the event-channel
// PPI) and on hand-written ones: every rule of dom0_variants.dts, and
// malformed devices (left out with one line naming node and property) versus
// an unusable GIC or timer and overflowing arrays (the whole step fails).
#include "core/boot/dom0_devices.hpp"

#include <gtest/gtest.h>

#include <algorithm>
#include <string>
#include <vector>

#include "../../support/dtb_builder.hpp"
#include "../../support/dtc_compile.hpp"

namespace keel {
namespace {

using test::Blob;
using test::compile_dts;
using test::load_fixture;

constexpr PhysAddr kUart{0x9000000};

struct Collected {
    Blob blob;
    Dom0Devices dev;
    DtDiagnostic diag;
    std::vector<std::string> log;
    Result<void> result{Errno::Inval};
};

void log_line(void* ctx, const char* text) { static_cast<std::vector<std::string>*>(ctx)->push_back(text); }

Collected collect(Blob blob, PhysAddr uart = kUart)
{
    Collected c;
    c.blob = std::move(blob);
    const Fdt fdt{c.blob.data(), c.blob.size()};
    c.result = collect_dom0_devices(fdt, Dom0DeviceFilter{uart}, c.dev, c.diag, Dom0Log{log_line, &c.log});
    return c;
}

bool has_mmio(const Dom0Devices& d, uint64_t base, uint64_t size)
{
    for (size_t i = 0; i < d.mmio_count; ++i)
        if (d.mmio[i].base.raw() == base && d.mmio[i].size == size) return true;
    return false;
}

bool mmio_touches(const Dom0Devices& d, uint64_t addr)
{
    for (size_t i = 0; i < d.mmio_count; ++i)
        if (d.mmio[i].contains(PhysAddr{addr})) return true;
    return false;
}

// 1 edge, 0 level, -1 absent.
int spi(const Dom0Devices& d, uint32_t intid)
{
    for (size_t i = 0; i < d.irq_count; ++i)
        if (d.irq[i].intid == intid) return d.irq[i].edge ? 1 : 0;
    return -1;
}

Dom0NodeAction action_of(const Blob& blob, const char* path, PhysAddr uart = kUart)
{
    const Fdt fdt{blob.data(), blob.size()};
    DtDiagnostic diag;
    auto host = find_dom0_host(fdt, Dom0DeviceFilter{uart}, diag);
    EXPECT_TRUE(host.ok()) << diag.message();
    const int node = fdt.path_offset(path);
    EXPECT_GE(node, 0) << path;
    DtDiagnostic why;
    auto a = dom0_node_action(fdt, node, host.value(), nullptr, why);
    EXPECT_TRUE(a.ok()) << path << ": " << why.message();
    return a.ok() ? a.value() : Dom0NodeAction::Skip;
}

TEST(Dom0Devices, QemuVirtWorkedExample)
{
    const Collected c = collect(load_fixture("dom0_qemu_virt_smp2.dtb"));
    ASSERT_TRUE(c.result.ok()) << c.diag.message();
    EXPECT_TRUE(c.log.empty()) << c.log.front();
    EXPECT_EQ(c.dev.nodes_dropped, 0u);

    // MMIO, page-rounded, 1:1.
    EXPECT_TRUE(has_mmio(c.dev, 0x9010000, 0x1000));      // pl031
    EXPECT_TRUE(has_mmio(c.dev, 0x9020000, 0x1000));      // fw-cfg (0x18 bytes)
    EXPECT_TRUE(has_mmio(c.dev, 0x9030000, 0x1000));      // pl061
    for (uint64_t page = 0xa000000; page < 0xa004000; page += 0x1000)
        EXPECT_TRUE(has_mmio(c.dev, page, 0x1000)) << std::hex << page;  // 32 virtio-mmio, 8 a page
    EXPECT_TRUE(has_mmio(c.dev, 0x4010000000, 0x10000000));  // PCIe ECAM
    EXPECT_TRUE(has_mmio(c.dev, 0x3eff0000, 0x10000));       // PCI I/O window
    EXPECT_TRUE(has_mmio(c.dev, 0x10000000, 0x2eff0000));    // 32-bit window
    EXPECT_TRUE(has_mmio(c.dev, 0x8000000000, 0x8000000000));  // 64-bit window
    EXPECT_TRUE(has_mmio(c.dev, 0x0, 0x4000000));            // flash bank 0
    EXPECT_TRUE(has_mmio(c.dev, 0x4000000, 0x4000000));      // flash bank 1
    EXPECT_EQ(c.dev.mmio_count, 13u);
    EXPECT_FALSE(mmio_touches(c.dev, 0x9000000));  // keel's console
    EXPECT_FALSE(mmio_touches(c.dev, 0x8000000));  // GICD
    EXPECT_FALSE(mmio_touches(c.dev, 0x80a0000));  // GICR
    EXPECT_FALSE(mmio_touches(c.dev, 0x8080000));  // ITS
    EXPECT_FALSE(mmio_touches(c.dev, 0xc000000));  // platform-bus has no reg

    // SPIs with their trigger.
    EXPECT_EQ(spi(c.dev, 32 + 2), 0);  // pl031, level
    EXPECT_EQ(spi(c.dev, 32 + 7), 0);  // pl061
    for (uint32_t s = 16; s < 48; ++s) EXPECT_EQ(spi(c.dev, 32 + s), 1) << s;  // virtio, edge
    for (uint32_t s = 3; s <= 6; ++s) EXPECT_EQ(spi(c.dev, 32 + s), 0) << s;   // PCIe INTx
    EXPECT_EQ(spi(c.dev, 32 + 1), -1);  // keel's UART
    EXPECT_EQ(c.dev.irq_count, 2u + 32u + 4u);

    // Timer PPIs 26 (hyp), 27 (virt), 29 (secure), 30 (non-secure); event channel 16.
    EXPECT_EQ(c.dev.ppis_used, (1u << 10) | (1u << 11) | (1u << 13) | (1u << 14));
    EXPECT_EQ(dom0_evtchn_ppi(c.dev), 16u);
}

TEST(Dom0Devices, QemuVirtNodeActions)
{
    const Blob blob = load_fixture("dom0_qemu_virt_smp4.dtb");
    const std::pair<const char*, Dom0NodeAction> expected[] = {
        {"/pl031@9010000", Dom0NodeAction::Copy},
        {"/pl061@9030000", Dom0NodeAction::Copy},
        {"/fw-cfg@9020000", Dom0NodeAction::Copy},
        {"/virtio_mmio@a000000", Dom0NodeAction::Copy},
        {"/virtio_mmio@a003e00", Dom0NodeAction::Copy},
        {"/pcie@10000000", Dom0NodeAction::Copy},
        {"/flash@0", Dom0NodeAction::Copy},
        {"/platform-bus@c000000", Dom0NodeAction::Copy},
        {"/gpio-keys", Dom0NodeAction::Copy},
        {"/apb-pclk", Dom0NodeAction::Copy},
        {"/chosen", Dom0NodeAction::Copy},
        {"/pl011@9000000", Dom0NodeAction::Skip},
        {"/pmu", Dom0NodeAction::Skip},
        {"/psci", Dom0NodeAction::Skip},
        {"/cpus", Dom0NodeAction::Skip},
        {"/memory@40000000", Dom0NodeAction::Skip},
        {"/intc@8000000", Dom0NodeAction::ReplaceGic},
        {"/timer", Dom0NodeAction::ReplaceTimer},
    };
    for (const auto& [path, action] : expected)
        EXPECT_EQ(action_of(blob, path), action) << path << " is " << dom0_node_action_name(action_of(blob, path));
    // Without a console UART of keel's, the PL011 is dom0's.
    EXPECT_EQ(action_of(blob, "/pl011@9000000", PhysAddr{0}), Dom0NodeAction::Copy);
}

TEST(Dom0Devices, Variants)
{
    const Collected c = collect(load_fixture("dom0_variants.dtb"));
    ASSERT_TRUE(c.result.ok()) << c.diag.message();
    EXPECT_EQ(c.dev.nodes_dropped, 0u);
    ASSERT_EQ(c.log.size(), 1u);
    EXPECT_NE(c.log[0].find("/hypervisor is a path keel writes itself"), std::string::npos) << c.log[0];

    const Blob& b = c.blob;
    EXPECT_EQ(action_of(b, "/chosen/module@48000000"), Dom0NodeAction::Skip);
    EXPECT_EQ(action_of(b, "/chosen/vendor-data"), Dom0NodeAction::Copy);
    EXPECT_EQ(action_of(b, "/hypervisor"), Dom0NodeAction::Skip);
    EXPECT_EQ(action_of(b, "/reserved-memory/dma-pool@50000000"), Dom0NodeAction::Copy);
    EXPECT_EQ(action_of(b, "/interrupt-controller@8000000"), Dom0NodeAction::ReplaceGic);
    EXPECT_EQ(action_of(b, "/interrupt-controller@2c000000"), Dom0NodeAction::Skip);  // secondary GIC
    EXPECT_EQ(action_of(b, "/pl011@9040000"), Dom0NodeAction::Copy);
    EXPECT_EQ(action_of(b, "/ppi-user@9050000"), Dom0NodeAction::Skip);
    EXPECT_EQ(action_of(b, "/passthrough@9060000"), Dom0NodeAction::Passthrough);
    EXPECT_EQ(action_of(b, "/iommu@9070000"), Dom0NodeAction::Skip);
    EXPECT_EQ(action_of(b, "/dma-master@9080000"), Dom0NodeAction::Copy);
    EXPECT_EQ(action_of(b, "/soc/i2c@5000/eeprom@50"), Dom0NodeAction::Copy);

    const Dom0Devices& d = c.dev;
    EXPECT_TRUE(has_mmio(d, 0x50000000, 0x100000));  // reserved-memory: mapped, as Xen
    EXPECT_TRUE(has_mmio(d, 0x9040000, 0x1000));
    EXPECT_TRUE(has_mmio(d, 0x9080000, 0x1000));
    EXPECT_TRUE(has_mmio(d, 0x9090000, 0x1000));
    EXPECT_TRUE(has_mmio(d, 0x20010000, 0x1000));   // sub/dev@180: 0x180 → 0x10080 → 0x20010080
    EXPECT_TRUE(has_mmio(d, 0x20004000, 0x1000));   // identity ranges
    EXPECT_TRUE(has_mmio(d, 0x20005000, 0x1000));   // i2c controller
    EXPECT_TRUE(has_mmio(d, 0x20006000, 0x3000));   // [0x20006010, 0x20008010) page-rounded
    EXPECT_TRUE(has_mmio(d, 0xa000000, 0x1000));    // two virtio nodes, one page, once
    EXPECT_TRUE(has_mmio(d, 0x4010000000, 0x10000000));
    EXPECT_TRUE(has_mmio(d, 0x3eff0000, 0x10000));
    EXPECT_TRUE(has_mmio(d, 0x10000000, 0x2eff0000));
    EXPECT_EQ(d.mmio_count, 12u);
    EXPECT_FALSE(mmio_touches(d, 0x9060000));  // passthrough: nothing mapped
    EXPECT_FALSE(mmio_touches(d, 0x9070000));  // SMMU
    EXPECT_FALSE(mmio_touches(d, 0x9050000));  // PPI user
    EXPECT_FALSE(mmio_touches(d, 0x9100000));  // second redistributor region

    EXPECT_EQ(spi(d, 32 + 8), 1);   // pl011@9040000, edge rising
    EXPECT_EQ(spi(d, 32 + 12), 0);  // interrupts-extended: the GIC entry; the GPIO one ignored
    EXPECT_EQ(spi(d, 32 + 7), 0);   // gpio controller
    EXPECT_EQ(spi(d, 32 + 13), 0);  // level low
    EXPECT_EQ(spi(d, 32 + 14), 1);  // edge falling
    EXPECT_EQ(spi(d, 32 + 16), 1);  // virtio and PCIe interrupt-map share it: once
    EXPECT_EQ(spi(d, 32 + 17), 1);
    EXPECT_EQ(spi(d, 32 + 3), 0);   // PCIe interrupt-map
    EXPECT_EQ(spi(d, 32 + 10), -1);  // passthrough: not routed
    EXPECT_EQ(spi(d, 32 + 9), -1);   // the PPI user's SPI: node kept by keel
    EXPECT_EQ(spi(d, 32 + 11), -1);  // SMMU
    EXPECT_EQ(spi(d, 32 + 1), -1);   // keel's UART
    EXPECT_EQ(d.irq_count, 8u);
    // The SPI shared by a virtio node and the interrupt-map is listed once.
    EXPECT_EQ(std::count_if(d.irq, d.irq + d.irq_count, [](const Dom0Irq& i) { return i.intid == 48; }), 1);
}

TEST(Dom0Devices, EvtchnPpiIsLowestFree)
{
    Dom0Devices d;
    d.ppis_used = 0;
    EXPECT_EQ(dom0_evtchn_ppi(d), 16u);
    d.ppis_used = 0x7;
    EXPECT_EQ(dom0_evtchn_ppi(d), 19u);
    d.ppis_used = 0xffff & ~(1u << 15);
    EXPECT_EQ(dom0_evtchn_ppi(d), 31u);
    d.ppis_used = 0xffff;
    EXPECT_EQ(dom0_evtchn_ppi(d), 0u);
}

// A small host: GIC, timer, a good device, and `extra`.
std::string small_host(const std::string& extra, const std::string& gic_cells = "#interrupt-cells = <3>;",
                       const std::string& timer_irqs = "<1 13 4>, <1 14 4>, <1 11 4>, <1 10 4>")
{
    return "/dts-v1/;\n/ {\n#address-cells = <2>; #size-cells = <2>; interrupt-parent = <0x8003>;\n"
           "intc@8000000 { phandle = <0x8003>; compatible = \"arm,gic-v3\"; interrupt-controller;\n"
           "  reg = <0 0x8000000 0 0x10000>, <0 0x80a0000 0 0xf60000>; " +
           gic_cells +
           " };\n"
           "timer { compatible = \"arm,armv8-timer\"; interrupts = " +
           timer_irqs +
           "; };\n"
           "good@9010000 { compatible = \"vendor,good\"; reg = <0 0x9010000 0 0x1000>; interrupts = <0 2 4>; };\n" +
           extra + "\n};\n";
}

// One malformed device: collect succeeds, the device is left out with one
// line naming it and `what`, the good device is still there.
void expect_dropped(const std::string& extra, const char* node, const char* what)
{
    SCOPED_TRACE(extra);
    const Collected c = collect(compile_dts(small_host(extra)));
    ASSERT_TRUE(c.result.ok()) << c.diag.message();
    EXPECT_EQ(c.dev.nodes_dropped, 1u);
    ASSERT_EQ(c.log.size(), 1u);
    EXPECT_NE(c.log[0].find(node), std::string::npos) << c.log[0];
    EXPECT_NE(c.log[0].find(what), std::string::npos) << c.log[0];
    EXPECT_NE(c.log[0].find("left out of dom0"), std::string::npos) << c.log[0];
    EXPECT_TRUE(has_mmio(c.dev, 0x9010000, 0x1000));
    EXPECT_EQ(spi(c.dev, 34), 0);
    EXPECT_FALSE(mmio_touches(c.dev, 0x9020000));
    EXPECT_EQ(spi(c.dev, 32 + 20), -1);
}

TEST(Dom0Devices, MalformedDevicesAreLeftOut)
{
    expect_dropped("bad@9020000 { reg = <0 0x9020000 0 0x1000 0>; interrupts = <0 20 4>; };", "/bad@9020000",
                   "\"reg\" is 20 bytes, not a multiple of 16");
    expect_dropped("bad@9020000 { reg = <0 0x9020000 0 0x1000>; interrupts = <0 20>; };", "/bad@9020000",
                   "\"interrupts\" is 8 bytes, not a multiple of 12");
    expect_dropped("bad@9020000 { reg = <0 0x9020000 0 0x1000>; interrupt-parent = <0x999>; interrupts = <0 20 4>; };",
                   "/bad@9020000", "\"interrupt-parent\" <0x999> names no node");
    expect_dropped("bad@9020000 { reg = <0 0x9020000 0 0x1000>; interrupts-extended = <0x999 0 20 4>; };",
                   "/bad@9020000", "\"interrupts-extended\" <0x999> names no node");
    expect_dropped("bad@9020000 { reg = <0 0x9020000 0 0x1000>; interrupts-extended = <0x8003 0 20>; };",
                   "/bad@9020000", "ends inside entry 0");
    expect_dropped("bad@9020000 { reg = <0 0x9020000 0 0x1000>; interrupts = <5 20 4>; };", "/bad@9020000",
                   "neither an SPI nor a PPI");
    expect_dropped("bad@9020000 { reg = <0 0x9020000 0 0x1000>; interrupts = <0 1000 4>; };", "/bad@9020000",
                   "neither an SPI nor a PPI");
    expect_dropped("bus { #address-cells = <1>; #size-cells = <1>; ranges = <0 0 0x9020000 0x1000 7>;\n"
                   "  bad@0 { reg = <0 0x100>; interrupts = <0 20 4>; }; };",
                   "/bus", "\"ranges\" is 20 bytes, not a multiple of 16");
    expect_dropped("bus { #address-cells = <1>; #size-cells = <1>; ranges = <0 0 0x9020000 0x1000>;\n"
                   "  bad@2000 { reg = <0x2000 0x100>; interrupts = <0 20 4>; }; };",
                   "/bus/bad@2000", "is in no \"ranges\" entry of /bus");
    expect_dropped("bus { #address-cells = <4>; #size-cells = <1>; ranges;\n"
                   "  bad@0 { reg = <0 0 0 0x9020000 0x100>; interrupts = <0 20 4>; }; };",
                   "/bus/bad@0", "#address-cells 4");
    expect_dropped("keels@8000000 { reg = <0 0x8001000 0 0x1000>, <0 0x9020000 0 0x1000>; interrupts = <0 20 4>; };",
                   "/keels@8000000", "overlaps keel's own device");
    expect_dropped("pcie@10000000 { device_type = \"pci\"; #address-cells = <3>; #size-cells = <2>;\n"
                   "  #interrupt-cells = <1>; ranges = <0x2000000 0 0x10000000 0 0x10000000 0 0x1000 0>;\n"
                   "  reg = <0 0x9020000 0 0x1000>; };",
                   "/pcie@10000000", "\"ranges\" is 32 bytes, not a multiple of 28");
    expect_dropped("pcie@10000000 { device_type = \"pci\"; #address-cells = <3>; #size-cells = <2>;\n"
                   "  #interrupt-cells = <1>; reg = <0 0x9020000 0 0x1000>;\n"
                   "  interrupt-map = <0 0 0 1 0x8003 0 20>; };",
                   "/pcie@10000000", "\"interrupt-map\" ends inside entry 0");
    expect_dropped("pcie@10000000 { device_type = \"pci\"; #address-cells = <3>; #size-cells = <2>;\n"
                   "  #interrupt-cells = <1>; reg = <0 0x9020000 0 0x1000>;\n"
                   "  interrupt-map = <0 0 0 1 0x8003 1 4 4>; };",
                   "/pcie@10000000", "is a PPI");
    expect_dropped("pcie@10000000 { device_type = \"pci\"; #address-cells = <3>; #size-cells = <2>;\n"
                   "  #interrupt-cells = <1>; reg = <0 0x9020000 0 0x1000>;\n"
                   "  interrupt-map = <0 0 0 1 0x777 0 0 0 20 4>; };",
                   "/pcie@10000000", "phandle <0x777> names no node");
}

TEST(Dom0Devices, DeepTreesAreCutAtTheLimit)
{
    std::string nest;
    for (int i = 0; i < kDom0MaxDepth + 4; ++i) nest += "n" + std::to_string(i) + " { ";
    for (int i = 0; i < kDom0MaxDepth + 4; ++i) nest += "}; ";
    const Collected c = collect(compile_dts(small_host(nest)));
    ASSERT_TRUE(c.result.ok()) << c.diag.message();
    EXPECT_EQ(c.dev.nodes_dropped, 1u);
    ASSERT_EQ(c.log.size(), 1u);
    EXPECT_NE(c.log[0].find("nested deeper than"), std::string::npos) << c.log[0];
}

TEST(Dom0Devices, UnusableGicOrTimerFails)
{
    struct Case {
        std::string dts;
        Errno error;
        const char* text;
    };
    const Case cases[] = {
        {"/dts-v1/;\n/ { #address-cells = <2>; #size-cells = <2>; timer { compatible = \"arm,armv8-timer\"; }; };",
         Errno::NoDev, "no GICv3"},
        {small_host("", "#interrupt-cells = <2>;"), Errno::Inval, "#interrupt-cells"},
        {small_host("", "#interrupt-cells = <3>; #redistributor-regions = <2>;"), Errno::Inval,
         "#redistributor-regions 2 but 2 \"reg\" entries"},
        {small_host("", "#interrupt-cells = <3>;", "<1 13 4>, <1 14 4>, <1 11 4>"), Errno::Inval, "lists 3 interrupts"},
        {small_host("", "#interrupt-cells = <3>;", "<1 13 4>, <1 14 4>, <1 11 4>, <0 10 4>"), Errno::Inval, "is not a PPI"},
        {small_host("", "#interrupt-cells = <3>;", "<1 13 4>, <1 14 4>, <1 11 4>, <1 10>"), Errno::Inval, "timer unusable"},
    };
    for (const Case& k : cases) {
        SCOPED_TRACE(k.dts);
        const Collected c = collect(compile_dts(k.dts));
        ASSERT_FALSE(c.result.ok());
        EXPECT_EQ(c.result.error(), k.error);
        EXPECT_NE(std::string(c.diag.message()).find(k.text), std::string::npos) << c.diag.message();
    }
}

TEST(Dom0Devices, GicWithoutPhandleGetsAFreeOne)
{
    Blob blob = compile_dts(
        "/dts-v1/;\n/ { #address-cells = <2>; #size-cells = <2>;\n"
        "intc@8000000 { compatible = \"arm,gic-v3\"; interrupt-controller; #interrupt-cells = <3>;\n"
        "  reg = <0 0x8000000 0 0x10000>, <0 0x80a0000 0 0xf60000>;\n"
        "  timer { compatible = \"arm,armv8-timer\"; interrupts = <1 13 4>, <1 14 4>, <1 11 4>, <1 10 4>; }; };\n"
        "clk { phandle = <0x41>; }; };");
    const Fdt fdt{blob.data(), blob.size()};
    DtDiagnostic diag;
    auto h = find_dom0_host(fdt, Dom0DeviceFilter{}, diag);
    ASSERT_TRUE(h.ok()) << diag.message();
    EXPECT_EQ(h.value().gic_phandle, 0x42u);
    EXPECT_TRUE(h.value().gic_phandle_new);
}

TEST(Dom0Devices, TooManyDevicesIsAnError)
{
    std::string many;
    char line[160];
    for (unsigned i = 0; i < kDom0MaxMmio + 2; ++i) {
        std::snprintf(line, sizeof line, "d%u@%x { reg = <0 0x%x 0 0x1000>; };\n", i, 0x20000000 + i * 0x1000,
                      0x20000000 + i * 0x1000);
        many += line;
    }
    Collected c = collect(compile_dts(small_host(many)));
    ASSERT_FALSE(c.result.ok());
    EXPECT_EQ(c.result.error(), Errno::NoSpc);
    EXPECT_NE(std::string(c.diag.message()).find("more than 128 MMIO ranges"), std::string::npos)
        << c.diag.message();

    std::string irqs;
    for (unsigned i = 0; i < kDom0MaxIrqs + 2; ++i) {
        std::snprintf(line, sizeof line, "i%u { interrupts = <0 %u 4>; };\n", i, 100 + i);
        irqs += line;
    }
    c = collect(compile_dts(small_host(irqs)));
    ASSERT_FALSE(c.result.ok());
    EXPECT_EQ(c.result.error(), Errno::NoSpc);
    EXPECT_NE(std::string(c.diag.message()).find("more than 288 SPIs"), std::string::npos) << c.diag.message();
}

TEST(Dom0Devices, TruncatedBlobFails)
{
    Blob blob = load_fixture("dom0_qemu_virt_smp2.dtb");
    const Fdt full{blob.data(), blob.size()};
    blob.resize(full.total_size() / 2);
    const Collected c = collect(blob);
    ASSERT_FALSE(c.result.ok());
    EXPECT_EQ(c.result.error(), Errno::Inval);
    EXPECT_NE(std::string(c.diag.message()).find("the host tree is malformed: "), std::string::npos)
        << c.diag.message();

    // A property whose length runs past the structure block.
    Blob bad = test::DtbBuilder{}
                   .begin_node("")
                   .prop_cells("#address-cells", {2})
                   .u32(test::DtbBuilder::kProp)
                   .u32(4096)
                   .u32(0)
                   .u32(0)
                   .end_node()
                   .end()
                   .finish();
    const Collected t = collect(bad);
    ASSERT_FALSE(t.result.ok());
    EXPECT_EQ(t.result.error(), Errno::Inval);
}

}  // namespace
}  // namespace keel
