// SPDX-License-Identifier: MIT
//
// tests/unit/arch/arm64/vcpu/debug_state_test.cpp
// Checks the per-vCPU debug register emulation (debug_state.cpp), the guest's
// MDCR_EL2 (regs/debug.hpp) and the PMU policy (pmu_policy.hpp) against the
// Arm ARM encodings and Xen 4.17's answers.
#include "arch/arm64/vcpu/debug_state.hpp"

#include <gtest/gtest.h>

#include "arch/arm64/regs/debug.hpp"
#include "arch/arm64/vcpu/pmu_policy.hpp"
#include "arch/arm64/vcpu/sysreg_iss.hpp"

namespace keel::arm64 {
namespace {

constexpr DebugCaps kCaps{6, 4, 0xf};  // QEMU cortex-a57: 6 breakpoints, 4 watchpoints
constexpr uint32_t kBvr0 = sysreg_key(2, 0, 0, 0, 4), kBcr0 = sysreg_key(2, 0, 0, 0, 5);
constexpr uint32_t kWvr3 = sysreg_key(2, 0, 0, 3, 6), kWcr3 = sysreg_key(2, 0, 0, 3, 7);
constexpr uint32_t kWcr4 = sysreg_key(2, 0, 0, 4, 7), kBcr6 = sysreg_key(2, 0, 0, 6, 5);
constexpr uint32_t kMdscr = sysreg_key(2, 0, 0, 2, 2), kOslar = sysreg_key(2, 0, 1, 0, 4);
constexpr uint32_t kOslsr = sysreg_key(2, 0, 1, 1, 4), kMdccsr = sysreg_key(2, 3, 0, 1, 0);
constexpr uint32_t kClaimSet = sysreg_key(2, 0, 7, 8, 6), kClaimClr = sysreg_key(2, 0, 7, 9, 6);
constexpr uint32_t kDbgdtr = sysreg_key(2, 3, 0, 4, 0), kOsdlr = sysreg_key(2, 0, 1, 3, 4);

struct Fixture {
    VcpuDebug s;
    uint64_t mdscr = 0;
    DebugAccess write(uint32_t key, uint64_t v, bool el0 = false)
    {
        return emulate_debug_reg(s, mdscr, kCaps, key, false, v, el0);
    }
    DebugAccess read(uint32_t key, bool el0 = false)
    {
        return emulate_debug_reg(s, mdscr, kCaps, key, true, 0, el0);
    }
};

TEST(DebugState, PointsAreKeptPerVcpuAndMasked)
{
    Fixture a, b;
    EXPECT_EQ(a.write(kBvr0, 0x4000'1003).outcome, DebugOutcome::DoneReloadHw);
    EXPECT_EQ(a.write(kBcr0, 0xffff'ffff).outcome, DebugOutcome::DoneReloadHw);
    EXPECT_EQ(b.write(kBvr0, 0x1234'5670).outcome, DebugOutcome::DoneReloadHw);
    EXPECT_EQ(a.read(kBvr0).value, 0x4000'1000u);  // bits [1:0] RES0
    EXPECT_EQ(a.read(kBcr0).value, kDbgbcrWritable);
    EXPECT_EQ(b.read(kBvr0).value, 0x1234'5670u);
    EXPECT_EQ(b.read(kBcr0).value, 0u);
    EXPECT_EQ(a.write(kWcr3, 0xffff'ffff).outcome, DebugOutcome::DoneReloadHw);
    EXPECT_EQ(a.read(kWcr3).value, kDbgwcrWritable);
    EXPECT_EQ(a.write(kWvr3, 0x8).outcome, DebugOutcome::DoneReloadHw);
    EXPECT_EQ(a.s.wvr[3], 0x8u);
}

TEST(DebugState, PointsBeyondTheCpuAreUndefined)
{
    Fixture f;
    EXPECT_EQ(f.write(kWcr4, 1).outcome, DebugOutcome::Undef);  // 4 watchpoints: 0..3
    EXPECT_EQ(f.read(kBcr6).outcome, DebugOutcome::Undef);      // 6 breakpoints: 0..5
    EXPECT_EQ(f.s.wcr[4], 0u);
}

TEST(DebugState, HardwareNeededOnlyWhenSomethingIsEnabled)
{
    Fixture f;
    EXPECT_FALSE(debug_needs_hw(f.s, kCaps));
    f.write(kBvr0, 0x4000'0000);
    f.write(kBcr0, 0x1e6);  // everything but E
    EXPECT_FALSE(debug_needs_hw(f.s, kCaps));
    f.write(kWcr3, 0x1ff7);
    EXPECT_TRUE(debug_needs_hw(f.s, kCaps));
    f.write(kWcr3, 0);
    EXPECT_FALSE(debug_needs_hw(f.s, kCaps));
    f.write(kOslar, 1);
    EXPECT_TRUE(debug_needs_hw(f.s, kCaps));
}

TEST(DebugState, OsLockAndMdscr)
{
    Fixture f;
    EXPECT_EQ(f.read(kOslsr).value, 0x8u);  // OSLM 0b10, unlocked at reset
    EXPECT_EQ(f.write(kOslar, 1).outcome, DebugOutcome::DoneReloadHw);
    EXPECT_EQ(f.read(kOslsr).value, 0xau);
    EXPECT_EQ(f.read(kOslar).outcome, DebugOutcome::Undef);  // write-only
    EXPECT_EQ(f.write(kOslsr, 0).outcome, DebugOutcome::Undef);  // read-only
    f.write(kOslar, 0);
    EXPECT_EQ(f.read(kOslsr).value, 0x8u);

    EXPECT_EQ(f.write(kMdscr, ~uint64_t{0}).outcome, DebugOutcome::Done);
    EXPECT_EQ(f.mdscr, kMdscrGuestWritable);  // SS, TDCC, KDE, MDE only
    EXPECT_EQ(f.read(kMdscr).value, kMdscrGuestWritable);
}

TEST(DebugState, ClaimTagsAndTheRest)
{
    Fixture f;
    f.write(kClaimSet, 0x1f5);
    EXPECT_EQ(f.read(kClaimClr).value, 0xf5u);
    f.write(kClaimClr, 0x05);
    EXPECT_EQ(f.read(kClaimSet).value, 0xf0u);
    EXPECT_EQ(f.read(kMdccsr, true).value, 0u);  // EL0 may read the DCC status
    EXPECT_EQ(f.write(kMdccsr, 0).outcome, DebugOutcome::Undef);
    EXPECT_EQ(f.read(kDbgdtr).outcome, DebugOutcome::Undef);  // no DCC (Xen too)
    EXPECT_EQ(f.write(kOsdlr, 1).outcome, DebugOutcome::Done);  // RAZ/WI (Xen too)
    EXPECT_EQ(f.read(kOsdlr).value, 0u);
    EXPECT_EQ(f.read(kBvr0, true).outcome, DebugOutcome::Undef);  // EL1-only register from EL0
    EXPECT_EQ(f.read(sysreg_key(3, 0, 1, 0, 0)).outcome, DebugOutcome::NotDebug);  // SCTLR_EL1
}

TEST(DebugRegs, GuestMdcr)
{
    // cortex-a57: PMUv3 (PMUVer 1), no SPE/TRF; PMCR_EL0.N = 6.
    const uint64_t a57 = 0x1030'5106;
    const uint64_t m = mdcr_guest(a57, 6);
    EXPECT_TRUE(Mdcr::Tda::get(m) && Mdcr::Tdosa::get(m) && Mdcr::Tdra::get(m));
    EXPECT_TRUE(Mdcr::Tpm::get(m) && Mdcr::Tpmcr::get(m));
    EXPECT_EQ(Mdcr::Hpmn::get(m), 6);
    EXPECT_FALSE(Mdcr::Tde::get(m) || Mdcr::Hpme::get(m) || Mdcr::Hpmd::get(m) || Mdcr::Tpms::get(m));
    EXPECT_EQ(m, 0xe66u);
    // PMUv3p5 with SPE and TRF: EL2 does not count; profiling and trace filter trap.
    const uint64_t v85 = IdAa64Dfr0::PmuVer::make(6) | IdAa64Dfr0::PmsVer::make(1) |
                         IdAa64Dfr0::TraceFilt::make(1);
    const uint64_t m2 = mdcr_guest(v85, 20);
    EXPECT_TRUE(Mdcr::Hpmd::get(m2) && Mdcr::Hccd::get(m2) && Mdcr::Tpms::get(m2) && Mdcr::Ttrf::get(m2));
    // No PMU: its fields stay 0 (RES0).
    const uint64_t m3 = mdcr_guest(0x6, 0);
    EXPECT_EQ(m3, Mdcr::Tda::kMask | Mdcr::Tdosa::kMask | Mdcr::Tdra::kMask);
    EXPECT_EQ(breakpoint_count(a57), 6u);
    EXPECT_EQ(watchpoint_count(a57), 4u);
}

TEST(PmuPolicy, XenDomUAnswers)
{
    const uint32_t raz_wi[] = {sysreg_key(3, 3, 9, 12, 0), sysreg_key(3, 3, 9, 12, 1),
                               sysreg_key(3, 3, 9, 12, 2), sysreg_key(3, 3, 9, 12, 3),
                               sysreg_key(3, 3, 9, 12, 4), sysreg_key(3, 3, 9, 12, 5),
                               sysreg_key(3, 3, 9, 12, 6), sysreg_key(3, 3, 9, 12, 7),
                               sysreg_key(3, 3, 9, 13, 0), sysreg_key(3, 3, 9, 13, 1),
                               sysreg_key(3, 3, 9, 13, 2), sysreg_key(3, 3, 9, 14, 0),
                               sysreg_key(3, 3, 9, 14, 3), sysreg_key(3, 0, 9, 14, 1),
                               sysreg_key(3, 0, 9, 14, 2)};
    for (const uint32_t k : raz_wi) {
        EXPECT_EQ(pmu_access(k, true, false), PmuOutcome::RazWi) << std::hex << k;
        EXPECT_EQ(pmu_access(k, false, false), PmuOutcome::RazWi) << std::hex << k;
        if (k != pmu::PMUSERENR_EL0) {
            EXPECT_EQ(pmu_access(k, true, true), PmuOutcome::Undef) << std::hex << k;
        }
    }
    EXPECT_EQ(pmu_access(pmu::PMUSERENR_EL0, true, true), PmuOutcome::RazWi);
    EXPECT_EQ(pmu_access(pmu::PMUSERENR_EL0, false, true), PmuOutcome::Undef);
    for (uint32_t crm = 8; crm < 16; ++crm) {
        for (uint32_t op2 = 0; op2 < 8; ++op2) {
            EXPECT_EQ(pmu_access(sysreg_key(3, 3, 14, crm, op2), true, false), PmuOutcome::Undef);
        }
    }
    EXPECT_EQ(pmu_access(pmu::PMMIR_EL1, true, false), PmuOutcome::Undef);
    EXPECT_EQ(pmu_access(sysreg_key(3, 3, 14, 3, 1), true, false), PmuOutcome::NotPmu);  // CNTV_CTL
    EXPECT_EQ(pmu_access(sysreg_key(3, 0, 9, 9, 0), true, false), PmuOutcome::NotPmu);   // SPE
    EXPECT_EQ(pmu_access(sysreg_key(2, 0, 0, 0, 4), true, false), PmuOutcome::NotPmu);   // DBGBVR0
}

}  // namespace
}  // namespace keel::arm64
