// SPDX-License-Identifier: MIT
//
// tests/unit/core/hypercall/domain_info_test.cpp
// getdomaininfo / getvcpuinfo records as Xen 4.17 Arm fills them
// (common/domctl.c getdomaininfo, arch/arm/domctl.c; xen-dom0-abi.md §2.3).
#include <gtest/gtest.h>

#include "core/hypercall/domain_info.hpp"

namespace keel {
namespace {

DomainFacts two_vcpus()
{
    DomainFacts f;
    f.id = 3;
    f.vcpu_count = 2;
    f.vcpu[0] = VcpuFacts{true, false, true, 1000, 1};
    f.vcpu[1] = VcpuFacts{true, true, false, 234, 0};
    f.tot_pages = 0x8000;
    f.max_pages = 0x8100;
    f.shared_info_frame = 0x4567;
    f.handle[0] = 0xaa;
    f.handle[15] = 0x55;
    f.gpaddr_bits = 40;
    return f;
}

TEST(DomainInfo, EveryField)
{
    const xen::XenDomctlGetDomainInfo r = domain_info_record(two_vcpus());
    EXPECT_EQ(r.domain, 3);
    EXPECT_EQ(r.flags, xen::kDominfHvmGuest | xen::kDominfHap | xen::kDominfRunning | 0xffu << 16);
    EXPECT_EQ(r.tot_pages, 0x8000u);
    EXPECT_EQ(r.max_pages, 0x8100u);
    EXPECT_EQ(r.outstanding_pages, 0u);
    EXPECT_EQ(r.shr_pages, 0u);
    EXPECT_EQ(r.paged_pages, 0u);
    EXPECT_EQ(r.shared_info_frame, 0x4567u);
    EXPECT_EQ(r.cpu_time, 1234u);
    EXPECT_EQ(r.nr_online_vcpus, 2u);
    EXPECT_EQ(r.max_vcpu_id, 1u);
    EXPECT_EQ(r.ssidref, 0u);
    EXPECT_EQ(r.handle[0], 0xaa);
    EXPECT_EQ(r.handle[15], 0x55);
    EXPECT_EQ(r.cpupool, 0u);
    EXPECT_EQ(r.gpaddr_bits, 40);
    EXPECT_EQ(r.arch_config.gic_version, 0);  // Xen 4.17 leaves arch_config zero
}

TEST(DomainInfo, BlockedOnlyWhenEveryOnlineVcpuIs)
{
    DomainFacts f = two_vcpus();
    f.vcpu[0] = VcpuFacts{true, true, false, 0, 0};
    EXPECT_EQ(domain_info_record(f).flags & (xen::kDominfBlocked | xen::kDominfRunning), xen::kDominfBlocked);
    f.vcpu[1] = VcpuFacts{false, false, false, 0, 0};  // offline vCPUs do not count
    EXPECT_EQ(domain_info_record(f).flags & xen::kDominfBlocked, xen::kDominfBlocked);
    EXPECT_EQ(domain_info_record(f).nr_online_vcpus, 1u);
    f.vcpu[0].online = false;  // none online: neither blocked nor running
    const auto r = domain_info_record(f);
    EXPECT_EQ(r.flags & (xen::kDominfBlocked | xen::kDominfRunning), 0u);
    EXPECT_EQ(r.nr_online_vcpus, 0u);
    EXPECT_EQ(r.max_vcpu_id, 1u);
}

TEST(DomainInfo, ShutdownAndDying)
{
    DomainFacts f = two_vcpus();
    f.shut_down = true;
    f.shutdown_code = 3;  // crash
    EXPECT_EQ(domain_info_record(f).flags >> 16, 3u);
    EXPECT_NE(domain_info_record(f).flags & xen::kDominfShutdown, 0u);
    f.dying = true;
    f.paused = true;
    EXPECT_NE(domain_info_record(f).flags & xen::kDominfDying, 0u);
    EXPECT_NE(domain_info_record(f).flags & xen::kDominfPaused, 0u);
}

TEST(DomainInfo, NoVcpus)
{
    DomainFacts f;
    f.id = 9;
    const auto r = domain_info_record(f);
    EXPECT_EQ(r.max_vcpu_id, xen::kInvalidMaxVcpuId);
    EXPECT_EQ(r.nr_online_vcpus, 0u);
    EXPECT_EQ(r.flags, xen::kDominfHvmGuest | xen::kDominfHap | 0xffu << 16);
}

TEST(DomainInfo, VcpuInfo)
{
    const DomainFacts f = two_vcpus();
    const auto r = vcpu_info_record(f, 1);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value().vcpu, 1u);
    EXPECT_EQ(r.value().online, 1);
    EXPECT_EQ(r.value().blocked, 1);
    EXPECT_EQ(r.value().running, 0);
    EXPECT_EQ(r.value().cpu_time, 234u);
    EXPECT_EQ(r.value().cpu, 0u);
    for (uint32_t bad : {2u, 8u, 0xffffffffu}) EXPECT_EQ(vcpu_info_record(f, bad).error(), Errno::Inval);
}

}  // namespace
}  // namespace keel
