// SPDX-License-Identifier: MIT
//
// tests/unit/core/sched/cpupool_config_test.cpp
// Checks parse_cpupools() and domain_cpupool() against Xen's boot-time cpupool
// numbering (DT order, the unassigned CPUs' pool, the boot CPU's pool swapped
// to 0) and one bad pool node or domain property per rule: the error line, the
// pool left out, the good pools around it kept.
#include "core/sched/cpupool_config.hpp"

#include <gtest/gtest.h>

#include "../../support/dtb_builder.hpp"
#include "lib/fdt.hpp"

namespace keel {
namespace {

using test::Blob;
using test::load_fixture;

constexpr uint64_t kMpidr4[] = {0, 1, 2, 3};

int node_at(const Fdt& fdt, const char* path)
{
    const int n = fdt.path_offset(path);
    EXPECT_GE(n, 0) << path;
    return n;
}

class Cpupools : public ::testing::Test {
protected:
    const Fdt& load(const char* fixture)
    {
        blob_ = load_fixture(fixture);
        EXPECT_FALSE(blob_.empty()) << fixture;
        fdt_ = Fdt{blob_.data(), blob_.size()};
        return fdt_;
    }
    Blob blob_;
    Fdt fdt_{nullptr, 0};
    CpupoolConfig pools_;
    Dom0lessDiagnostics diag_;
};

TEST_F(Cpupools, WithoutPoolNodesEveryCpuIsInPoolZero)
{
    const Fdt& fdt = load("qemu_virt.dtb");
    parse_cpupools(fdt, kMpidr4, 4, SchedPolicy::Credit2, pools_, diag_);
    EXPECT_EQ(pools_.pool_count, 1u);
    EXPECT_EQ(pools_.cpus_of(0), 0xfu);
    EXPECT_EQ(pools_.policy[0], SchedPolicy::Credit2);
    EXPECT_EQ(pools_.node[0], -1);
    EXPECT_EQ(diag_.count(), 0u);
}

TEST_F(Cpupools, BadPoolsAreLeftOutAndTheRestNumberedAsXen)
{
    const Fdt& fdt = load("cpupools.dtb");
    parse_cpupools(fdt, kMpidr4, 4, SchedPolicy::RoundRobin, pools_, diag_);
    // cpupool_a (CPUs 2-3, null) was pool 0 and cpupool_h (CPU 1) pool 1; CPU 0,
    // in no pool, made pool 2 and, as the boot CPU, swapped ids with pool 0.
    ASSERT_EQ(pools_.pool_count, 3u);
    EXPECT_EQ(pools_.cpus_of(0), 0x1u);
    EXPECT_EQ(pools_.cpus_of(1), 0x2u);
    EXPECT_EQ(pools_.cpus_of(2), 0xcu);
    EXPECT_EQ(pools_.policy[0], SchedPolicy::RoundRobin);
    EXPECT_EQ(pools_.policy[1], SchedPolicy::Credit2);
    EXPECT_EQ(pools_.policy[2], SchedPolicy::Null);
    EXPECT_EQ(pools_.node[0], -1);
    EXPECT_EQ(pools_.pool_of_node(node_at(fdt, "/chosen/cpupool_a")), 2u);
    EXPECT_EQ(pools_.pool_of_node(node_at(fdt, "/chosen/cpupool_h")), 1u);

    EXPECT_TRUE(diag_.contains("cpupool: cpupool_b: cpupool-cpus: CPU 3 is already in a cpupool"));
    EXPECT_TRUE(diag_.contains("cpupool: cpupool_c: cpupool-cpus: missing or empty"));
    EXPECT_TRUE(diag_.contains("cpupool: cpupool_d: cpupool-sched \"fifo\": unknown scheduler"));
    EXPECT_TRUE(diag_.contains("cpupool: cpupool_e: cpupool-cpus: phandle 0x4711 names no node"));
    EXPECT_TRUE(diag_.contains("cpupool: cpupool_f: cpupool-cpus: cpu@100 (MPIDR 0x100) is not a CPU keel runs"));
    EXPECT_TRUE(diag_.contains("cpupool: cpupool_g: cpupool-cpus: cpu@200 has no usable reg"));
    EXPECT_TRUE(diag_.contains("cpupool: cpupool_h: cpupool-sched \"credit\": run by keel's credit2 policy"));
    EXPECT_EQ(diag_.errors(), 6u);
}

TEST_F(Cpupools, DomainsNameTheirPoolOrAreRefused)
{
    const Fdt& fdt = load("cpupools.dtb");
    parse_cpupools(fdt, kMpidr4, 4, SchedPolicy::Credit2, pools_, diag_);
    Dom0lessDiagnostics d;
    auto pool = [&](const char* dom) {
        char path[64] = "/chosen/";
        for (size_t i = 0; dom[i] != '\0'; ++i) path[8 + i] = dom[i];
        return domain_cpupool(fdt, pools_, node_at(fdt, path), dom, d);
    };
    EXPECT_EQ(pool("domU1"), 2u);
    EXPECT_EQ(pool("domU2"), 0u);
    EXPECT_EQ(pool("domU7"), 1u);
    EXPECT_EQ(d.errors(), 0u);
    EXPECT_EQ(pool("domU3"), kNoPool);
    EXPECT_TRUE(d.contains("dom0less: domU3: domain-cpupool: cpupool cpupool_b was left out"));
    EXPECT_EQ(pool("domU4"), kNoPool);
    EXPECT_TRUE(d.contains("dom0less: domU4: domain-cpupool: misc is not a xen,cpupool node"));
    EXPECT_EQ(pool("domU5"), kNoPool);
    EXPECT_TRUE(d.contains("dom0less: domU5: domain-cpupool: phandle 0x4712 names no node"));
    EXPECT_EQ(pool("domU6"), kNoPool);
    EXPECT_TRUE(d.contains("dom0less: domU6: domain-cpupool: 8 bytes, not one phandle"));
}

TEST_F(Cpupools, TheBootCpusPoolBecomesPoolZero)
{
    const Fdt& fdt = load("cpupool_boot_cpu.dtb");
    parse_cpupools(fdt, kMpidr4, 4, SchedPolicy::Credit2, pools_, diag_);
    ASSERT_EQ(pools_.pool_count, 3u);
    EXPECT_EQ(pools_.cpus_of(0), 0x1u);
    EXPECT_EQ(pools_.policy[0], SchedPolicy::Arinc653);
    EXPECT_EQ(pools_.cpus_of(1), 0x6u);
    EXPECT_EQ(pools_.policy[1], SchedPolicy::Rtds);
    EXPECT_EQ(pools_.cpus_of(2), 0x8u);
    EXPECT_EQ(pools_.policy[2], SchedPolicy::Credit2);
    EXPECT_EQ(pools_.node[2], -1);
    Dom0lessDiagnostics d;
    EXPECT_EQ(domain_cpupool(fdt, pools_, node_at(fdt, "/chosen/dom"), "dom", d), 0u);
    EXPECT_EQ(diag_.count(), 0u);
}

TEST_F(Cpupools, CpusKeelDidNotBringUpAreInNoPool)
{
    const Fdt& fdt = load("cpupool_boot_cpu.dtb");
    parse_cpupools(fdt, kMpidr4, 2, SchedPolicy::Credit2, pools_, diag_);
    // pool_x names CPU 2, which is not up: left out; CPU 1 joins the unassigned pool.
    EXPECT_TRUE(diag_.contains("cpupool: pool_x: cpupool-cpus: cpu@2 (MPIDR 0x2) is not a CPU keel runs"));
    ASSERT_EQ(pools_.pool_count, 2u);
    EXPECT_EQ(pools_.cpus_of(0), 0x1u);
    EXPECT_EQ(pools_.cpus_of(1), 0x2u);
    EXPECT_EQ(pools_.pool_of_cpu[2], kNoPool);
}

TEST(SchedPolicyNames, XenNamesAndKeels)
{
    SchedPolicy p{};
    bool sub = true;
    EXPECT_TRUE(sched_policy_from_name("rtds", p, sub));
    EXPECT_EQ(p, SchedPolicy::Rtds);
    EXPECT_FALSE(sub);
    EXPECT_TRUE(sched_policy_from_name("credit", p, sub));
    EXPECT_EQ(p, SchedPolicy::Credit2);
    EXPECT_TRUE(sub);
    EXPECT_FALSE(sched_policy_from_name("RTDS", p, sub));
    EXPECT_FALSE(sched_policy_from_name("", p, sub));
    EXPECT_STREQ(sched_policy_name(SchedPolicy::Arinc653), "arinc653");
}

}  // namespace
}  // namespace keel
