// SPDX-License-Identifier: MIT
//
// tests/unit/arch/arm64/gic/gic_regs_test.cpp
// Checks the pure GICv3 encoders against values worked out from the GICv3 spec
// (IHI 0069): register offsets, GICD_CTLR/GICR_TYPER/GICR_WAKER fields,
// ICC_SGI1R_EL1 values from an MPIDR, IROUTER values, affinity matching.
#include "arch/arm64/gic/gic_regs.hpp"

#include <gtest/gtest.h>

namespace keel::arm64 {
namespace {

TEST(GicRegs, DistributorOffsets)
{
    EXPECT_EQ(gicd::Ctlr::kOffset, 0x0000u);
    EXPECT_EQ(gicd::Typer::kOffset, 0x0004u);
    EXPECT_EQ(gicd::Igroupr::offset(1), 0x0084u);
    EXPECT_EQ(gicd::Isenabler::offset(2), 0x0108u);
    EXPECT_EQ(gicd::Icenabler::offset(1), 0x0184u);
    EXPECT_EQ(gicd::Icpendr::offset(1), 0x0284u);
    EXPECT_EQ(gicd::Icactiver::offset(1), 0x0384u);
    EXPECT_EQ(gicd::Ipriorityr::offset(33), 0x0421u);   // byte per INTID
    EXPECT_EQ(gicd::Ipriorityr32::offset(8), 0x0420u);  // INTIDs 32-35
    EXPECT_EQ(gicd::Icfgr::offset(2), 0x0C08u);         // INTIDs 32-47
    EXPECT_EQ(gicd::Igrpmodr::offset(1), 0x0D04u);
    EXPECT_EQ(gicd::Irouter::offset(32), 0x6100u);  // GICD_IROUTER<32>
    EXPECT_EQ(gicd::Irouter::offset(1019), 0x7FD8u);
    EXPECT_EQ(gicd::Pidr2::kOffset, 0xFFE8u);
}

TEST(GicRegs, RedistributorOffsets)
{
    EXPECT_EQ(gicr::Typer::kOffset, 0x0008u);
    EXPECT_EQ(gicr::Waker::kOffset, 0x0014u);
    EXPECT_EQ(gicr::Igroupr0::kOffset, 0x0080u);
    EXPECT_EQ(gicr::Isenabler0::kOffset, 0x0100u);
    EXPECT_EQ(gicr::Icenabler0::kOffset, 0x0180u);
    EXPECT_EQ(gicr::Ipriorityr::offset(26), 0x041Au);
    EXPECT_EQ(gicr::Icfgr1::kOffset, 0x0C04u);
    EXPECT_EQ(gicr::Igrpmodr0::kOffset, 0x0D00u);
    EXPECT_EQ(kGicrSgiFrameOffset, 0x10000u);
    EXPECT_EQ(kGicrStrideV3, 0x20000u);
    EXPECT_EQ(kGicrStrideV4, 0x40000u);
}

TEST(GicRegs, DistributorControlFields)
{
    // QEMU virt without EL3 reads GICD_CTLR.DS = 1.
    EXPECT_TRUE(gicd::CtlrBits::Ds::get(0x40));
    EXPECT_FALSE(gicd::CtlrBits::Ds::get(0x12));
    EXPECT_TRUE(gicd::CtlrBits::Rwp::get(0x8000'0000));
    EXPECT_EQ(gicd::CtlrBits::AreNs::make(true) | gicd::CtlrBits::EnableGrp1Ns::make(true), 0x12u);
    EXPECT_EQ(gicd_intid_count(0x0), 32u);
    EXPECT_EQ(gicd_intid_count(0x7), 256u);  // QEMU virt: ITLinesNumber 7
    EXPECT_EQ(gicd_intid_count(0x1e), 992u);
    EXPECT_EQ(gicd_intid_count(0x1f), 1020u);  // capped below the special INTIDs
    EXPECT_EQ(gicd::Pidr2Bits::ArchRev::get(0x3b), 3u);
}

TEST(GicRegs, SpecialAndPrivateIntids)
{
    EXPECT_FALSE(is_special_intid(1019));
    EXPECT_TRUE(is_special_intid(1020));
    EXPECT_TRUE(is_special_intid(1023));
    EXPECT_FALSE(is_special_intid(1024));  // LPIs start at 8192; 1024+ is reserved/extended
    EXPECT_TRUE(is_private_intid(0));
    EXPECT_TRUE(is_private_intid(26));
    EXPECT_FALSE(is_private_intid(32));
}

TEST(GicRegs, MpidrAffinity)
{
    const uint64_t mpidr =
        0x0000'00ab'8012'3456ull;  // Aff3 ab, U/MT bits set, Aff2 12, Aff1 34, Aff0 56
    EXPECT_EQ(mpidr_affinity(mpidr), 0xab'0012'3456ull);
    EXPECT_EQ(mpidr_affinity32(mpidr), 0xab12'3456u);
    EXPECT_EQ(irouter_for(mpidr), 0xab'0012'3456ull);  // Interrupt_Routing_Mode = 0
    EXPECT_FALSE(gicd::IrouterBits::InterruptRoutingMode::get(irouter_for(mpidr | 0x8000'0000)));
}

TEST(GicRegs, Sgi1rForAff0Below16)
{
    // CPU 3 of cluster 0: target list bit 3, RS 0.
    EXPECT_EQ(sgi1r_for(0x3, 0), 0x8u);
    EXPECT_EQ(sgi1r_for(0x3, 1), (uint64_t{1} << 24) | 0x8u);
    // Aff3 1, Aff2 2, Aff1 3, Aff0 15, SGI 7.
    const uint64_t v = sgi1r_for(0x01'0002'030full, 7);
    EXPECT_EQ(IccSgi1r::TargetList::get(v), 0x8000u);
    EXPECT_EQ(IccSgi1r::Aff1::get(v), 3u);
    EXPECT_EQ(IccSgi1r::Intid::get(v), 7u);
    EXPECT_EQ(IccSgi1r::Aff2::get(v), 2u);
    EXPECT_EQ(IccSgi1r::Rs::get(v), 0u);
    EXPECT_EQ(IccSgi1r::Aff3::get(v), 1u);
    EXPECT_FALSE(IccSgi1r::Irm::get(v));
    EXPECT_EQ(v, 0x0001'0002'0703'8000ull);
    EXPECT_FALSE(sgi_needs_rss(0x01'0002'030full));
}

TEST(GicRegs, Sgi1rRangeSelector)
{
    // Aff0 16 -> RS 1, bit 0; Aff0 0x25 (37) -> RS 2, bit 5; Aff0 255 -> RS 15, bit 15.
    EXPECT_EQ(sgi1r_for(0x10, 2), (uint64_t{1} << 44) | (uint64_t{2} << 24) | 0x1u);
    EXPECT_EQ(IccSgi1r::Rs::get(sgi1r_for(0x25, 0)), 2u);
    EXPECT_EQ(IccSgi1r::TargetList::get(sgi1r_for(0x25, 0)), 1u << 5);
    EXPECT_EQ(IccSgi1r::Rs::get(sgi1r_for(0xff, 0)), 15u);
    EXPECT_EQ(IccSgi1r::TargetList::get(sgi1r_for(0xff, 0)), 1u << 15);
    EXPECT_TRUE(sgi_needs_rss(0x10));
    EXPECT_TRUE(sgi_needs_rss(0xff));
}

TEST(GicRegs, Sgi1rBroadcastAndIntidRange)
{
    const uint64_t v = sgi1r_broadcast(1);
    EXPECT_TRUE(IccSgi1r::Irm::get(v));
    EXPECT_EQ(IccSgi1r::Intid::get(v), 1u);
    EXPECT_EQ(IccSgi1r::TargetList::get(v), 0u);
    EXPECT_EQ(IccSgi1r::Intid::get(sgi1r_for(0, 15)), 15u);
}

TEST(GicRegs, RedistributorTyperMatching)
{
    // GICR_TYPER of the redistributor for Aff2 0, Aff1 1, Aff0 2, Last set.
    const uint64_t typer = (uint64_t{0x0000'0102} << 32) | (uint64_t{5} << 8) | 0x10;
    EXPECT_TRUE(gicr_serves(typer, 0x102));
    EXPECT_TRUE(gicr_serves(typer, 0x8000'0102));  // MPIDR RES1 / MT bits ignored
    EXPECT_FALSE(gicr_serves(typer, 0x2));
    EXPECT_FALSE(gicr_serves(typer, 0x01'0000'0102ull));  // different Aff3
    EXPECT_TRUE(gicr::TyperBits::Last::get(typer));
    EXPECT_EQ(gicr::TyperBits::ProcessorNumber::get(typer), 5u);
    EXPECT_EQ(gicr_step(typer, 0), kGicrStrideV3);
    EXPECT_EQ(gicr_step(typer | 0x2, 0), kGicrStrideV4);  // VLPIS: GICv4 frames
    EXPECT_EQ(gicr_step(typer, 0x80000), 0x80000u);       // DT stride wins
}

TEST(GicRegs, CpuInterfaceFields)
{
    EXPECT_EQ(IccSre::Sre::make(true) | IccSre::Dfb::make(true) | IccSre::Dib::make(true) |
                  IccSre::Enable::make(true),
              0xfu);
    EXPECT_EQ(IccCtlr::EoiMode::put(0, true), 0x2u);
    EXPECT_TRUE(IccCtlr::Rss::get(uint64_t{1} << 18));
    EXPECT_EQ(IccIar::Intid::get(0xff00'0000 | 1023), 1023u);
    EXPECT_EQ(gicr::WakerBits::ProcessorSleep::put(0x6, false), 0x4u);
    EXPECT_TRUE(gicr::WakerBits::ChildrenAsleep::get(0x4));
}

}  // namespace
}  // namespace keel::arm64
