// SPDX-License-Identifier: MIT
//
// tests/unit/core/boot/dom0_dt_test.cpp
// Checks build_dom0_dt(): dom0's tree made from trees QEMU itself dumped
// (-smp 2 and 4) and from dom0_variants.dts, read back through keel's Fdt
// reader node by node against Xen 4.17 prepare_dtb_hwdom(): nodes kept and
// dropped, the rewritten GIC and timer, /chosen filtered, /hypervisor, /psci,
// /cpus and /memory appended; dtc accepting every blob; bad parameters,
// root cells other than 1/2, and small buffers (Errno::NoSpc, nothing written
// past the capacity).
#include "core/boot/dom0_dt.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <set>
#include <string>
#include <vector>

#include "../../support/dtb_builder.hpp"
#include "../../support/dtc_compile.hpp"
#include "../../support/run_dtc.hpp"

namespace keel {
namespace {

using test::Blob;
using test::compile_dts;
using test::load_fixture;
using test::run_dtc;

Dom0DtParams qemu_params(uint32_t vcpus)
{
    Dom0DtParams p;
    p.vcpus = vcpus;
    p.ram[0] = PhysRange{PhysAddr{0x50000000}, 768ull << 20};
    p.ram_count = 1;
    p.bootargs = "console=hvc0 earlycon=xenboot rdinit=/init";
    p.initrd = PhysRange{PhysAddr{0x58000000}, 0x123456};
    p.gnttab = PhysRange{PhysAddr{0x40200000}, 0x40000};
    p.evtchn_ppi = 16;
    p.filter.keel_uart = PhysAddr{0x9000000};
    return p;
}

struct Built {
    Blob host;
    Blob out;
    size_t size = 0;
    Fdt fdt() const { return Fdt{out.data(), size}; }
};

Built build(Blob host, const Dom0DtParams& p)
{
    Built b;
    b.host = std::move(host);
    const Fdt hf{b.host.data(), b.host.size()};
    b.out.resize(dom0_dt_capacity(hf, p));
    DtDiagnostic diag;
    auto r = build_dom0_dt(hf, p, b.out.data(), b.out.size(), &diag);
    EXPECT_TRUE(r.ok()) << diag.message();
    if (!r.ok()) return b;
    b.size = r.value();
    EXPECT_EQ(Fdt::check(b.out.data(), b.size), FdtError::None);
    EXPECT_EQ(run_dtc(b.out.data(), b.size), 0) << "dtc rejects the dom0 tree";
    return b;
}

std::vector<std::string> children(const Fdt& fdt, int node)
{
    std::vector<std::string> v;
    for (int c = fdt.first_child(node); c >= 0; c = fdt.next_sibling(c)) v.emplace_back(fdt.node_name(c));
    return v;
}

std::vector<uint32_t> cells(const Fdt& fdt, int node, const char* name)
{
    FdtProperty p;
    std::vector<uint32_t> v;
    if (!fdt.property(node, name, p)) return v;
    for (size_t i = 0; i < p.len / 4; ++i) v.push_back(p.u32_at(i));
    return v;
}

std::string raw(const Fdt& fdt, int node, const char* name)
{
    FdtProperty p;
    if (!fdt.property(node, name, p)) return "<absent>";
    return std::string(reinterpret_cast<const char*>(p.data), p.len);
}

int node(const Fdt& fdt, const char* path)
{
    const int n = fdt.path_offset(path);
    EXPECT_GE(n, 0) << path;
    return n;
}

TEST(Dom0Dt, QemuVirtSmp2)
{
    const Built b = build(load_fixture("dom0_qemu_virt_smp2.dtb"), qemu_params(2));
    ASSERT_NE(b.size, 0u);
    const Fdt fdt = b.fdt();
    const Blob& hb = b.host;
    const Fdt host{hb.data(), hb.size()};

    // Root children: the host's minus what dom0 does not get, in host order,
    // with the GIC and timer replaced in place; then Xen's appended nodes.
    std::vector<std::string> expected;
    for (const std::string& n : children(host, host.root())) {
        if (n == "psci" || n == "memory@40000000" || n == "pl011@9000000" || n == "pmu" || n == "cpus") continue;
        expected.push_back(n == "intc@8000000" ? "interrupt-controller" : n);
    }
    for (const char* n : {"hypervisor", "psci", "cpus", "memory@50000000"}) expected.emplace_back(n);
    EXPECT_EQ(children(fdt, fdt.root()), expected);
    EXPECT_EQ(expected.size(), 32u + 11u + 4u);  // 32 virtio-mmio, 11 other host nodes, 4 of keel's

    // The root's own properties are the host's.
    EXPECT_EQ(raw(fdt, fdt.root(), "compatible"), raw(host, host.root(), "compatible"));
    EXPECT_EQ(cells(fdt, fdt.root(), "interrupt-parent"), std::vector<uint32_t>{0x8003});

    // A copied device: every property as the host has it.
    const int virtio = node(fdt, "/virtio_mmio@a000000");
    const int hvirtio = node(host, "/virtio_mmio@a000000");
    for (const char* prop : {"dma-coherent", "interrupts", "reg", "compatible"})
        EXPECT_EQ(raw(fdt, virtio, prop), raw(host, hvirtio, prop)) << prop;
    const int pcie = node(fdt, "/pcie@10000000");
    for (const char* prop : {"interrupt-map", "interrupt-map-mask", "ranges", "reg", "msi-map", "device_type"})
        EXPECT_EQ(raw(fdt, pcie, prop), raw(host, node(host, "/pcie@10000000"), prop)) << prop;
    EXPECT_EQ(children(fdt, node(fdt, "/gpio-keys")), std::vector<std::string>{"poweroff"});

    // GIC: host phandle, GICD + the one redistributor region, no ITS.
    const int gic = node(fdt, "/interrupt-controller");
    EXPECT_EQ(cells(fdt, gic, "phandle"), std::vector<uint32_t>{0x8003});
    EXPECT_EQ(raw(fdt, gic, "compatible"), std::string("arm,gic-v3\0", 11));
    EXPECT_EQ(cells(fdt, gic, "#interrupt-cells"), std::vector<uint32_t>{3});
    EXPECT_EQ(cells(fdt, gic, "#address-cells"), std::vector<uint32_t>{2});
    EXPECT_EQ(cells(fdt, gic, "#size-cells"), std::vector<uint32_t>{2});
    EXPECT_EQ(cells(fdt, gic, "#redistributor-regions"), std::vector<uint32_t>{1});
    EXPECT_EQ(cells(fdt, gic, "reg"),
              (std::vector<uint32_t>{0, 0x8000000, 0, 0x10000, 0, 0x80a0000, 0, 0xf60000}));
    EXPECT_TRUE(fdt.has_property(gic, "interrupt-controller"));
    EXPECT_FALSE(fdt.has_property(gic, "interrupts"));
    EXPECT_TRUE(children(fdt, gic).empty());

    // Timer: the host's secure, non-secure and virtual PPIs, level-low, all CPUs.
    const int timer = node(fdt, "/timer");
    EXPECT_EQ(raw(fdt, timer, "compatible"), std::string("arm,armv8-timer\0", 16));
    EXPECT_EQ(cells(fdt, timer, "interrupts"),
              (std::vector<uint32_t>{1, 13, 0xf08, 1, 14, 0xf08, 1, 11, 0xf08}));
    EXPECT_EQ(cells(fdt, timer, "interrupt-parent"), std::vector<uint32_t>{0x8003});
    EXPECT_FALSE(fdt.has_property(timer, "clock-frequency"));
    EXPECT_FALSE(fdt.has_property(timer, "always-on"));

    // /chosen: ours bootargs and initrd; no stdout-path; the seeds kept.
    const int chosen = node(fdt, "/chosen");
    EXPECT_EQ(raw(fdt, chosen, "bootargs"), std::string("console=hvc0 earlycon=xenboot rdinit=/init\0", 43));
    EXPECT_EQ(cells(fdt, chosen, "linux,initrd-start"), (std::vector<uint32_t>{0, 0x58000000}));
    EXPECT_EQ(cells(fdt, chosen, "linux,initrd-end"), (std::vector<uint32_t>{0, 0x58123456}));
    EXPECT_FALSE(fdt.has_property(chosen, "stdout-path"));
    EXPECT_EQ(raw(fdt, chosen, "kaslr-seed"), raw(host, node(host, "/chosen"), "kaslr-seed"));
    EXPECT_EQ(raw(fdt, chosen, "rng-seed"), raw(host, node(host, "/chosen"), "rng-seed"));

    // /hypervisor.
    const int hyp = node(fdt, "/hypervisor");
    EXPECT_EQ(raw(fdt, hyp, "compatible"), std::string("xen,xen-4.17\0xen,xen\0", 21));
    EXPECT_EQ(cells(fdt, hyp, "reg"), (std::vector<uint32_t>{0, 0x40200000, 0, 0x40000}));
    EXPECT_EQ(cells(fdt, hyp, "interrupts"), (std::vector<uint32_t>{1, 0, 0xf08}));
    EXPECT_EQ(cells(fdt, hyp, "interrupt-parent"), std::vector<uint32_t>{0x8003});

    // /psci.
    const int psci = node(fdt, "/psci");
    EXPECT_EQ(raw(fdt, psci, "compatible"), std::string("arm,psci-1.0\0arm,psci-0.2\0arm,psci\0", 35));
    EXPECT_EQ(raw(fdt, psci, "method"), std::string("hvc\0", 4));
    EXPECT_EQ(cells(fdt, psci, "cpu_off"), std::vector<uint32_t>{1});
    EXPECT_EQ(cells(fdt, psci, "cpu_on"), std::vector<uint32_t>{2});

    // /cpus.
    const int cpus = node(fdt, "/cpus");
    EXPECT_EQ(children(fdt, cpus), (std::vector<std::string>{"cpu@0", "cpu@1"}));
    const int cpu1 = node(fdt, "/cpus/cpu@1");
    EXPECT_EQ(raw(fdt, cpu1, "compatible"), std::string("arm,cortex-a57\0", 15));
    EXPECT_EQ(raw(fdt, cpu1, "device_type"), std::string("cpu\0", 4));
    EXPECT_EQ(raw(fdt, cpu1, "enable-method"), std::string("psci\0", 5));
    EXPECT_EQ(cells(fdt, cpu1, "reg"), std::vector<uint32_t>{1});
    EXPECT_FALSE(fdt.has_property(cpu1, "clock-frequency"));

    // /memory: dom0's bank only.
    const int mem = node(fdt, "/memory@50000000");
    EXPECT_EQ(raw(fdt, mem, "device_type"), std::string("memory\0", 7));
    EXPECT_EQ(cells(fdt, mem, "reg"), (std::vector<uint32_t>{0, 0x50000000, 0, 0x30000000}));
    EXPECT_LT(fdt.path_offset("/memory@40000000"), 0);
}

TEST(Dom0Dt, QemuVirtSmp4VcpuNames)
{
    Dom0DtParams p = qemu_params(4);
    p.ram[1] = PhysRange{PhysAddr{0x100000000}, 0x40000000};
    p.ram_count = 2;
    p.bootargs = nullptr;
    p.initrd = PhysRange{};
    p.evtchn_ppi = 18;
    Built b = build(load_fixture("dom0_qemu_virt_smp4.dtb"), p);
    ASSERT_NE(b.size, 0u);
    Fdt fdt = b.fdt();
    EXPECT_EQ(children(fdt, node(fdt, "/cpus")), (std::vector<std::string>{"cpu@0", "cpu@1", "cpu@2", "cpu@3"}));
    EXPECT_EQ(cells(fdt, node(fdt, "/memory@50000000"), "reg"),
              (std::vector<uint32_t>{0, 0x50000000, 0, 0x30000000, 1, 0, 0, 0x40000000}));
    EXPECT_EQ(cells(fdt, node(fdt, "/hypervisor"), "interrupts"), (std::vector<uint32_t>{1, 2, 0xf08}));
    const int chosen = node(fdt, "/chosen");
    EXPECT_FALSE(fdt.has_property(chosen, "bootargs"));
    EXPECT_FALSE(fdt.has_property(chosen, "linux,initrd-start"));

    p.vcpus = 20;  // affinity: Aff0 = vcpu & 0xf, Aff1 = vcpu >> 4
    b = build(load_fixture("dom0_qemu_virt_smp4.dtb"), p);
    fdt = b.fdt();
    const auto names = children(fdt, node(fdt, "/cpus"));
    ASSERT_EQ(names.size(), 20u);
    EXPECT_EQ(names[15], "cpu@f");
    EXPECT_EQ(names[16], "cpu@100");
    EXPECT_EQ(cells(fdt, node(fdt, "/cpus/cpu@103"), "reg"), std::vector<uint32_t>{0x103});
}

TEST(Dom0Dt, Variants)
{
    Dom0DtParams p = qemu_params(2);
    p.ram[0] = PhysRange{PhysAddr{0x60000000}, 0x10000000};
    const Built b = build(load_fixture("dom0_variants.dtb"), p);
    ASSERT_NE(b.size, 0u);
    const Fdt fdt = b.fdt();

    const auto root = children(fdt, fdt.root());
    const std::set<std::string> names(root.begin(), root.end());
    EXPECT_EQ(root.size(), names.size()) << "duplicate node names";
    for (const char* gone : {"memory@40000000", "pl011@9000000", "ppi-user@9050000", "iommu@9070000", "pmu",
                             "interrupt-controller@2c000000", "interrupt-controller@8000000"})
        EXPECT_EQ(names.count(gone), 0u) << gone;
    for (const char* kept : {"reserved-memory", "pl011@9040000", "passthrough@9060000", "dma-master@9080000",
                             "gpio@9090000", "soc", "virtio_mmio@a000000", "virtio_mmio@a000200",
                             "pcie@10000000", "interrupt-controller", "timer", "chosen", "hypervisor", "psci",
                             "cpus", "memory@60000000", "memory@50000000"})
        EXPECT_EQ(names.count(kept), 1u) << kept;

    // /chosen: Xen's filter; module nodes gone, other children kept.
    const int chosen = node(fdt, "/chosen");
    EXPECT_EQ(children(fdt, chosen), std::vector<std::string>{"vendor-data"});
    for (const char* gone : {"xen,xen-bootargs", "xen,dom0-bootargs", "stdout-path", "linux,uefi-system-table",
                             "linux,uefi-mmap-start"})
        EXPECT_FALSE(fdt.has_property(chosen, gone)) << gone;
    EXPECT_EQ(raw(fdt, chosen, "bootargs"), std::string("console=hvc0 earlycon=xenboot rdinit=/init\0", 43));
    EXPECT_EQ(cells(fdt, chosen, "linux,initrd-start"), (std::vector<uint32_t>{0, 0x58000000}));
    EXPECT_EQ(cells(fdt, chosen, "kaslr-seed"), (std::vector<uint32_t>{0x11223344, 0x55667788}));

    // Ours is the only /hypervisor.
    EXPECT_EQ(raw(fdt, node(fdt, "/hypervisor"), "compatible"), std::string("xen,xen-4.17\0xen,xen\0", 21));

    // Two vCPUs fit in the first redistributor region (0x40000 = 2 frames).
    const int gic = node(fdt, "/interrupt-controller");
    EXPECT_EQ(cells(fdt, gic, "#redistributor-regions"), std::vector<uint32_t>{1});
    EXPECT_EQ(cells(fdt, gic, "reg").size(), 8u);

    // Timer frequency and CPU properties copied from the host.
    EXPECT_EQ(cells(fdt, node(fdt, "/timer"), "clock-frequency"), std::vector<uint32_t>{62500000});
    const int cpu0 = node(fdt, "/cpus/cpu@0");
    EXPECT_EQ(raw(fdt, cpu0, "compatible"), std::string("arm,cortex-a53\0arm,armv8\0", 25));
    EXPECT_EQ(cells(fdt, cpu0, "clock-frequency"), std::vector<uint32_t>{1000000000});

    // xen,passthrough: status "disabled" (once), the marker dropped.
    const int pt = node(fdt, "/passthrough@9060000");
    EXPECT_EQ(raw(fdt, pt, "status"), std::string("disabled\0", 9));
    EXPECT_FALSE(fdt.has_property(pt, "xen,passthrough"));
    int statuses = 0;
    FdtProperty prop;
    for (int off = fdt.next_property(pt, -1, prop); off >= 0; off = fdt.next_property(pt, off, prop))
        statuses += std::strcmp(prop.name, "status") == 0;
    EXPECT_EQ(statuses, 1);
    EXPECT_EQ(raw(fdt, node(fdt, "/pl011@9040000"), "status"), std::string("okay\0", 5));

    // No IOMMU for dom0: the master's link to it is gone, its interrupts stay.
    const int master = node(fdt, "/dma-master@9080000");
    EXPECT_FALSE(fdt.has_property(master, "iommus"));
    EXPECT_TRUE(fdt.has_property(master, "interrupts-extended"));

    // Nested buses copied whole; the reserved-memory ranges as a second memory node.
    EXPECT_GE(fdt.path_offset("/soc/sub/dev@180"), 0);
    EXPECT_GE(fdt.path_offset("/soc/i2c@5000/eeprom@50"), 0);
    EXPECT_GE(fdt.path_offset("/reserved-memory/dma-pool@50000000"), 0);
    EXPECT_EQ(cells(fdt, node(fdt, "/memory@50000000"), "reg"), (std::vector<uint32_t>{0, 0x50000000, 0, 0x100000}));
    EXPECT_EQ(cells(fdt, node(fdt, "/memory@60000000"), "reg"), (std::vector<uint32_t>{0, 0x60000000, 0, 0x10000000}));

    // Three vCPUs need the second redistributor region too.
    p.vcpus = 3;
    const Built b3 = build(load_fixture("dom0_variants.dtb"), p);
    const Fdt f3 = b3.fdt();
    const int gic3 = node(f3, "/interrupt-controller");
    EXPECT_EQ(cells(f3, gic3, "#redistributor-regions"), std::vector<uint32_t>{2});
    EXPECT_EQ(cells(f3, gic3, "reg"), (std::vector<uint32_t>{0, 0x8000000, 0, 0x10000, 0, 0x80a0000, 0, 0x40000,
                                                             0, 0x9100000, 0, 0x100000}));
}

TEST(Dom0Dt, MalformedDeviceLeftOutOfTheTreeToo)
{
    const Blob host = compile_dts(
        "/dts-v1/;\n/ { #address-cells = <2>; #size-cells = <2>; interrupt-parent = <0x8003>;\n"
        "intc@8000000 { phandle = <0x8003>; compatible = \"arm,gic-v3\"; interrupt-controller;\n"
        "  #interrupt-cells = <3>; reg = <0 0x8000000 0 0x10000>, <0 0x80a0000 0 0xf60000>; };\n"
        "timer { compatible = \"arm,armv8-timer\"; interrupts = <1 13 4>, <1 14 4>, <1 11 4>, <1 10 4>; };\n"
        "good@9010000 { reg = <0 0x9010000 0 0x1000>; interrupts = <0 2 4>; };\n"
        "bad@9020000 { reg = <0 0x9020000 0 0x1000 0>; child { }; };\n"
        "bus { #address-cells = <1>; #size-cells = <1>; ranges = <0 0 0x9030000 0x1000>;\n"
        "  ok@0 { reg = <0 0x100>; }; out@2000 { reg = <0x2000 0x100>; }; }; };");
    const Built b = build(host, qemu_params(1));
    ASSERT_NE(b.size, 0u);
    const Fdt fdt = b.fdt();
    EXPECT_GE(fdt.path_offset("/good@9010000"), 0);
    EXPECT_LT(fdt.path_offset("/bad@9020000"), 0);
    EXPECT_GE(fdt.path_offset("/bus/ok@0"), 0);
    EXPECT_LT(fdt.path_offset("/bus/out@2000"), 0);
    // No /chosen in the host: keel adds one for bootargs and the initrd.
    EXPECT_GE(fdt.path_offset("/chosen"), 0);
    EXPECT_TRUE(fdt.has_property(node(fdt, "/chosen"), "bootargs"));
}

TEST(Dom0Dt, RootCellsMustBeOneOrTwo)
{
    const std::string tail =
        "intc@8000000 { phandle = <0x8003>; compatible = \"arm,gic-v3\"; interrupt-controller;\n"
        "  #interrupt-cells = <3>; reg = <0 0 0x8000000 0 0 0x10000>, <0 0 0x80a0000 0 0 0xf60000>; };\n"
        "timer { interrupt-parent = <0x8003>; compatible = \"arm,armv8-timer\";\n"
        "  interrupts = <1 13 4>, <1 14 4>, <1 11 4>, <1 10 4>; }; };";
    const Blob host = compile_dts("/dts-v1/;\n/ { #address-cells = <3>; #size-cells = <3>;\n" + tail);
    const Fdt hf{host.data(), host.size()};
    std::vector<uint8_t> out(1 << 20);
    DtDiagnostic diag;
    auto r = build_dom0_dt(hf, qemu_params(1), out.data(), out.size(), &diag);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error(), Errno::Inval);
    EXPECT_NE(std::string(diag.message()).find("#address-cells 3"), std::string::npos) << diag.message();

