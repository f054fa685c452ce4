// SPDX-License-Identifier: MIT
//
// tests/unit/core/boot/domain_builder_dt_test.cpp
// Checks the pure decisions of the dom0less domain builder: the host facts a
// guest DT copies (first CPU node's compatible, skipping /cpus/cpu-map; timer
// clock-frequency), the GuestDtParams for a DomainSpec, the whole plan for the
// anchor's domain (Debian 6.1 kernel + initramfs in 256 MiB: the DT at
// 0x48000000, the initrd at 0x48200000, as Xen places them), and the summary line.
#include "core/boot/domain_builder_dt.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <string>
#include <vector>

#include "../../support/dtb_builder.hpp"
#include "lib/fdt.hpp"
#include "lib/fmt.hpp"

namespace keel {
namespace {

using test::load_fixture;

DomainSpec anchor_spec()
{
    DomainSpec s;
    s.name = "domU1";
    s.domid = 1;
    s.memory_kib = 262144;
    s.vcpus = 2;
    s.vpl011 = true;
    s.bootargs = "console=ttyAMA0 earlycon=pl011,0x22000000 rdinit=/init";
    s.image.text_offset = 0;
    s.image.image_size = 0x2010000;  // Debian's vmlinuz-6.1.0-56-arm64 header
    s.image.file_size = 0x1f6dfc0;
    s.image_checked = true;
    return s;
}

TEST(DomainBuilderDt, HostFactsFromTheFirstCpuNode)
{
    const auto blob = load_fixture("qemu_virt.dtb");
    ASSERT_FALSE(blob.empty());
    const Fdt fdt{blob.data(), blob.size()};
    const HostDtFacts f = read_host_dt_facts(fdt, 62500000);
    ASSERT_NE(f.cpu_compatible, nullptr);
    EXPECT_EQ(f.cpu_compatible_len, sizeof "arm,cortex-a57");
    EXPECT_EQ(std::memcmp(f.cpu_compatible, "arm,cortex-a57", sizeof "arm,cortex-a57"), 0);
    EXPECT_EQ(f.cpu_clock_frequency, 0u);
    EXPECT_EQ(f.timer_clock_frequency, 62500000u);
}

TEST(DomainBuilderDt, NoCpusNodeGivesDefaults)
{
    const auto blob = load_fixture("dom0less_bad.dtb");  // a tree without /cpus
    ASSERT_FALSE(blob.empty());
    const Fdt fdt{blob.data(), blob.size()};
    ASSERT_LT(fdt.path_offset("/cpus"), 0);
    const HostDtFacts f = read_host_dt_facts(fdt, 0);
    EXPECT_EQ(f.cpu_compatible, nullptr);
    EXPECT_EQ(f.cpu_compatible_len, 0u);
    EXPECT_EQ(f.timer_clock_frequency, 0u);
}

TEST(DomainBuilderDt, ParamsAndPlacementForTheAnchorDomain)
{
    const DomainSpec s = anchor_spec();
    const GuestRamBanks ram = split_guest_ram(s.memory_bytes()).value();
    HostDtFacts host;
    host.cpu_compatible = "arm,cortex-a57";
    host.cpu_compatible_len = sizeof "arm,cortex-a57";
    const uint64_t initrd_size = 0xf1097;
    const GuestRange somewhere{GuestPhysAddr{kGuestRam0Base}, initrd_size};
    const GuestDtParams probe = dom0less_dt_params(s, ram, somewhere, host, 39);
    EXPECT_EQ(probe.vcpus, 2u);
    EXPECT_TRUE(probe.vpl011);
    EXPECT_FALSE(probe.xen_enhanced);
    EXPECT_EQ(probe.ipa_bits, 39u);
    EXPECT_STREQ(probe.bootargs, s.bootargs);

    std::vector<uint8_t> buf(kGuestDtMaxSize);
    const size_t size = build_guest_dt(probe, buf.data(), buf.size()).value();
    const GuestLoadPlan plan = place_dom0less_images(ram, s.image, size, initrd_size).value();
    EXPECT_EQ(plan.entry, GuestPhysAddr{0x4000'0000});
    EXPECT_EQ(plan.dtb.base, GuestPhysAddr{0x4800'0000});
    EXPECT_EQ(plan.initrd.base, GuestPhysAddr{0x4820'0000});
    // The real DT (initrd at its place) has the same size as the probe.
    const GuestDtParams real = dom0less_dt_params(s, ram, plan.initrd, host, 39);
    EXPECT_EQ(build_guest_dt(real, buf.data(), buf.size()).value(), size);
    const Fdt guest{buf.data(), size};
    FdtProperty p;
    ASSERT_TRUE(guest.property(guest.path_offset("/chosen"), "linux,initrd-start", p));
    EXPECT_EQ(p.cells_at(0, 2), 0x4820'0000u);

    char line[200];
    FmtBuffer b{line, sizeof line};
    format_domain_summary(b, s, ram, plan);
    EXPECT_STREQ(b.c_str(), "2 vCPUs, 256 MiB at 0x40000000, kernel 0x40000000, initrd 0x48200000, "
                            "dtb 0x48000000");
}

TEST(DomainBuilderDt, SummaryWithTwoBanksAndNoInitrd)
{
    DomainSpec s = anchor_spec();
    s.vcpus = 1;
    s.memory_kib = 4u << 20;  // 4 GiB: 3 GiB in bank 0, 1 GiB in bank 1
    s.enhanced = XenEnhanced::NoXenstore;
    const GuestRamBanks ram = split_guest_ram(s.memory_bytes()).value();
    ASSERT_EQ(ram.count, 2u);
    EXPECT_TRUE(dom0less_dt_params(s, ram, GuestRange{}, HostDtFacts{}, 39).xen_enhanced);
    const GuestLoadPlan plan = place_dom0less_images(ram, s.image, 0x1000, 0).value();
    char line[200];
    FmtBuffer b{line, sizeof line};
    format_domain_summary(b, s, ram, plan);
    EXPECT_STREQ(b.c_str(), "1 vCPU, 4096 MiB at 0x40000000 + 0x200000000, kernel 0x40000000, "
                            "initrd none, dtb 0x48000000");
}

}  // namespace
}  // namespace keel
