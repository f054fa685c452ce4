// SPDX-License-Identifier: MIT
//
// tests/unit/arch/arm64/psci/vpsci_test.cpp
// Checks vPSCI 1.1 / vSMCCC 1.1 decoding against the values Xen gives guests
// (docs/xen-arm-guest-abi.md §2.4): versions, PSCI_FEATURES, SMCCC_ARCH_FEATURES,
// CPU_ON (target by MPIDR, SMC32 and SMC64 forms, errors), AFFINITY_INFO at each
// level, the effects (CPU_OFF, CPU_SUSPEND, SYSTEM_OFF/RESET), unknown IDs.
#include "arch/arm64/psci/vpsci.hpp"

#include <gtest/gtest.h>

#include <memory>

#include "arch/arm64/vcpu/initial_state.hpp"
#include "core/domain/domain.hpp"
#include "core/domain/vcpu.hpp"

namespace keel::arm64 {
namespace {

using psci::Status;

struct FakePort final : VpsciPort {
    Vcpu* target = nullptr;
    uint64_t entry = 0;
    uint64_t context_id = 0;
    int calls = 0;
    Status answer = Status::Success;
    Status cpu_on(Vcpu& t, uint64_t e, uint64_t ctx) override
    {
        ++calls;
        target = &t;
        entry = e;
        context_id = ctx;
        return answer;
    }
};

struct VpsciTest : ::testing::Test {
    std::unique_ptr<Domain> d = std::make_unique<Domain>();
    std::unique_ptr<Vcpu> v[3];
    FakePort port;

