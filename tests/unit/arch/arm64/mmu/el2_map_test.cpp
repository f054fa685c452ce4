// SPDX-License-Identifier: MIT
//
// tests/unit/arch/arm64/mmu/el2_map_test.cpp
// Checks keel's own address-space plan: W^X per image section, the DTB and heap,
// the device windows from BootInfo, nothing else mapped (modules, domain RAM),
// and the transient window's slots; plus the EL2 control-register values.
#include "arch/arm64/mmu/el2_map.hpp"

#include <gtest/gtest.h>

#include "arch/arm64/regs/el2_mmu.hpp"
#include "fake_table_context.hpp"

namespace keel::arm64 {
namespace {

using testing::FakeTableContext;

constexpr uint64_t kMiB = uint64_t{1} << 20;

PhysRange range(uint64_t base, uint64_t size) { return PhysRange{PhysAddr{base}, size}; }

BootInfo qemu_virt_devices()
{
    BootInfo info;
    info.uart = range(0x0900'0000, 0x1000);
    info.gic.dist = range(0x0800'0000, 0x1'0000);
    info.gic.redist[0] = range(0x080a'0000, 0xf6'0000);
    info.gic.redist_count = 1;
    info.modules[0].range = range(0x4800'0000, 0x100'0000);
    info.module_count = 1;
    return info;
}

struct El2MapTest : ::testing::Test {
    void SetUp() override
    {
        spec.text = range(0x4020'0000, 0x3'0000);
        spec.rodata = range(0x4023'0000, 0x1'0000);
        spec.data = range(0x4024'0000, 0x2'3000);
        spec.dtb = range(0x7ff0'0123, 0x1'0000);
        spec.heap = range(0x4026'3000, 20 * kMiB);
        spec.add_devices(qemu_virt_devices());
        ASSERT_TRUE(build_el2_identity_map(table, spec).ok());
    }
    Result<Stage1Table::Translation> at(uint64_t va) { return table.translate(VirtAddr{va}); }
    void expect(uint64_t va, Stage1Attrs attrs)
    {
        const auto t = at(va);
        ASSERT_TRUE(t.ok()) << std::hex << va;
        EXPECT_EQ(t.value().out, PhysAddr{va}) << std::hex << va;  // identity
        EXPECT_EQ(t.value().attrs, attrs) << std::hex << va;
    }

    FakeTableContext ctx{512};
    Stage1Table table = Stage1Table::create(ctx).value();
    El2MapSpec spec;
};

TEST_F(El2MapTest, SectionsAreMappedWithWxorX)
{
    expect(0x4020'0000, {Perm::RX, MemType::Normal});
    expect(0x4022'fff8, {Perm::RX, MemType::Normal});
    expect(0x4023'0000, {Perm::R, MemType::Normal});
    expect(0x4024'0000, {Perm::RW, MemType::Normal});
    expect(0x4026'2ff8, {Perm::RW, MemType::Normal});
    EXPECT_FALSE(at(0x401f'f000).ok());  // below the image
}

TEST_F(El2MapTest, DtbIsReadOnlyWholePages)
{
    expect(0x7ff0'0000, {Perm::R, MemType::Normal});  // rounded down
    expect(0x7ff1'0000, {Perm::R, MemType::Normal});  // rounded up: the blob's last bytes
    EXPECT_FALSE(at(0x7ff1'1000).ok());
}

TEST_F(El2MapTest, HeapIsReadWriteWithBlocksWhereAligned)
{
    expect(0x4026'3000, {Perm::RW, MemType::Normal});
    expect(0x4166'2ff8, {Perm::RW, MemType::Normal});
    EXPECT_FALSE(at(0x4166'3000).ok());
    EXPECT_EQ(at(0x4040'0000).value().level, 2u);  // a 2 MiB block inside the heap
    EXPECT_EQ(at(0x4026'3000).value().level, 3u);
}

TEST_F(El2MapTest, DevicesAreDeviceNGnREExecuteNever)
{
    const Stage1Attrs dev{Perm::RW, MemType::DeviceNGnRE};
    expect(0x0900'0000, dev);
    expect(0x0800'0000, dev);
    expect(0x0800'f000, dev);
    expect(0x080a'0000, dev);
    expect(0x08ff'f000, dev);  // last page of the redistributor region
    EXPECT_FALSE(at(0x0901'0000).ok());
    const uint64_t d = at(0x0900'0000).value().desc;
    EXPECT_TRUE(Stage1Desc::Xn::get(d));
    EXPECT_EQ(Stage1Desc::AttrIndx::get(d), 2u);
}

TEST_F(El2MapTest, ModulesAndOtherRamAreNotMapped)
{
    EXPECT_FALSE(at(0x4800'0000).ok());
    EXPECT_FALSE(at(0x4000'0000).ok());
    EXPECT_FALSE(at(0x6000'0000).ok());
}

TEST_F(El2MapTest, TransientWindowSlotsAreConsecutiveAndUnmapped)
{
    uint64_t* slots[kTransientSlots] = {};
    ASSERT_TRUE(prepare_transient_window(table, slots).ok());
    for (size_t i = 0; i < kTransientSlots; ++i) {
        ASSERT_NE(slots[i], nullptr);
        EXPECT_EQ(*slots[i], 0u);
        if (i % 512 != 0) {
            EXPECT_EQ(slots[i], slots[i - 1] + 1);
        }
    }
    EXPECT_EQ(transient_va(0, 0), VirtAddr{0x8000'0000'0000});
    EXPECT_EQ(transient_va(1, 2), VirtAddr{0x8000'0000'0000 + (16 + 2) * kPageSize});
    EXPECT_FALSE(at(transient_va(0, 0).raw()).ok());

    // What map_transient writes: a normal, RW, XN page of the frame.
    *slots[kTransientSlotsPerCpu + 2] =
        Stage1Table::page_descriptor(PhysAddr{0x5000'0000}, kTransientAttrs);
    const auto t = at(transient_va(1, 2).raw() + 8);
    ASSERT_TRUE(t.ok());
    EXPECT_EQ(t.value().out, PhysAddr{0x5000'0008});
    EXPECT_EQ(t.value().attrs, kTransientAttrs);
    EXPECT_TRUE(Stage1Desc::Xn::get(t.value().desc));
}

TEST(El2Registers, TcrAndSctlrValues)
{
    // T0SZ 16, IRGN0/ORGN0 WB RA WA, SH0 inner, TG0 4 KiB, RES1 bits 31 and 23.
    EXPECT_EQ(tcr_el2_value(0), 0x8080'3510u);
    EXPECT_EQ(tcr_el2_value(2), 0x8082'3510u);  // a 40-bit PA CPU
    EXPECT_EQ(tcr_el2_value(5), 0x8085'3510u);
    EXPECT_EQ(tcr_el2_value(6), 0x8085'3510u);  // 52 bits capped at 48
    EXPECT_EQ(pa_bits_of(2), 40u);
    EXPECT_EQ(pa_bits_of(6), 52u);
    // M, C, SA, I, WXN on top of head.S's RES1 value.
    EXPECT_EQ(sctlr_el2_mmu_on(0x30c5'0830), 0x30cd'183du);
}

}  // namespace
}  // namespace keel::arm64
