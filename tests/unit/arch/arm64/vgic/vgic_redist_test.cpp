// SPDX-License-Identifier: MIT
//
// tests/unit/arch/arm64/vgic/vgic_redist_test.cpp
// Checks the emulated redistributors against the GICv3 register map (IHI 0069,
// "Redistributor register map") the way Linux finds and wakes its own: one
// 128 KiB RD_base + SGI_base pair per vCPU, GICR_TYPER affinity / processor
// number / Last, the GICR_WAKER handshake, the SGI/PPI registers of the SGI frame.
#include <gtest/gtest.h>

#include "arch/arm64/gic/gic_regs.hpp"
#include "vgic_fixture.hpp"

namespace keel::arm64::vgic {
namespace {

using test::VgicWorld;

constexpr uint64_t frame(uint32_t vcpu) { return vcpu * kVgicRedistStride; }
constexpr uint64_t sgi(uint32_t vcpu) { return frame(vcpu) + 0x10000; }

TEST(VgicRedist, LinuxScanFindsEveryVcpuAndStopsAtLast)
{
    VgicWorld w{3};
    for (uint32_t i = 0; i < 3; ++i) {
        EXPECT_EQ(w.gicr_read(frame(i) + 0xffe8) & 0xf0, 0x30u);  // PIDR2.ArchRev 3
        const uint64_t typer = w.gicr_read(frame(i) + 0x8, 8);
        EXPECT_TRUE(gicr_serves(typer, vcpu_mpidr_affinity(i)));
        EXPECT_EQ(gicr::TyperBits::ProcessorNumber::get(typer), i);
        EXPECT_EQ(gicr::TyperBits::Last::get(typer), i == 2);
        EXPECT_FALSE(gicr::TyperBits::Plpis::get(typer));
        EXPECT_FALSE(gicr::TyperBits::Vlpis::get(typer));
        // The same through two 32-bit reads.
        EXPECT_EQ(w.gicr_read(frame(i) + 0x8) | w.gicr_read(frame(i) + 0xc) << 32, typer);
    }
    EXPECT_EQ(w.gicr_read(frame(1) + 0x4), kVgicIidr);
    // Past the last vCPU: nothing there.
    EXPECT_EQ(w.gicr_read(frame(3) + 0xffe8), 0u);
}

TEST(VgicRedist, WakerHandshake)
{
    VgicWorld w{2};
    EXPECT_EQ(w.gicr_read(frame(1) + 0x14), 0x6u);  // ProcessorSleep, ChildrenAsleep
    (void)w.gicr_write(frame(1) + 0x14, 0);         // Linux clears ProcessorSleep...
    EXPECT_EQ(w.gicr_read(frame(1) + 0x14), 0u);    // ...and polls ChildrenAsleep == 0
    EXPECT_FALSE(w.v[1].vgic.asleep);
    EXPECT_TRUE(w.v[0].vgic.asleep);
    (void)w.gicr_write(frame(1) + 0x14, 0x2);
    EXPECT_EQ(w.gicr_read(frame(1) + 0x14), 0x6u);
}

TEST(VgicRedist, NoLpis)
{
    VgicWorld w{1};
    EXPECT_EQ(w.gicr_read(0x0), 0u);  // CTLR: EnableLPIs 0, RWP 0
    (void)w.gicr_write(0x0, 1);
    EXPECT_EQ(w.gicr_read(0x0), 0u);
    (void)w.gicr_write(0x70, 0x1234'5000, 8);  // PROPBASER
    EXPECT_EQ(w.gicr_read(0x70, 8), 0u);
    EXPECT_EQ(w.gicr_read(0x78, 4), 0u);  // PENDBASER, low half
}

TEST(VgicRedist, SgiFrameRegisters)
{
    VgicWorld w{2};
    // Linux's gic_cpu_config(): clear active and enable, group 1, priorities.
    (void)w.gicr_write(sgi(1) + 0x380, ~0u);
    (void)w.gicr_write(sgi(1) + 0x180, ~0u);
    (void)w.gicr_write(sgi(1) + 0x080, ~0u);
    EXPECT_EQ(w.gicr_read(sgi(1) + 0x080), 0u);  // IGROUPR0: Secure-only view, RAZ/WI
    for (uint64_t i = 0; i < 8; ++i) (void)w.gicr_write(sgi(1) + 0x400 + 4 * i, 0xa0a0'a0a0);
    EXPECT_EQ(w.v[1].vgic.priv.priority[27], 0xa0);
    EXPECT_EQ(w.gicr_read(sgi(1) + 0x41b, 1), 0xa0u);

    EXPECT_EQ(w.gicr_write(sgi(1) + 0x200, 1u << 3).update, 0u);  // ISPENDR0: SGI 3, disabled
    EXPECT_EQ(w.gicr_read(sgi(1) + 0x280), 1u << 3);
    const MmioOutcome o = w.gicr_write(sgi(1) + 0x100, 0xffff | (1u << 27));
    EXPECT_EQ(o.update, 1u << 1);  // SGI 3 deliverable now, on the frame's own vCPU only
    EXPECT_EQ(w.gicr_read(sgi(1) + 0x100), 0xffffu | (1u << 27));
    EXPECT_EQ(w.v[0].vgic.priv.enabled, 0u);
    (void)w.gicr_write(sgi(1) + 0x280, 1u << 3);
    EXPECT_EQ(w.gicr_read(sgi(1) + 0x200), 0u);

    EXPECT_EQ(w.gicr_read(sgi(1) + 0xc00), 0xaaaa'aaaau);  // SGIs edge, fixed
    (void)w.gicr_write(sgi(1) + 0xc00, 0);
    EXPECT_EQ(w.gicr_read(sgi(1) + 0xc00), 0xaaaa'aaaau);
    EXPECT_EQ(w.gicr_read(sgi(1) + 0xc04), 0u);  // PPIs level
    (void)w.gicr_write(sgi(1) + 0xc04, 0x2);     // PPI 16 edge (Linux writes and reads back)
    EXPECT_EQ(w.gicr_read(sgi(1) + 0xc04), 0x2u);
    EXPECT_EQ(w.v[1].vgic.priv.edge, 0xffffu | (1u << 16));

    EXPECT_EQ(w.gicr_read(sgi(1) + 0xd00), 0u);  // IGRPMODR0
    EXPECT_EQ(w.gicr_read(sgi(1) + 0xe00), 0u);  // NSACR
    uint64_t v = 0;
    EXPECT_EQ(w.gicr(sgi(1) + 0x100, 2, false, v).status, MmioStatus::BadAccess);
    EXPECT_EQ(w.gicr(sgi(1) + 0x104, 4, false, v).status,
              MmioStatus::Unimplemented);  // ISENABLER1 (E)
}

}  // namespace
}  // namespace keel::arm64::vgic
