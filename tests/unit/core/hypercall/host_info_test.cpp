// SPDX-License-Identifier: MIT
//
// tests/unit/core/hypercall/host_info_test.cpp
// physinfo as Xen 4.17 Arm fills it, one NUMA node, the one CPU pool, CPU
// bitmaps (common/sysctl.c, arch/arm/sysctl.c, sched/cpupool.c, arm numa.h;
// xen-dom0-abi.md §2.4).
#include <gtest/gtest.h>

#include "core/hypercall/host_info.hpp"

namespace keel {
namespace {

TEST(HostInfo, Physinfo)
{
    const HostFacts h{4, 62'500'000, 0x40000, 0x30000, 0x7ffff, 0x40000};
    const xen::XenSysctlPhysinfo p = physinfo_record(h);
    EXPECT_EQ(p.threads_per_core, 1u);
    EXPECT_EQ(p.cores_per_socket, 1u);
    EXPECT_EQ(p.nr_cpus, 4u);
    EXPECT_EQ(p.max_cpu_id, 3u);
    EXPECT_EQ(p.nr_nodes, 1u);
    EXPECT_EQ(p.max_node_id, 0u);
    EXPECT_EQ(p.cpu_khz, 62'500u);
    EXPECT_EQ(p.capabilities, xen::kPhyscapHvm | xen::kPhyscapHap | xen::kPhyscapGnttabV1);
    EXPECT_EQ(p.arch_capabilities, 0u);
    EXPECT_EQ(p.total_pages, 0x40000u);
    EXPECT_EQ(p.free_pages, 0x30000u);
    EXPECT_EQ(p.scrub_pages, 0u);
    EXPECT_EQ(p.outstanding_pages, 0u);
    EXPECT_EQ(p.max_mfn, 0x7ffffu);
    for (uint32_t w : p.hw_cap) EXPECT_EQ(w, 0u);
}

TEST(HostInfo, OneNumaNode)
{
    HostFacts h{2, 62'500'000, 0x3f000, 0x1000, 0x7ffff};
    h.first_mfn = 0x40000;
    const xen::XenSysctlMeminfo m = node_meminfo(h);
    EXPECT_EQ(m.memsize, uint64_t{0x40000} << 12);  // first to last RAM frame
    EXPECT_EQ(m.memfree, uint64_t{0x1000} << 12);
    EXPECT_EQ(node_meminfo(HostFacts{}).memsize, 0u);
    EXPECT_EQ(kNodeDistance, 20u);
    const xen::XenSysctlCputopo t = cpu_topology(1);
    EXPECT_EQ(t.core, 0u);
    EXPECT_EQ(t.socket, 0u);
    EXPECT_EQ(t.node, 0u);
}

TEST(HostInfo, CpupoolInfoOnlyPoolZero)
{
    xen::XenSysctlCpupoolOp op{};
    op.op = static_cast<uint32_t>(xen::CpupoolOp::Info);
    ASSERT_TRUE(cpupool_info(op, 3).ok());
    EXPECT_EQ(op.cpupool_id, 0u);
    EXPECT_EQ(op.sched_id, kReportedSchedulerId);
    EXPECT_EQ(op.n_dom, 3u);
    for (uint32_t id : {1u, 2u, 0xffffffffu}) {
        op.cpupool_id = id;
        EXPECT_EQ(cpupool_info(op, 3).error(), Errno::NoEnt) << id;
    }
    op = {};
    op.op = static_cast<uint32_t>(xen::CpupoolOp::FreeInfo);
    EXPECT_TRUE(cpupool_info(op, 3).ok());
    for (uint32_t bad : {0u, 1u, 2u, 4u, 5u, 6u, 8u, 0xffffffffu}) {
        op.op = bad;
        EXPECT_EQ(cpupool_info(op, 3).error(), Errno::NoSys) << bad;
    }
}

TEST(HostInfo, CpuBitmaps)
{
    EXPECT_EQ(cpu_bitmap_bytes(0).value(), 0u);
    EXPECT_EQ(cpu_bitmap_bytes(1).value(), 1u);
    EXPECT_EQ(cpu_bitmap_bytes(9).value(), 2u);
    EXPECT_EQ(cpu_bitmap_bytes(kMaxBitmapBytes * 8).value(), kMaxBitmapBytes);
    EXPECT_EQ(cpu_bitmap_bytes(kMaxBitmapBytes * 8 + 1).error(), Errno::Inval);
    EXPECT_EQ(cpu_bitmap_bytes(0xffffffffu).error(), Errno::Inval);

    uint8_t b[4];
    cpu_bitmap_fill_range(b, 0, 4, 10, true);
    EXPECT_EQ(b[0], 0xff);
    EXPECT_EQ(b[1], 0x03);
    EXPECT_EQ(b[2], 0);
    EXPECT_EQ(b[3], 0);
    cpu_bitmap_fill_range(b, 1, 2, 10, true);
    EXPECT_EQ(b[0], 0x03);
    EXPECT_EQ(b[1], 0);
    cpu_bitmap_fill_range(b, 0, 1, 2, true);  // a 1-bit map still gets the whole byte (as Xen)
    EXPECT_EQ(b[0], 0x03);
    cpu_bitmap_fill_range(b, 0, 4, 10, false);
    for (uint8_t x : b) EXPECT_EQ(x, 0);
}

}  // namespace
}  // namespace keel
