// SPDX-License-Identifier: MIT
//
// tests/unit/core/domain/domain_table_test.cpp
// Checks the domain table and vCPU objects: create_domain (domid range, vCPU
// count, duplicates, name truncation, the frames-before count), the vCPUs it
// makes (Offline, Xen's MPIDRs, reset context), lookups, for_each_domain,
// vcpu_by_mpidr, and that free_domain gives every object back. Also provides
// the host stand-ins for object_heap.hpp (aligned heap memory, counted).
#include "core/domain/domain_table.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <vector>

#include "arch/arm64/vcpu/initial_state.hpp"
#include "core/domain/object_heap.hpp"
#include "core/domain/vcpu.hpp"
#include "core/domain/vcpu_ops.hpp"

namespace keel {

// ---- host stand-ins (object_heap.hpp, domain_table.hpp)
namespace {
int g_live_objects = 0;
bool g_heap_exhausted = false;
uint64_t g_pool_free = 1000;
}  // namespace

void* alloc_object_frames(size_t bytes)
{
    if (g_heap_exhausted) return nullptr;
    const size_t size = (bytes + 4095) / 4096 * 4096;
    void* p = std::aligned_alloc(4096, size);
    std::memset(p, 0, size);
    ++g_live_objects;
    return p;
}

void free_object_frames(void* p, size_t)
{
    if (p == nullptr) return;
    --g_live_objects;
    std::free(p);
}

uint64_t domain_pool_free_frames() { return g_pool_free; }

namespace {

struct DomainTableTest : ::testing::Test {
    void SetUp() override
    {
        g_live_objects = 0;
        g_heap_exhausted = false;
    }
    void TearDown() override
    {
        std::vector<Domain*> all;
        for_each_domain(
            [](Domain& d, void* ctx) { static_cast<std::vector<Domain*>*>(ctx)->push_back(&d); }, &all);
        for (Domain* d : all) free_domain(*d);
        EXPECT_EQ(g_live_objects, 0);
        EXPECT_EQ(domain_count(), 0u);
    }
};

TEST_F(DomainTableTest, CreatesDomainWithOfflineVcpus)
{
    g_pool_free = 777;
    auto r = create_domain("domU1", 1, 3);
    ASSERT_TRUE(r.ok());
    Domain& d = *r.value();
    EXPECT_EQ(d.id, 1);
    EXPECT_STREQ(d.name, "domU1");
    EXPECT_EQ(d.state.load(), DomainState::Building);
    EXPECT_EQ(d.vcpu_count, 3u);
    EXPECT_EQ(d.live_vcpus.load(), 3u);
    EXPECT_EQ(d.frames_before_create, 777u);
    EXPECT_EQ(g_live_objects, 4);  // the Domain and three Vcpus
    for (uint32_t i = 0; i < 3; ++i) {
        const Vcpu* v = d.vcpus[i];
        ASSERT_NE(v, nullptr);
        EXPECT_EQ(v->domain, &d);
        EXPECT_EQ(v->id, i);
        EXPECT_EQ(v->state.load(), VcpuState::Offline);
        EXPECT_EQ(v->vmpidr, 0x8000'0000u + i);
        EXPECT_EQ(v->sysregs.sctlr_el1, arm64::kGuestSctlrInit);
        EXPECT_EQ(v->regs.spsr, arm64::kGuestPstateInit);
    }
    EXPECT_EQ(d.vcpus[3], nullptr);
    EXPECT_EQ(find_domain(1), &d);
    EXPECT_EQ(find_domain(2), nullptr);
    EXPECT_EQ(domain_count(), 1u);
}

TEST_F(DomainTableTest, RejectsBadArguments)
{
    EXPECT_EQ(create_domain("x", kMaxDomains, 1).error(), Errno::Inval);
    EXPECT_EQ(create_domain("x", 1, 0).error(), Errno::Inval);
    EXPECT_EQ(create_domain("x", 1, kMaxVcpusPerDomain + 1).error(), Errno::Inval);
    ASSERT_TRUE(create_domain("a", 1, 1).ok());
    EXPECT_EQ(create_domain("b", 1, 1).error(), Errno::Exist);
    EXPECT_EQ(domain_count(), 1u);
    EXPECT_STREQ(find_domain(1)->name, "a");
    g_heap_exhausted = true;
    EXPECT_EQ(create_domain("c", 2, 1).error(), Errno::NoMem);
}

TEST_F(DomainTableTest, TruncatesLongNames)
{
    const char* longname = "a-domain-name-much-longer-than-thirty-two-characters";
    auto r = create_domain(longname, 3, 1);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(std::strlen(r.value()->name), kDomainNameMax - 1);
    EXPECT_EQ(std::strncmp(r.value()->name, longname, kDomainNameMax - 1), 0);
}

TEST_F(DomainTableTest, ForEachInDomidOrderAndFree)
{
    ASSERT_TRUE(create_domain("three", 3, 1).ok());
    ASSERT_TRUE(create_domain("one", 1, 2).ok());
    std::vector<DomId> ids;
    for_each_domain(
        [](Domain& d, void* ctx) { static_cast<std::vector<DomId>*>(ctx)->push_back(d.id); }, &ids);
    EXPECT_EQ(ids, (std::vector<DomId>{1, 3}));
    EXPECT_EQ(free_domain(*find_domain(1)), 1u);  // domain 3 remains
    EXPECT_EQ(find_domain(1), nullptr);
    EXPECT_EQ(domain_count(), 1u);
    EXPECT_EQ(g_live_objects, 2);
    ASSERT_TRUE(create_domain("one again", 1, 1).ok());  // the domid is free again
}

TEST_F(DomainTableTest, VcpuByMpidrMatchesAffinityOnly)
{
    auto r = create_domain("smp", 4, 8);
    ASSERT_TRUE(r.ok());
    Domain& d = *r.value();
    EXPECT_EQ(vcpu_by_mpidr(d, 0), d.vcpus[0]);
    EXPECT_EQ(vcpu_by_mpidr(d, 7), d.vcpus[7]);
    EXPECT_EQ(vcpu_by_mpidr(d, 0x8000'0003), d.vcpus[3]);  // RES1 / U bits ignored
    EXPECT_EQ(vcpu_by_mpidr(d, 8), nullptr);
    EXPECT_EQ(vcpu_by_mpidr(d, 0x100), nullptr);  // Aff1 = 1: vCPU 16 (none)
    EXPECT_EQ(vcpu_by_mpidr(d, 0x1'0000'0000ull), nullptr);  // Aff3 counts
}

TEST_F(DomainTableTest, CreateVcpuChecks)
{
    auto r = create_domain("d", 5, 1);
    ASSERT_TRUE(r.ok());
    Domain& d = *r.value();
    EXPECT_EQ(create_vcpu(d, 0).error(), Errno::Exist);
    EXPECT_EQ(create_vcpu(d, kMaxVcpusPerDomain).error(), Errno::Inval);
    auto v = create_vcpu(d, 5);
    ASSERT_TRUE(v.ok());
    EXPECT_EQ(d.vcpus[5], v.value());
    EXPECT_EQ(d.vcpu_count, 6u);
    EXPECT_EQ(v.value()->vmpidr, 0x8000'0005u);
}

}  // namespace
}  // namespace keel
