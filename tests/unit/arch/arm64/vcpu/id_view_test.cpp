// SPDX-License-Identifier: MIT
//
// tests/unit/arch/arm64/vcpu/id_view_test.cpp
// The CPU feature view (arch/arm64/vcpu/id_view): given a host ID register
// value, the guest's. Host values are QEMU's cortex-a57 and `-cpu max`-like
// ones (every field set) so each rule is seen acting.
#include "arch/arm64/vcpu/id_view.hpp"

#include <gtest/gtest.h>

namespace keel::arm64 {
namespace {

constexpr uint64_t kAll = ~uint64_t{0} / 15;  // every 4-bit field = 1
constexpr uint64_t field(uint64_t v, unsigned lsb) { return (v >> lsb) & 0xf; }
constexpr HostCpuFacts kEl0Aarch32{.aa64pfr0 = 0x2};
constexpr HostCpuFacts kEl0Aarch64Only{.aa64pfr0 = 0x1};

TEST(IdViewTest, Pfr0OfCortexA57WithGicV3)
{
    // EL0-EL3 AArch64+AArch32, FP, AdvSIMD, GIC system registers.
    const uint64_t host = 0x0100'2222;
    const GuestCpuConfig cfg{.sve = false, .ipa_bits = 39};
    EXPECT_EQ(guest_id_reg(idreg::ID_AA64PFR0, host, kEl0Aarch32, cfg), 0x0100'2012u)
        << "EL1 AArch64 only, no EL2, EL3 and EL0 as the host";
}

TEST(IdViewTest, SveShownOnlyWithTheDomainsSve)
{
    const uint64_t host = 0x1'0000'0000 | 0x1111;  // SVE = 1
    const uint64_t zfr0 = 0x0110'0000'0001'0011;
    GuestCpuConfig cfg{.sve = false, .ipa_bits = 39};
    EXPECT_EQ(field(guest_id_reg(idreg::ID_AA64PFR0, host, kEl0Aarch32, cfg), 32), 0u);
    EXPECT_EQ(guest_id_reg(idreg::ID_AA64ZFR0, zfr0, kEl0Aarch32, cfg), 0u);
    cfg.sve = true;
    EXPECT_EQ(field(guest_id_reg(idreg::ID_AA64PFR0, host, kEl0Aarch32, cfg), 32), 1u);
    EXPECT_EQ(guest_id_reg(idreg::ID_AA64ZFR0, zfr0, kEl0Aarch32, cfg), zfr0);
}

TEST(IdViewTest, WhatKeelDoesNotVirtualiseIsHidden)
{
    const GuestCpuConfig cfg{.sve = true, .ipa_bits = 39};
    const uint64_t pfr0 = guest_id_reg(idreg::ID_AA64PFR0, kAll, kEl0Aarch32, cfg);
    EXPECT_EQ(field(pfr0, 28), 0u) << "RAS";
    EXPECT_EQ(field(pfr0, 40), 0u) << "MPAM";
    EXPECT_EQ(field(pfr0, 44), 0u) << "AMU";
    EXPECT_EQ(field(pfr0, 36), 0u) << "SEL2";
    const uint64_t pfr1 = guest_id_reg(idreg::ID_AA64PFR1, kAll, kEl0Aarch32, cfg);
    EXPECT_EQ(field(pfr1, 8), 0u) << "MTE";
    EXPECT_EQ(field(pfr1, 24), 0u) << "SME";
    EXPECT_EQ(field(pfr1, 0), 1u) << "BTI shown";
    EXPECT_EQ(guest_id_reg(idreg::ID_AA64SMFR0, kAll, kEl0Aarch32, cfg), 0u);
    const uint64_t dfr0 = guest_id_reg(idreg::ID_AA64DFR0, 0x0000'0000'f0f0'f6f6, kEl0Aarch32, cfg);
    EXPECT_EQ(field(dfr0, 8), 0u) << "PMUVer";
    EXPECT_EQ(field(dfr0, 0), 6u) << "DebugVer is the hardware's";
    EXPECT_EQ(field(dfr0, 12), 0xfu) << "BRPs";
    EXPECT_EQ(field(dfr0, 20), 0xfu) << "WRPs";
    const uint64_t isar1 = guest_id_reg(idreg::ID_AA64ISAR1, kAll, kEl0Aarch32, cfg);
    EXPECT_EQ(field(isar1, 4) | field(isar1, 8) | field(isar1, 24) | field(isar1, 28), 0u)
        << "pointer authentication";
    EXPECT_EQ(field(isar1, 0), 1u) << "DPB shown";
    EXPECT_EQ(field(guest_id_reg(idreg::ID_AA64MMFR1, kAll, kEl0Aarch32, cfg), 16), 0u) << "LOR";
}

TEST(IdViewTest, CapsAndFixedValues)
{
    const GuestCpuConfig cfg{.sve = false, .ipa_bits = 39};
    const uint64_t pfr0 = guest_id_reg(idreg::ID_AA64PFR0, 0x0300'0000'0300'0000, kEl0Aarch32, cfg);
    EXPECT_EQ(field(pfr0, 24), 1u) << "GIC: the v3 system registers, never 4.1";
    EXPECT_EQ(field(pfr0, 56), 1u) << "CSV2 without SCXTNUM_ELx (not switched)";
    EXPECT_EQ(field(pfr0, 4), 1u) << "EL1: AArch64 only";
    EXPECT_EQ(guest_id_reg(idreg::ID_AA64MMFR0, 0x5, kEl0Aarch32, cfg), 1u) << "48-bit host: 36";
    EXPECT_EQ(guest_id_reg(idreg::ID_AA64MMFR0, 0x0, kEl0Aarch32, cfg), 0u);
    EXPECT_EQ(parange_for_bits(39), 1u);
    EXPECT_EQ(parange_for_bits(40), 2u);
    EXPECT_EQ(parange_for_bits(48), 5u);
    EXPECT_EQ(field(guest_id_reg(idreg::ID_AA64MMFR0, 0x3000'0000'0000'0000, kEl0Aarch32, cfg), 60),
              1u)
        << "ECV: the self-synchronised counter views, not CNTPOFF";
}

TEST(IdViewTest, UnknownFieldsAndRegistersReadAsZero)
{
    const GuestCpuConfig cfg{};
    EXPECT_EQ(guest_id_reg(id_reg_index(4, 3), kAll, kEl0Aarch32, cfg), 0u);   // reserved
    EXPECT_EQ(guest_id_reg(id_reg_index(4, 2), kAll, kEl0Aarch32, cfg), 0u);   // ID_AA64PFR2
    EXPECT_EQ(guest_id_reg(id_reg_index(7, 3), kAll, kEl0Aarch32, cfg), 0u);   // ID_AA64MMFR3
    EXPECT_EQ(guest_id_reg(id_reg_index(5, 4), kAll, kEl0Aarch32, cfg), 0u);   // ID_AA64AFR0
    // ID_AA64PFR1 bits 63:40 name features the table does not know: hidden.
    EXPECT_EQ(guest_id_reg(idreg::ID_AA64PFR1, kAll, kEl0Aarch32, cfg) >> 40, 0u);
    EXPECT_EQ(id_reg_name(id_reg_index(4, 3)), nullptr);
    EXPECT_STREQ(id_reg_name(idreg::ID_AA64PFR0), "ID_AA64PFR0_EL1");
}

TEST(IdViewTest, Aarch32RegistersFollowEl0)
{
    const GuestCpuConfig cfg{};
    const uint64_t isar0 = 0x0210'1110;
    EXPECT_EQ(guest_id_reg(id_reg_index(2, 0), isar0, kEl0Aarch32, cfg), isar0);
    EXPECT_EQ(guest_id_reg(id_reg_index(2, 0), isar0, kEl0Aarch64Only, cfg), 0u);
    const uint64_t dfr0 = 0x0301'0066;  // PerfMon 3
    EXPECT_EQ(field(guest_id_reg(idreg::ID_DFR0, dfr0, kEl0Aarch32, cfg), 24), 0u);
    EXPECT_EQ(field(guest_id_reg(idreg::ID_DFR0, dfr0, kEl0Aarch32, cfg), 0), 6u);
}

}  // namespace
}  // namespace keel::arm64
