// SPDX-License-Identifier: MIT
//
// tests/unit/arch/arm64/vcpu/exception_entry_test.cpp
// Checks the arithmetic of exceptions injected into a guest's EL1 (vectors,
// handler PSTATE, ESR_EL1 encodings), the trapped-system-register decoding,
// the reset register state of a vCPU and HCR_EL2's guest value, against values
// worked out from the Arm ARM.
#include "arch/arm64/vcpu/exception_entry.hpp"

#include <gtest/gtest.h>

#include "arch/arm64/regs/hcr.hpp"
#include "arch/arm64/vcpu/initial_state.hpp"
#include "arch/arm64/vcpu/sysreg_iss.hpp"

namespace keel::arm64 {
namespace {

TEST(ExceptionEntry, VectorForEachOrigin)
{
    const uint64_t vbar = 0xffff'8000'1001'0800ull;
    EXPECT_EQ(el1_sync_entry(0x1000, 0x3c5, vbar, 0, false).pc, vbar + 0x200);  // EL1h
    EXPECT_EQ(el1_sync_entry(0x1000, 0x3c4, vbar, 0, false).pc, vbar + 0x000);  // EL1t
    EXPECT_EQ(el1_sync_entry(0x1000, 0x000, vbar, 0, false).pc, vbar + 0x400);  // EL0 AArch64
    EXPECT_EQ(el1_sync_entry(0x1000, 0x010, vbar, 0, false).pc, vbar + 0x600);  // EL0 AArch32 (usr)
}

TEST(ExceptionEntry, ReturnStateAndHandlerPstate)
{
    const uint64_t guest = 0x6000'0000 | 0x5;  // Z, C set, EL1h, interrupts unmasked
    const El1Entry e = el1_sync_entry(0xffff'0000'0000'1234ull, guest, 0x8000, 0x00c5'0078, false);
    EXPECT_EQ(e.elr, 0xffff'0000'0000'1234ull);
    EXPECT_EQ(e.spsr, guest);
    EXPECT_EQ(e.pstate, 0x3c5u);  // EL1h, D A I F masked, flags cleared
    // DIT is kept, SSBS follows SCTLR_EL1.DSSBS, PAN is set when SPAN is clear.
    const uint64_t dit = uint64_t{1} << 24;
    EXPECT_EQ(el1_handler_pstate(dit, 0, false), 0x3c5u | dit);
    EXPECT_EQ(el1_handler_pstate(0, uint64_t{1} << 44, false), 0x3c5u | (1u << 12));
    EXPECT_EQ(el1_handler_pstate(0, 0, true), 0x3c5u | (1u << 22));
}

TEST(ExceptionEntry, SyndromeValues)
{
    EXPECT_EQ(esr_undef(true), 0x0200'0000u);                // EC 0, IL
    EXPECT_EQ(esr_data_abort(0x3c5, true), 0x9600'0010u);    // EC 0x25: same EL, SEA
    EXPECT_EQ(esr_data_abort(0x000, true), 0x9200'0010u);    // EC 0x24: from EL0
    EXPECT_EQ(esr_instr_abort(0x3c5, true), 0x8600'0010u);   // EC 0x21
    EXPECT_EQ(esr_instr_abort(0x010, true), 0x8200'0010u);   // EC 0x20, AArch32 EL0
}

TEST(SysRegIss, DecodesTrappedAccesses)
{
    // mrs x3, actlr_el1: op0 3, op1 0, CRn 1, CRm 0, op2 1, Rt 3, read.
    const uint32_t iss = (3u << 20) | (1u << 17) | (1u << 10) | (3u << 5) | 1u;
    const TrappedSysReg r = decode_sysreg_iss(iss);
    EXPECT_EQ(r.key, sysreg::ACTLR_EL1);
    EXPECT_EQ(r.rt, 3u);
    EXPECT_TRUE(r.read);
    // dc cisw, x0: op0 1, op1 0, CRn 7, CRm 14, op2 2, write.
    const uint32_t dc = (1u << 20) | (2u << 17) | (7u << 10) | (14u << 1);
    EXPECT_EQ(decode_sysreg_iss(dc).key, sysreg::DC_CISW);
    EXPECT_FALSE(decode_sysreg_iss(dc).read);
    // ISS bits above the encoding (RES0 / ISS2) never change the key.
    EXPECT_EQ(decode_sysreg_iss(dc | (1u << 24)).key, sysreg::DC_CISW);
    EXPECT_NE(sysreg::ICC_SGI1R_EL1, sysreg::ICC_ASGI1R_EL1);
    EXPECT_NE(sysreg::CNTP_CTL_EL0, sysreg::CNTP_CVAL_EL0);
}

TEST(InitialState, XenResetValues)
{
    TrapFrame regs{};
    regs.x[5] = 99;
    regs.sp = 77;
    VcpuSysregs sys{};
    sys.ttbr0_el1 = 1;
    reset_vcpu_context(regs, sys, 0x4020'0000, 0x4800'0000);
    EXPECT_EQ(regs.elr, 0x4020'0000u);
    EXPECT_EQ(regs.x[0], 0x4800'0000u);
    EXPECT_EQ(regs.x[5], 0u);
    EXPECT_EQ(regs.sp, 0u);
    EXPECT_EQ(regs.spsr, 0x3c5u);
    EXPECT_EQ(sys.sctlr_el1, 0x00c5'0078u);
    EXPECT_EQ(sys.ttbr0_el1, 0u);
    EXPECT_EQ(vcpu_vmpidr(0), 0x8000'0000u);
    EXPECT_EQ(vcpu_vmpidr(17), 0x8000'0101u);  // Aff0 = 1, Aff1 = 1
}

TEST(Hcr, GuestValueIsXensFlagsPlusWfxTraps)
{
    EXPECT_TRUE(Hcr::Vm::get(kHcrGuest));
    EXPECT_TRUE(Hcr::Imo::get(kHcrGuest) && Hcr::Fmo::get(kHcrGuest) && Hcr::Amo::get(kHcrGuest));
    EXPECT_TRUE(Hcr::Twi::get(kHcrGuest) && Hcr::Twe::get(kHcrGuest));
    EXPECT_TRUE(Hcr::Tsc::get(kHcrGuest) && Hcr::Tsw::get(kHcrGuest) && Hcr::Tac::get(kHcrGuest));
    EXPECT_EQ(Hcr::Bsu::get(kHcrGuest), 1u);
    EXPECT_TRUE(Hcr::Rw::get(kHcrGuest));
    EXPECT_FALSE((kHcrGuest >> 27) & 1);  // TGE
    EXPECT_TRUE(Hcr::Tid3::get(kHcrGuest));  // ID registers: the domain's view (id_view)
    EXPECT_TRUE(Hcr::Tlor::get(kHcrGuest));  // LOR registers (hidden, not switched)
}

}  // namespace
}  // namespace keel::arm64
