// SPDX-License-Identifier: MIT
//
// tests/unit/arch/arm64/vcpu/stage2_fault_test.cpp
// Checks the stage-2 abort syndrome decode against ISS values assembled by hand
// from the Arm ARM field positions (ISV 24, SAS 23:22, SSE 21, SRT 20:16, SF 15,
// CM 8, S1PTW 7, WnR 6, DFSC 5:0) for the instructions a guest's MMIO driver
// uses, and the register results of loads and stores (widths, sign extension,
// W registers, XZR).
#include "arch/arm64/vcpu/stage2_fault.hpp"

#include <gtest/gtest.h>

#include "arch/arm64/mmu/stage2_control.hpp"

namespace keel::arm64 {
namespace {

TEST(Stage2AbortDecode, StoreWordFromW5)
{
    // str w5, [x2]: ISV, SAS 10, SRT 5, WnR, DFSC 0b000110 (translation, level 2).
    const auto s = decode_abort_iss(0x0185'0046);
    EXPECT_TRUE(s.isv);
    EXPECT_EQ(s.size, 4u);
    EXPECT_EQ(s.reg, 5u);
    EXPECT_TRUE(s.write);
    EXPECT_FALSE(s.sf);
    EXPECT_FALSE(s.s1ptw);
    EXPECT_EQ(s.fsc, 0x06u);
    EXPECT_TRUE(fsc_is_translation(s.fsc));
    EXPECT_TRUE(hpfar_valid(s));
    TrapFrame f{};
    f.x[5] = 0x1122'3344'5566'7788;
    EXPECT_EQ(mmio_store_value(f, s), 0x5566'7788u);
}

TEST(Stage2AbortDecode, LoadDoublewordIntoX30)
{
    // ldr x30, [x0]: ISV, SAS 11, SRT 30, SF, DFSC 0b000111.
    const auto s = decode_abort_iss(0x01de'8007);
    EXPECT_TRUE(s.isv);
    EXPECT_EQ(s.size, 8u);
    EXPECT_EQ(s.reg, 30u);
    EXPECT_TRUE(s.sf);
    EXPECT_FALSE(s.write);
    TrapFrame f{};
    mmio_complete_load(f, s, 0xfedc'ba98'7654'3210);
    EXPECT_EQ(f.x[30], 0xfedc'ba98'7654'3210u);
}

TEST(Stage2AbortDecode, StoreByteOfXzrWritesZero)
{
    // strb wzr, [x1]: ISV, SAS 00, SRT 31, WnR.
    const auto s = decode_abort_iss(0x011f'0047);
    EXPECT_EQ(s.size, 1u);
    EXPECT_EQ(s.reg, kXzr);
    TrapFrame f{};
    for (auto& r : f.x) r = ~uint64_t{0};
    EXPECT_EQ(mmio_store_value(f, s), 0u);
}

TEST(Stage2AbortDecode, LoadIntoXzrIsDiscarded)
{
    // ldr wzr, [x1]: ISV, SAS 10, SRT 31.
    const auto s = decode_abort_iss(0x019f'0007);
    TrapFrame f{};
    mmio_complete_load(f, s, 0x1234);
    for (const auto r : f.x) EXPECT_EQ(r, 0u);
}

TEST(Stage2AbortDecode, SignExtendingLoads)
{
    // ldrsb x2, [x1]: SAS 00, SSE, SRT 2, SF.
    const auto b = decode_abort_iss(0x0122'8007);
    EXPECT_TRUE(b.sign_extend);
    EXPECT_EQ(mmio_load_result(0x80, b), 0xffff'ffff'ffff'ff80u);
    EXPECT_EQ(mmio_load_result(0x7f, b), 0x7fu);
    EXPECT_EQ(mmio_load_result(0xabcd'ef80, b), 0xffff'ffff'ffff'ff80u);  // only the byte counts
    // ldrsh w1, [x0]: SAS 01, SSE, SRT 1, no SF: sign-extended to 32 bits, upper half zero.
    const auto h = decode_abort_iss(0x0161'0007);
    EXPECT_EQ(mmio_load_result(0xfffe, h), 0xffff'fffeu);
    // ldrsw x4, [x0]: SAS 10, SSE, SRT 4, SF.
    const auto w = decode_abort_iss(0x01a4'8007);
    EXPECT_EQ(mmio_load_result(0x8000'0000, w), 0xffff'ffff'8000'0000u);
}

TEST(Stage2AbortDecode, ZeroExtendingLoadsTruncate)
{
    // ldrh w3, [x1]: SAS 01, SRT 3.
    const auto s = decode_abort_iss(0x0143'0007);
    EXPECT_EQ(mmio_load_result(0xdead'beef, s), 0xbeefu);
    // ldr w3, [x1] with a handler that returned more than 32 bits.
    const auto w = decode_abort_iss(0x0183'0007);
    EXPECT_EQ(mmio_load_result(0x1'2345'6789, w), 0x2345'6789u);
}

TEST(Stage2AbortDecode, NoSyndromeWalkAndCacheMaintenance)
{
    // ldp x0, x1, [x2] (no syndrome): ISV 0.
    EXPECT_FALSE(decode_abort_iss(0x0000'0007).isv);
    // A stage-2 fault on the guest's own stage-1 walk: S1PTW, DFSC translation level 1.
    const auto w = decode_abort_iss(0x0000'0085);
    EXPECT_TRUE(w.s1ptw);
    EXPECT_TRUE(hpfar_valid(w));
    // dc ivac on an unmapped IPA: CM and WnR, ISV 0.
    const auto cm = decode_abort_iss(0x0000'0147);
    EXPECT_TRUE(cm.cm);
    EXPECT_TRUE(cm.write);
    EXPECT_FALSE(cm.isv);
}

TEST(Stage2AbortDecode, HpfarValidOnlyForTranslationAndAccessFlagFaults)
{
    EXPECT_TRUE(hpfar_valid(decode_abort_iss(0x04)));   // translation, level 0
    EXPECT_TRUE(hpfar_valid(decode_abort_iss(0x0b)));   // access flag, level 3
    EXPECT_FALSE(hpfar_valid(decode_abort_iss(0x0f)));  // permission, level 3
    EXPECT_FALSE(hpfar_valid(decode_abort_iss(0x10)));  // synchronous external abort
    EXPECT_FALSE(hpfar_valid(decode_abort_iss(0x21)));  // alignment
    EXPECT_TRUE(fsc_is_permission(0x0d));
    EXPECT_TRUE(fsc_is_access_flag(0x09));
}

TEST(Stage2AbortDecode, FaultIpaFromHpfarAndFar)
{
    // HPFAR_EL2.FIPA (bits 43:4) = IPA[47:12]; FAR gives the page offset.
    EXPECT_EQ(fault_ipa(0x0000'0000'0003'0010, 0xffff'8000'0000'0abc),
              GuestPhysAddr{0x0300'1abc});
    EXPECT_EQ(fault_ipa(0x0000'0000'0220'0000, 0x0000'0000'0000'0018),
              GuestPhysAddr{0x2'2000'0018});
}

}  // namespace
}  // namespace keel::arm64