    // One cell each: dom0 RAM above 4 GiB cannot be written.
    const Blob small = compile_dts(
        "/dts-v1/;\n/ { #address-cells = <1>; #size-cells = <1>;\n"
        "intc@8000000 { phandle = <0x8003>; compatible = \"arm,gic-v3\"; interrupt-controller;\n"
        "  #interrupt-cells = <3>; reg = <0x8000000 0x10000>, <0x80a0000 0xf60000>; };\n"
        "timer { interrupt-parent = <0x8003>; compatible = \"arm,armv8-timer\";\n"
        "  interrupts = <1 13 4>, <1 14 4>, <1 11 4>, <1 10 4>; }; };");
    const Fdt sf{small.data(), small.size()};
    Dom0DtParams p = qemu_params(1);
    auto ok = build_dom0_dt(sf, p, out.data(), out.size(), &diag);
    ASSERT_TRUE(ok.ok()) << diag.message();
    const Fdt o{out.data(), ok.value()};
    EXPECT_EQ(cells(o, o.path_offset("/memory@50000000"), "reg"), (std::vector<uint32_t>{0x50000000, 0x30000000}));
    EXPECT_EQ(cells(o, o.path_offset("/interrupt-controller"), "reg"),
              (std::vector<uint32_t>{0x8000000, 0x10000, 0x80a0000, 0xf60000}));
    p.ram[0] = PhysRange{PhysAddr{0x100000000}, 0x1000000};
    auto high = build_dom0_dt(sf, p, out.data(), out.size(), &diag);
    ASSERT_FALSE(high.ok());
    EXPECT_EQ(high.error(), Errno::Range);
}

TEST(Dom0Dt, BadParametersAreRefused)
{
    const Blob host = load_fixture("dom0_qemu_virt_smp2.dtb");
    const Fdt hf{host.data(), host.size()};
    std::vector<uint8_t> out(1 << 20);
    auto refuse = [&](Dom0DtParams p, const char* what) {
        auto r = build_dom0_dt(hf, p, out.data(), out.size());
        ASSERT_FALSE(r.ok()) << what;
        EXPECT_EQ(r.error(), Errno::Inval) << what;
    };
    Dom0DtParams p = qemu_params(2);
    p.vcpus = 0;
    refuse(p, "no vCPU");
    p.vcpus = kDom0MaxVcpus + 1;
    refuse(p, "too many vCPUs");
    p = qemu_params(2);
    p.ram_count = 0;
    refuse(p, "no RAM");
    p = qemu_params(2);
    p.ram[0].size = 0;
    refuse(p, "empty bank");
    p = qemu_params(2);
    p.gnttab.size = 0;
    refuse(p, "no grant window");
    p = qemu_params(2);
    p.evtchn_ppi = 15;
    refuse(p, "an SGI");
    p.evtchn_ppi = 32;
    refuse(p, "an SPI");
    p = qemu_params(2);
    p.initrd = PhysRange{PhysAddr{~uint64_t{0} - 10}, 100};
    refuse(p, "initrd wraps");
    // A truncated host blob.
    const Fdt cut{host.data(), 200};
    auto r = build_dom0_dt(cut, qemu_params(2), out.data(), out.size());
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error(), Errno::Inval);
}