    void SetUp() override
    {
        for (uint32_t i = 0; i < 3; ++i) {
            v[i] = std::make_unique<Vcpu>();
            v[i]->domain = d.get();
            v[i]->id = i;
            v[i]->vmpidr = vcpu_vmpidr(i);
            d->vcpus[i] = v[i].get();
        }
        d->vcpu_count = 3;
        v[0]->state.store(VcpuState::Running);
    }
    SmcccReply call(uint64_t x0, uint64_t x1 = 0, uint64_t x2 = 0, uint64_t x3 = 0)
    {
        return vpsci_call(*v[0], SmcccCall{x0, x1, x2, x3}, port);
    }
    uint64_t x0(uint64_t f, uint64_t a1 = 0, uint64_t a2 = 0, uint64_t a3 = 0)
    {
        const SmcccReply r = call(f, a1, a2, a3);
        EXPECT_TRUE(r.set_x0);
        EXPECT_EQ(r.effect, VpsciEffect::None);
        return r.x0;
    }
};

constexpr uint64_t kNotSupported = 0xffff'ffff'ffff'ffffull;
constexpr uint64_t kInvalidParameters = 0xffff'ffff'ffff'fffeull;
constexpr uint64_t kInvalidAddress = 0xffff'ffff'ffff'fff7ull;

TEST_F(VpsciTest, Versions)
{
    EXPECT_EQ(x0(0x8400'0000), 0x1'0001u);  // PSCI 1.1
    EXPECT_EQ(x0(0x8000'0000), 0x1'0001u);  // SMCCC 1.1
    // Only w0 names the function: upper bits of x0 are ignored.
    EXPECT_EQ(x0(0xdead'beef'8400'0000ull), 0x1'0001u);
    EXPECT_EQ(x0(0x8400'0006), 2u);  // MIGRATE_INFO_TYPE: Trusted OS not present
}

TEST_F(VpsciTest, PsciFeatures)
{
    for (uint32_t f : {0x8400'0000u, 0x8400'0001u, 0xc400'0001u, 0x8400'0002u, 0x8400'0003u,
                       0xc400'0003u, 0x8400'0004u, 0xc400'0004u, 0x8400'0006u, 0x8400'0008u,
                       0x8400'0009u, 0x8400'000au, 0x8000'0000u}) {
        EXPECT_EQ(x0(0x8400'000a, f), 0u) << std::hex << f;
    }
    for (uint32_t f : {0x8400'0005u, 0xc400'0005u, 0x8400'000eu, 0xc400'0012u, 0x8000'0001u, 0u}) {
        EXPECT_EQ(x0(0x8400'000a, f), kNotSupported) << std::hex << f;
    }
    // PSCI_FEATURES is SMC32: its argument is w1.
    EXPECT_EQ(x0(0x8400'000a, 0xffff'ffff'c400'0003ull), 0u);
}

TEST_F(VpsciTest, SmcccArchFeaturesAndWorkarounds)
{
    EXPECT_EQ(x0(0x8000'0001, 0x8000'8000), kNotSupported);  // ARCH_WORKAROUND_1
    EXPECT_EQ(x0(0x8000'0001, 0x8000'7fff), kNotSupported);  // ARCH_WORKAROUND_2
    EXPECT_EQ(x0(0x8000'0001, 0x8000'3fff), kNotSupported);  // ARCH_WORKAROUND_3
    for (uint32_t f : {0x8000'8000u, 0x8000'7fffu, 0x8000'3fffu}) {
        const SmcccReply r = call(f);
        EXPECT_FALSE(r.set_x0) << std::hex << f;  // no return value (Xen)
    }
}

TEST_F(VpsciTest, UnknownFunctions)
{
    for (uint64_t f : {0x8400'001full, 0xc400'0000ull, 0x8500'ff00ull, 0x8600'ff01ull, 0x0ull,
                       0xc400'000eull, 0x8400'0005ull})
        EXPECT_EQ(x0(f), kNotSupported) << std::hex << f;
    EXPECT_EQ(port.calls, 0);
}

TEST_F(VpsciTest, CpuOnByMpidr)
{
    EXPECT_EQ(x0(0xc400'0003, 2, 0x4000'1000, 0xabcd'ef01'2345ull), 0u);
    EXPECT_EQ(port.calls, 1);
    EXPECT_EQ(port.target, v[2].get());
    EXPECT_EQ(port.entry, 0x4000'1000u);
    EXPECT_EQ(port.context_id, 0xabcd'ef01'2345ull);
    // The MPIDR's RES1 / U bits do not matter; Aff0 does.
    EXPECT_EQ(x0(0xc400'0003, 0x8000'0001, 0x4000'2000, 0), 0u);
    EXPECT_EQ(port.target, v[1].get());
}

TEST_F(VpsciTest, CpuOnSmc32TruncatesArguments)
{
    EXPECT_EQ(x0(0x8400'0003, 0xffff'ffff'0000'0001ull, 0x1'4000'1000ull, 0x1'0000'0007ull), 0u);
    EXPECT_EQ(port.target, v[1].get());
    EXPECT_EQ(port.entry, 0x4000'1000u);
    EXPECT_EQ(port.context_id, 7u);
}

TEST_F(VpsciTest, CpuOnErrors)
{
    EXPECT_EQ(x0(0xc400'0003, 3, 0x4000'0000, 0), kInvalidParameters);      // no vCPU 3
    EXPECT_EQ(x0(0xc400'0003, 0x100, 0x4000'0000, 0), kInvalidParameters);  // Aff1 = 1
    EXPECT_EQ(x0(0xc400'0003, 1, 0x4000'0001, 0), kInvalidAddress);         // Thumb bit
    EXPECT_EQ(port.calls, 0);
    port.answer = Status::AlreadyOn;
    EXPECT_EQ(x0(0xc400'0003, 1, 0x4000'0000, 0), 0xffff'ffff'ffff'fffcull);  // -4
}

TEST_F(VpsciTest, AffinityInfo)
{
    EXPECT_EQ(x0(0xc400'0004, 0, 0), 0u);  // vCPU 0 runs: ON
    EXPECT_EQ(x0(0xc400'0004, 1, 0), 1u);  // Offline: OFF
    v[1]->state.store(VcpuState::Blocked);  // WFI is still ON
    EXPECT_EQ(x0(0x8400'0004, 1, 0), 0u);
    v[1]->state.store(VcpuState::Runnable);
    EXPECT_EQ(x0(0xc400'0004, 1, 0), 0u);
    v[1]->state.store(VcpuState::Dead);
    EXPECT_EQ(x0(0xc400'0004, 1, 0), 1u);
    EXPECT_EQ(x0(0xc400'0004, 7, 0), 1u);  // nobody there: OFF (Xen)
    // Level 1: the cluster (Aff1..) of vCPU 0 has a vCPU on; level 2 and 3 too.
    EXPECT_EQ(x0(0xc400'0004, 0x5, 1), 0u);
    EXPECT_EQ(x0(0xc400'0004, 0x105, 1), 1u);  // cluster 1: nobody
    EXPECT_EQ(x0(0xc400'0004, 0x0, 3), 0u);
    EXPECT_EQ(x0(0xc400'0004, 0, 4), kInvalidParameters);
}

TEST_F(VpsciTest, Effects)
{
    SmcccReply r = call(0x8400'0002);
    EXPECT_EQ(r.effect, VpsciEffect::CpuOff);
    EXPECT_EQ(r.x0, 0u);
    for (uint64_t f : {0x8400'0001ull, 0xc400'0001ull}) {
        r = call(f, 0, 0x4000'0000, 1);
        EXPECT_EQ(r.effect, VpsciEffect::Suspend);
        EXPECT_EQ(r.x0, 0u);
    }
    r = call(0x8400'0008);
    EXPECT_EQ(r.effect, VpsciEffect::SystemOff);
    EXPECT_EQ(r.x0, 0xffff'ffff'ffff'fffaull);  // INTERNAL_FAILURE if it ever returned
    r = call(0x8400'0009);
    EXPECT_EQ(r.effect, VpsciEffect::SystemReset);
    EXPECT_EQ(port.calls, 0);
}

static_assert(smccc_ret(-1) == 0xffff'ffff'ffff'ffffull);
static_assert(smccc_ret(Status::AlreadyOn) == 0xffff'ffff'ffff'fffcull);

}  // namespace
}  // namespace keel::arm64
