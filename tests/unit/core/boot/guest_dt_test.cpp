// SPDX-License-Identifier: MIT
//
// tests/unit/core/boot/guest_dt_test.cpp
// Checks build_guest_dt(): the generated tree read back through keel's Fdt
// reader, node by node and property by property against what Xen 4.17's
// prepare_dtb_domU() writes (1, 2, 4 and 128 vCPUs; RAM above 3 GiB gives the
// second bank; each optional node), dtc accepting the blob, and small buffers.
#include "core/boot/guest_dt.hpp"

#include <gtest/gtest.h>

#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include <unistd.h>
#include <vector>

#include "lib/fdt.hpp"
#include "../../support/run_dtc.hpp"

namespace keel {
namespace {

using test::run_dtc;

GuestDtParams anchor_params(uint32_t vcpus, uint64_t ram_bytes)
{
    GuestDtParams p;
    p.vcpus = vcpus;
    auto ram = split_guest_ram(ram_bytes);
    EXPECT_TRUE(ram.ok());
    p.ram = ram.value();
    p.bootargs = "console=ttyAMA0 earlycon=pl011,0x22000000 rdinit=/init";
    p.initrd = GuestRange{GuestPhysAddr{0x48200000}, 0x1a3b2c};
    p.vpl011 = true;
    return p;
}

struct Built {
    std::vector<uint8_t> blob;
    size_t size = 0;
    Fdt fdt() const { return Fdt{blob.data(), size}; }
};

Built build(const GuestDtParams& p)
{
    Built b;
    b.blob.resize(kGuestDtMaxSize);
    auto size = build_guest_dt(p, b.blob.data(), b.blob.size());
    EXPECT_TRUE(size.ok()) << errno_name(size.ok() ? Errno::Inval : size.error());
    if (!size.ok()) return b;
    b.size = size.value();
    EXPECT_EQ(Fdt::check(b.blob.data(), b.size), FdtError::None);
    return b;
}

uint32_t u32(const Fdt& fdt, int node, const char* name)
{
    FdtProperty p;
    EXPECT_TRUE(fdt.property(node, name, p)) << name;
    EXPECT_EQ(p.len, 4u) << name;
    return p.u32_at(0);
}

std::string str(const Fdt& fdt, int node, const char* name)
{
    FdtProperty p;
    if (!fdt.property(node, name, p) || p.as_string() == nullptr) return "<absent>";
    return p.as_string();
}

// A property as a list of 32-bit cells.
std::vector<uint32_t> cells(const Fdt& fdt, int node, const char* name)
{
    FdtProperty p;
    std::vector<uint32_t> v;
    if (!fdt.property(node, name, p)) return v;
    EXPECT_EQ(p.len % 4, 0u) << name;
    for (size_t i = 0; i < p.len / 4; ++i) v.push_back(p.u32_at(i));
    return v;
}

std::vector<std::string> strings(const Fdt& fdt, int node, const char* name)
{
    FdtProperty p;
    std::vector<std::string> v;
    if (!fdt.property(node, name, p)) return v;
    for (size_t i = 0; p.string_at(i) != nullptr; ++i) v.push_back(p.string_at(i));
    return v;
}

std::vector<std::string> child_names(const Fdt& fdt, int node)
{
    std::vector<std::string> v;
    for (int c = fdt.first_child(node); c >= 0; c = fdt.next_sibling(c))
        v.push_back(fdt.node_name(c));
    return v;
}

using Cells = std::vector<uint32_t>;
using Strings = std::vector<std::string>;

TEST(GuestDt, AnchorDomUTwoVcpus)
{
    const Built b = build(anchor_params(2, 256u << 20));
    const Fdt fdt = b.fdt();
    const int root = fdt.root();

    // Xen's order; no /hypervisor without xen,enhanced.
    EXPECT_EQ(child_names(fdt, root),
              (Strings{"chosen", "psci", "cpus", "memory@40000000", "interrupt-controller@3001000",
                       "timer", "sbsa-uart@22000000"}));
    EXPECT_EQ(u32(fdt, root, "#address-cells"), 2u);
    EXPECT_EQ(u32(fdt, root, "#size-cells"), 2u);
    EXPECT_FALSE(fdt.has_property(root, "model"));  // Xen's dom0less writes no identity
    EXPECT_FALSE(fdt.has_property(root, "compatible"));
    EXPECT_FALSE(fdt.has_property(root, "interrupt-parent"));
    EXPECT_EQ(fdt.memreserve_count(), 0u);

    const int chosen = fdt.path_offset("/chosen");
    ASSERT_GE(chosen, 0);
    EXPECT_EQ(str(fdt, chosen, "bootargs"),
              "console=ttyAMA0 earlycon=pl011,0x22000000 rdinit=/init");
    EXPECT_EQ(cells(fdt, chosen, "linux,initrd-start"), (Cells{0, 0x48200000}));
    EXPECT_EQ(cells(fdt, chosen, "linux,initrd-end"), (Cells{0, 0x483a3b2c}));
    EXPECT_FALSE(fdt.has_property(chosen, "stdout-path"));

    const int psci = fdt.path_offset("/psci");
    ASSERT_GE(psci, 0);
    EXPECT_EQ(strings(fdt, psci, "compatible"),
              (Strings{"arm,psci-1.0", "arm,psci-0.2", "arm,psci"}));
    EXPECT_EQ(str(fdt, psci, "method"), "hvc");
    EXPECT_EQ(u32(fdt, psci, "cpu_off"), 1u);
    EXPECT_EQ(u32(fdt, psci, "cpu_on"), 2u);

    const int cpus = fdt.path_offset("/cpus");
    ASSERT_GE(cpus, 0);
    EXPECT_EQ(u32(fdt, cpus, "#address-cells"), 1u);
    EXPECT_EQ(u32(fdt, cpus, "#size-cells"), 0u);
    EXPECT_EQ(child_names(fdt, cpus), (Strings{"cpu@0", "cpu@1"}));
    for (uint32_t i = 0; i < 2; ++i) {
        const int cpu = fdt.path_offset(i == 0 ? "/cpus/cpu@0" : "/cpus/cpu@1");
        ASSERT_GE(cpu, 0);
        EXPECT_EQ(str(fdt, cpu, "device_type"), "cpu");
        EXPECT_EQ(strings(fdt, cpu, "compatible"), (Strings{"arm,armv8"}));
        EXPECT_EQ(str(fdt, cpu, "enable-method"), "psci");
        EXPECT_EQ(u32(fdt, cpu, "reg"), i);
        EXPECT_FALSE(fdt.has_property(cpu, "clock-frequency"));
    }

    const int mem = fdt.path_offset("/memory@40000000");
    ASSERT_GE(mem, 0);
    EXPECT_EQ(str(fdt, mem, "device_type"), "memory");
    EXPECT_EQ(cells(fdt, mem, "reg"), (Cells{0, 0x40000000, 0, 0x10000000}));

    const int gic = fdt.path_offset("/interrupt-controller@3001000");
    ASSERT_GE(gic, 0);
    EXPECT_EQ(strings(fdt, gic, "compatible"), (Strings{"arm,gic-v3"}));
    EXPECT_EQ(u32(fdt, gic, "#interrupt-cells"), 3u);
    EXPECT_EQ(u32(fdt, gic, "#address-cells"), 0u);
    EXPECT_FALSE(fdt.has_property(gic, "#size-cells"));
    EXPECT_FALSE(fdt.has_property(gic, "ranges"));
    EXPECT_TRUE(fdt.has_property(gic, "interrupt-controller"));
    EXPECT_EQ(cells(fdt, gic, "reg"),
              (Cells{0, 0x3001000, 0, 0x10000, 0, 0x3020000, 0, 0x1000000}));
    EXPECT_EQ(u32(fdt, gic, "phandle"), 65000u);
    EXPECT_EQ(u32(fdt, gic, "linux,phandle"), 65000u);
    EXPECT_EQ(fdt.node_by_phandle(65000), gic);

    const int timer = fdt.path_offset("/timer");
    ASSERT_GE(timer, 0);
    EXPECT_EQ(strings(fdt, timer, "compatible"), (Strings{"arm,armv8-timer"}));
    EXPECT_EQ(cells(fdt, timer, "interrupts"), (Cells{1, 13, 0xf08, 1, 14, 0xf08, 1, 11, 0xf08}));
    EXPECT_EQ(u32(fdt, timer, "interrupt-parent"), 65000u);
    EXPECT_FALSE(fdt.has_property(timer, "clock-frequency"));

    const int uart = fdt.path_offset("/sbsa-uart@22000000");
    ASSERT_GE(uart, 0);
    EXPECT_EQ(strings(fdt, uart, "compatible"), (Strings{"arm,sbsa-uart"}));
    EXPECT_EQ(cells(fdt, uart, "reg"), (Cells{0, 0x22000000, 0, 0x1000}));
    EXPECT_EQ(cells(fdt, uart, "interrupts"), (Cells{0, 0, 0xf04}));
    EXPECT_EQ(u32(fdt, uart, "interrupt-parent"), 65000u);
    EXPECT_EQ(u32(fdt, uart, "current-speed"), 115200u);

    EXPECT_LT(fdt.path_offset("/hypervisor"), 0);
    EXPECT_EQ(run_dtc(b.blob.data(), b.size), 0);
}

TEST(GuestDt, OneVcpuNoUartNoInitrdNoBootargs)
{
    GuestDtParams p = anchor_params(1, 128u << 20);
    p.vpl011 = false;
    p.initrd = {};
    p.bootargs = "";
    const Built b = build(p);
    const Fdt fdt = b.fdt();
    EXPECT_EQ(child_names(fdt, fdt.path_offset("/cpus")), (Strings{"cpu@0"}));
    EXPECT_LT(fdt.path_offset("/sbsa-uart@22000000"), 0);
    const int chosen = fdt.path_offset("/chosen");
    ASSERT_GE(chosen, 0);
    EXPECT_FALSE(fdt.has_property(chosen, "bootargs"));
    EXPECT_FALSE(fdt.has_property(chosen, "linux,initrd-start"));
    EXPECT_FALSE(fdt.has_property(chosen, "linux,initrd-end"));
    EXPECT_EQ(run_dtc(b.blob.data(), b.size), 0);
}

TEST(GuestDt, FourVcpus)
{
    const Built b = build(anchor_params(4, 512u << 20));
    const Fdt fdt = b.fdt();
    EXPECT_EQ(child_names(fdt, fdt.path_offset("/cpus")),
              (Strings{"cpu@0", "cpu@1", "cpu@2", "cpu@3"}));
    EXPECT_EQ(u32(fdt, fdt.path_offset("/cpus/cpu@3"), "reg"), 3u);
    // Xen writes cpumask 0xf in every PPI specifier whatever the vCPU count.
    EXPECT_EQ(cells(fdt, fdt.path_offset("/timer"), "interrupts"),
              (Cells{1, 13, 0xf08, 1, 14, 0xf08, 1, 11, 0xf08}));
    EXPECT_EQ(run_dtc(b.blob.data(), b.size), 0);
}

TEST(GuestDt, ManyVcpusUseAff1)
{
    const Built b = build(anchor_params(kGuestMaxVcpus, 512u << 20));
    const Fdt fdt = b.fdt();
    const auto names = child_names(fdt, fdt.path_offset("/cpus"));
    ASSERT_EQ(names.size(), 128u);
    EXPECT_EQ(names[15], "cpu@f");
    EXPECT_EQ(names[16], "cpu@100");  // vCPU 16: Aff1 = 1, Aff0 = 0
    EXPECT_EQ(names[127], "cpu@70f");
    EXPECT_EQ(u32(fdt, fdt.path_offset("/cpus/cpu@70f"), "reg"), 0x70fu);
    EXPECT_LT(b.size, 16u * 1024);
    EXPECT_EQ(run_dtc(b.blob.data(), b.size), 0);
}

TEST(GuestDt, MoreThanThreeGiBGivesTheSecondBank)
{
    const Built b = build(anchor_params(2, uint64_t{4} << 30));
    const Fdt fdt = b.fdt();
    // One memory node listing both banks, as make_memory_node() writes it.
    EXPECT_LT(fdt.path_offset("/memory@200000000"), 0);
    const int mem = fdt.path_offset("/memory@40000000");
    ASSERT_GE(mem, 0);
    EXPECT_EQ(cells(fdt, mem, "reg"), (Cells{0, 0x40000000, 0, 0xc0000000, 0x2, 0, 0, 0x40000000}));
    uint64_t base = 0;
    uint64_t size = 0;
    ASSERT_TRUE(fdt.reg(mem, 1, base, size));
    EXPECT_EQ(base, 0x200000000u);
    EXPECT_EQ(size, 0x40000000u);
    EXPECT_EQ(run_dtc(b.blob.data(), b.size), 0);

    const Built exact = build(anchor_params(1, uint64_t{3} << 30));
    EXPECT_EQ(cells(exact.fdt(), exact.fdt().path_offset("/memory@40000000"), "reg"),
              (Cells{0, 0x40000000, 0, 0xc0000000}));
}

TEST(GuestDt, HypervisorNodeWithXenEnhanced)
{
    GuestDtParams p = anchor_params(2, 256u << 20);
    p.xen_enhanced = true;
    const Built b = build(p);
    const Fdt fdt = b.fdt();
    EXPECT_EQ(child_names(fdt, fdt.root()).back(), "hypervisor");
    const int hyp = fdt.path_offset("/hypervisor");
    ASSERT_GE(hyp, 0);
    EXPECT_EQ(strings(fdt, hyp, "compatible"), (Strings{"xen,xen-4.17", "xen,xen"}));
    EXPECT_EQ(cells(fdt, hyp, "reg"), (Cells{0, 0x38000000, 0, 0x1000000}));
    EXPECT_EQ(cells(fdt, hyp, "interrupts"), (Cells{1, 15, 0xf08}));
    EXPECT_EQ(u32(fdt, hyp, "interrupt-parent"), 65000u);
    EXPECT_EQ(run_dtc(b.blob.data(), b.size), 0);
}

TEST(GuestDt, StaticSharedMemoryAsReservedMemory)
{
    GuestDtParams p = anchor_params(1, 128u << 20);
    p.shm[0] = GuestShmRegion{GuestRange{GuestPhysAddr{0x30000000}, 0x10000}, "ring0"};
    p.shm[1] = GuestShmRegion{GuestRange{GuestPhysAddr{0x31000000}, 0x2000}, "ring1"};
    p.shm_count = 2;
    const Built b = build(p);
    const Fdt fdt = b.fdt();
    const int rm = fdt.path_offset("/reserved-memory");
    ASSERT_GE(rm, 0);
    EXPECT_EQ(u32(fdt, rm, "#address-cells"), 2u);
    EXPECT_EQ(u32(fdt, rm, "#size-cells"), 2u);
    EXPECT_TRUE(fdt.has_property(rm, "ranges"));
    EXPECT_EQ(child_names(fdt, rm), (Strings{"xen-shmem@30000000", "xen-shmem@31000000"}));
    const int r0 = fdt.path_offset("/reserved-memory/xen-shmem@30000000");
    ASSERT_GE(r0, 0);
    EXPECT_EQ(str(fdt, r0, "compatible"), "xen,shared-memory-v1");
    EXPECT_EQ(cells(fdt, r0, "reg"), (Cells{0, 0x30000000, 0, 0x10000}));
    EXPECT_EQ(str(fdt, r0, "xen,id"), "ring0");
    EXPECT_EQ(run_dtc(b.blob.data(), b.size), 0);

    p.shm_count = kGuestDtMaxShm + 1;  // more than the array holds
    std::vector<uint8_t> buf(kGuestDtMaxSize);
    EXPECT_FALSE(build_guest_dt(p, buf.data(), buf.size()).ok());
}

TEST(GuestDt, ExtendedRegionsLikeXen)
{
    // find_domU_holes() with 256 MiB of RAM and a 40-bit IPA space: the rest of
    // bank 0 from 0x50000000 and all of bank 1 (capped at 2^40).
    GuestDtParams p = anchor_params(1, 256u << 20);
    p.xen_enhanced = true;
    p.ipa_bits = 40;
    const Built b = build(p);
    const Fdt fdt = b.fdt();
    EXPECT_EQ(cells(fdt, fdt.path_offset("/hypervisor"), "reg"),
              (Cells{0, 0x38000000, 0, 0x1000000,   // grant table
                     0, 0x50000000, 0, 0xb0000000,  // bank 0 above the RAM
                     0x2, 0, 0xfe, 0}));            // bank 1
    EXPECT_EQ(run_dtc(b.blob.data(), b.size), 0);

    // A 32-bit IPA space ends inside bank 0 and excludes bank 1 entirely.
    GuestRange ext[2];
    EXPECT_EQ(guest_extended_regions(p.ram, 32, ext, 2), 1u);
    EXPECT_EQ(ext[0].base, GuestPhysAddr{0x50000000});
    EXPECT_EQ(ext[0].size, 0xb0000000u);
    // Less than 64 MiB left above the RAM: no region in that bank.
    auto nearly_full = split_guest_ram(kGuestRam0Size - (32u << 20));
    ASSERT_TRUE(nearly_full.ok());
    EXPECT_EQ(guest_extended_regions(nearly_full.value(), 32, ext, 2), 0u);
    EXPECT_EQ(guest_extended_regions(p.ram, 0, ext, 2), 0u);
}

TEST(GuestDt, HostFactsAndLibxlRootIdentity)
{
    static const char kCompat[] = "arm,cortex-a57";  // QEMU -cpu cortex-a57, copied by Xen
    GuestDtParams p = anchor_params(2, 256u << 20);
    p.cpu_compatible = kCompat;
    p.cpu_compatible_len = sizeof kCompat;
    p.cpu_clock_frequency = 1000000000;
    p.timer_clock_frequency = 62500000;
    p.xenvm_root_identity = true;
    p.xen_enhanced = true;
    p.xen_major = 4;
    p.xen_minor = 19;
    const Built b = build(p);
    const Fdt fdt = b.fdt();
    const int cpu = fdt.path_offset("/cpus/cpu@1");
    EXPECT_EQ(strings(fdt, cpu, "compatible"), (Strings{"arm,cortex-a57"}));
    EXPECT_EQ(u32(fdt, cpu, "clock-frequency"), 1000000000u);
    EXPECT_EQ(u32(fdt, fdt.path_offset("/timer"), "clock-frequency"), 62500000u);
    EXPECT_EQ(str(fdt, fdt.root(), "model"), "XENVM-4.19");
    EXPECT_EQ(strings(fdt, fdt.root(), "compatible"), (Strings{"xen,xenvm-4.19", "xen,xenvm"}));
    EXPECT_EQ(u32(fdt, fdt.root(), "interrupt-parent"), 65000u);
    EXPECT_EQ(strings(fdt, fdt.path_offset("/hypervisor"), "compatible"),
              (Strings{"xen,xen-4.19", "xen,xen"}));
    std::string dts;
    EXPECT_EQ(run_dtc(b.blob.data(), b.size, &dts), 0);
    EXPECT_NE(dts.find("model = \"XENVM-4.19\";"), std::string::npos) << dts;
}

TEST(GuestDt, BadParametersAreRejected)
{
    std::vector<uint8_t> buf(kGuestDtMaxSize);
    GuestDtParams p = anchor_params(2, 256u << 20);
    p.vcpus = 0;
    EXPECT_EQ(build_guest_dt(p, buf.data(), buf.size()).error(), Errno::Inval);
    p.vcpus = kGuestMaxVcpus + 1;
    EXPECT_EQ(build_guest_dt(p, buf.data(), buf.size()).error(), Errno::Inval);
    p = anchor_params(2, 256u << 20);
    p.ram = {};
    EXPECT_EQ(build_guest_dt(p, buf.data(), buf.size()).error(), Errno::Inval);
    p = anchor_params(2, 256u << 20);
    static const char kNoNul[] = {'a', 'r', 'm'};
    p.cpu_compatible = kNoNul;
    p.cpu_compatible_len = sizeof kNoNul;
    EXPECT_EQ(build_guest_dt(p, buf.data(), buf.size()).error(), Errno::Inval);
}

TEST(GuestDt, SmallBuffersFailWithNoSpc)
{
    GuestDtParams p = anchor_params(4, uint64_t{4} << 30);
    p.xen_enhanced = true;
    p.ipa_bits = 40;
    const Built full = build(p);
    ASSERT_GT(full.size, 0u);
    for (size_t cap = 0; cap < full.size; cap += 7) {
        std::vector<uint8_t> buf(full.size + 16, 0x5a);
        auto r = build_guest_dt(p, buf.data(), cap);
        ASSERT_FALSE(r.ok()) << cap;
        EXPECT_EQ(r.error(), Errno::NoSpc) << cap;
        for (size_t i = cap; i < buf.size(); ++i) ASSERT_EQ(buf[i], 0x5a) << cap;
    }
    std::vector<uint8_t> exact(full.size);
    auto r = build_guest_dt(p, exact.data(), exact.size());
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(std::memcmp(exact.data(), full.blob.data(), full.size), 0);
}

}  // namespace
}  // namespace keel