TEST(Dom0Dt, SmallBuffersFailWithNoSpcAndWriteNothingPast)
{
    const Blob host = load_fixture("dom0_qemu_virt_smp2.dtb");
    const Fdt hf{host.data(), host.size()};
    const Dom0DtParams p = qemu_params(2);
    std::vector<uint8_t> full(dom0_dt_capacity(hf, p));
    auto need = build_dom0_dt(hf, p, full.data(), full.size());
    ASSERT_TRUE(need.ok());
    const size_t size = need.value();
    constexpr size_t kGuard = 64;
    std::vector<size_t> capacities = {0, 1, 39, 40, 100, size - 1, size - 4, size / 2};
    for (size_t c = 0; c < size; c += 509) capacities.push_back(c);
    for (size_t cap : capacities) {
        std::vector<uint8_t> buf(cap + kGuard, 0xa5);
        auto r = build_dom0_dt(hf, p, buf.data(), cap);
        ASSERT_FALSE(r.ok()) << cap;
        EXPECT_EQ(r.error(), Errno::NoSpc) << cap;
        for (size_t i = cap; i < buf.size(); ++i) ASSERT_EQ(buf[i], 0xa5) << "byte " << i << " of " << cap;
    }
    std::vector<uint8_t> exact(size);
    auto r = build_dom0_dt(hf, p, exact.data(), exact.size());
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value(), size);
    EXPECT_EQ(std::memcmp(exact.data(), full.data(), size), 0);
}

}  // namespace
}  // namespace keel
