// SPDX-License-Identifier: MIT
//
// tests/unit/arch/arm64/vgic/vgic_dist_test.cpp
// Checks the emulated distributor against the GICv3 register map (IHI 0069,
// "Distributor register map") as Linux's GICv3 driver uses it: identification,
// GICD_CTLR with ARE_NS fixed, the SPI set/clear registers, byte and word
// priorities, ICFGR, 64-bit IROUTER (and its 32-bit halves) with routing, the
// Secure-only and SGI/PPI halves reading as zero, and the access-width rules.
#include <gtest/gtest.h>

#include "vgic_fixture.hpp"

namespace keel::arm64::vgic {
namespace {

using test::VgicWorld;

TEST(VgicDist, Identification)
{
    VgicWorld w{3};
    EXPECT_EQ(w.gicd_read(0xffe8) & 0xf0, 0x30u);  // PIDR2.ArchRev = 3
    EXPECT_EQ(w.gicd_read(0x0008), kVgicIidr);
    const uint64_t typer = w.gicd_read(0x0004);
    EXPECT_EQ(typer & 0x1f, 1u);          // ITLinesNumber: INTIDs up to 63
    EXPECT_EQ((typer >> 5) & 7, 2u);      // CPUNumber: 3 vCPUs
    EXPECT_EQ((typer >> 19) & 0x1f, 9u);  // IDbits: 10 bits
    EXPECT_EQ(typer & (1u << 17), 0u);    // no LPIs
    EXPECT_EQ(typer & (1u << 16), 0u);    // no MBIS
    EXPECT_EQ(w.gicd_read(0x000c), 0u);   // TYPER2
    EXPECT_EQ(w.gicd_read(0x0010), 0u);   // STATUSR
    EXPECT_EQ(w.gicd_read(0xffd0), 0u);   // other ID registers
}

TEST(VgicDist, CtlrKeepsAreAndEnablesForwarding)
{
    VgicWorld w{2};
    EXPECT_EQ(w.gicd_read(0), 1u << 4);  // ARE_NS, disabled, RWP = 0
    // Linux: ARE_NS | EnableGrp1A | EnableGrp1.
    const MmioOutcome o = w.gicd_write(0, (1u << 4) | (1u << 1) | 1u);
    EXPECT_EQ(o.status, MmioStatus::Ok);
    EXPECT_EQ(o.update, 0x3u);  // every vCPU re-evaluates
    EXPECT_TRUE(w.d->vgic.enabled);
    EXPECT_EQ(w.gicd_read(0), (1u << 4) | (1u << 1));
    EXPECT_EQ(w.gicd_write(0, 0).update, 0u);  // ARE_NS cannot be cleared
    EXPECT_EQ(w.gicd_read(0), 1u << 4);
}

TEST(VgicDist, SetClearRegisters)
{
    VgicWorld w;
    EXPECT_EQ(w.gicd_write(0x0104, 0x5).update, 0u);  // enable SPIs 32, 34 (none pending)
    EXPECT_EQ(w.gicd_read(0x0104), 0x5u);
    EXPECT_EQ(w.gicd_read(0x0184), 0x5u);
    EXPECT_EQ(w.gicd_write(0x0184, 0x1).update, 0u);
    EXPECT_EQ(w.gicd_read(0x0104), 0x4u);

    const MmioOutcome p = w.gicd_write(0x0204, 0x4);  // ISPENDR1: SPI 34 pending
    EXPECT_EQ(p.update, 0x1u);                        // routed to vCPU 0 (IROUTER 0)
    EXPECT_EQ(w.gicd_read(0x0284), 0x4u);
    (void)w.gicd_write(0x0284, 0x4);
    EXPECT_EQ(w.gicd_read(0x0204), 0u);

    (void)w.gicd_write(0x0304, 0x2);  // ISACTIVER1
    EXPECT_EQ(w.gicd_read(0x0384), 0x2u);
    (void)w.gicd_write(0x0384, 0x2);
    EXPECT_EQ(w.gicd_read(0x0304), 0u);

    // SGIs/PPIs live in the redistributors (ARE = 1): register 0 is RAZ/WI here.
    (void)w.gicd_write(0x0100, ~0u);
    EXPECT_EQ(w.gicd_read(0x0100), 0u);
    EXPECT_EQ(w.v[0].vgic.priv.enabled, 0u);
    // Beyond the implemented SPIs: RAZ/WI.
    (void)w.gicd_write(0x0108, ~0u);
    EXPECT_EQ(w.gicd_read(0x0108), 0u);
}

TEST(VgicDist, PendingHeldInAListRegisterReadsPending)
{
    VgicWorld w;
    w.d->vgic.enabled = true;
    (void)w.gicd_write(0x0104, 0x1);
    (void)w.gicd_write(0x0204, 0x1);
    LrFile f = w.lrs(0);
    (void)lr_fill(*w.d, w.v[0], f, HwLink{});
    EXPECT_EQ(w.d->vgic.spi[0].pending, 0u);
    EXPECT_EQ(w.gicd_read(0x0204), 0x1u);  // from vCPU 0's list register
    EXPECT_EQ(w.gicd_read(0x0304), 0u);
}

TEST(VgicDist, Priorities)
{
    VgicWorld w;
    (void)w.gicd_write(0x0420, 0xa0a0'a0a0);  // Linux: a word for SPIs 32-35
    EXPECT_EQ(w.gicd_read(0x0421, 1), 0xa0u);
    (void)w.gicd_write(0x0422, 0x87, 1);  // byte write, low bits not implemented
    EXPECT_EQ(w.gicd_read(0x0420), 0xa080'a0a0u);
    EXPECT_EQ(w.d->vgic.spi[0].priority[2], 0x80);
    (void)w.gicd_write(0x0400, 0xffff'ffff);  // SGIs: RAZ/WI here
    EXPECT_EQ(w.gicd_read(0x0400), 0u);
    uint64_t v = 0;
    EXPECT_EQ(w.gicd(0x0420, 2, false, v).status, MmioStatus::BadAccess);
    EXPECT_EQ(w.gicd(0x0420, 8, false, v).status, MmioStatus::BadAccess);
}

TEST(VgicDist, Icfgr)
{
    VgicWorld w;
    EXPECT_EQ(w.gicd_read(0x0c08), 0u);       // SPIs 32-47 level after reset
    (void)w.gicd_write(0x0c08, 0x8000'0002);  // SPI 32 and SPI 47 edge
    EXPECT_EQ(w.gicd_read(0x0c08), 0x8000'0002u);
    EXPECT_EQ(w.d->vgic.spi[0].edge, (1u << 0) | (1u << 15));
    (void)w.gicd_write(0x0c0c, 0x2);  // SPI 48
    EXPECT_EQ(w.d->vgic.spi[0].edge, (1u << 0) | (1u << 15) | (1u << 16));
    (void)w.gicd_write(0x0c00, ~0u);  // SGIs: RAZ/WI (redistributor)
    EXPECT_EQ(w.gicd_read(0x0c00), 0u);
}

TEST(VgicDist, IrouterRoutesByAffinity)
{
    VgicWorld w;
    const uint64_t irouter33 = 0x6000 + 33 * 8;
    EXPECT_EQ(w.gicd_read(irouter33, 8), 0u);
    (void)w.gicd_write(irouter33, vcpu_mpidr_affinity(3), 8);
    EXPECT_EQ(w.d->vgic.target[1], 3u);
    EXPECT_EQ(w.gicd_read(irouter33, 8), 3u);
    // 32-bit halves (Linux on a 32-bit build, or a careful guest).
    (void)w.gicd_write(irouter33, 2, 4);
    (void)w.gicd_write(irouter33 + 4, 0, 4);
    EXPECT_EQ(w.d->vgic.target[1], 2u);
    EXPECT_EQ(w.gicd_read(irouter33 + 4, 4), 0u);
    // No vCPU with that affinity: undelivered.
    (void)w.gicd_write(irouter33, 0x0100, 8);
    EXPECT_EQ(w.d->vgic.target[1], kVgicNoVcpu);
    // Interrupt_Routing_Mode = 1: any PE, keel picks vCPU 0.
    (void)w.gicd_write(irouter33, uint64_t{1} << 31, 8);
    EXPECT_EQ(w.d->vgic.target[1], 0u);

    // Rerouting a pending, enabled SPI tells its new target.
    w.d->vgic.enabled = true;
    (void)w.gicd_write(0x0104, 0x2);
    (void)w.gicd_write(0x0204, 0x2);
    EXPECT_EQ(w.gicd_write(irouter33, vcpu_mpidr_affinity(1), 8).update, 1u << 1);
    // IROUTER<0..31> are reserved.
    (void)w.gicd_write(0x6000, 5, 8);
    EXPECT_EQ(w.gicd_read(0x6000, 8), 0u);
    uint64_t v = 0;
    EXPECT_EQ(w.gicd(irouter33, 1, false, v).status, MmioStatus::BadAccess);
    EXPECT_EQ(w.gicd(irouter33 + 2, 4, false, v).status, MmioStatus::BadAccess);
}

TEST(VgicDist, SecureOnlyAndLegacyRegistersReadAsZero)
{
    VgicWorld w;
    for (uint64_t off : {0x0080ull, 0x0084ull, 0x0d04ull, 0x0e08ull, 0x0f00ull}) {
        EXPECT_EQ(w.gicd_write(off, ~0u).status, MmioStatus::Ok) << std::hex << off;
        EXPECT_EQ(w.gicd_read(off), 0u) << std::hex << off;
    }
    EXPECT_EQ(w.gicd_read(0x0820, 1), 0u);  // ITARGETSR: byte access allowed
    EXPECT_EQ(w.gicd_read(0x0f10, 1), 0u);  // CPENDSGIR
}

TEST(VgicDist, WidthRules)
{
    VgicWorld w;
    uint64_t v = 0;
    EXPECT_EQ(w.gicd(0x0000, 2, false, v).status, MmioStatus::BadAccess);  // CTLR halfword
    EXPECT_EQ(w.gicd(0x0000, 8, false, v).status, MmioStatus::BadAccess);
    EXPECT_EQ(w.gicd(0x0104, 1, true, v).status, MmioStatus::BadAccess);   // ISENABLER byte
    EXPECT_EQ(w.gicd(0x0106, 4, false, v).status, MmioStatus::BadAccess);  // misaligned
    EXPECT_EQ(w.gicd(0x0c08, 1, false, v).status, MmioStatus::BadAccess);  // ICFGR byte
}

TEST(VgicDist, UnimplementedReadsZeroAndIsReported)
{
    VgicWorld w;
    uint64_t v = 0x1234;
    EXPECT_EQ(w.gicd(0x0040, 4, false, v).status, MmioStatus::Unimplemented);  // SETSPI_NSR
    EXPECT_EQ(v, 0u);
    v = 7;
    EXPECT_EQ(w.gicd(0xc000, 4, true, v).status, MmioStatus::Unimplemented);
}

}  // namespace
}  // namespace keel::arm64::vgic
