// SPDX-License-Identifier: MIT
//
// tests/unit/core/console/vpl011_test.cpp
// Checks the vPL011 register model: flags, output line assembly (newline, CR
// stripping, over-long lines, focus pass-through), the receive FIFO and its
// interrupt bits, mask/clear, the raise/level rule, and refused accesses.
#include "core/console/vpl011.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace keel {
namespace {

using namespace vpl011;

struct Recorder {
    std::vector<std::string> lines;
    std::string raw;
    Vpl011Output out()
    {
        Vpl011Output o;
        o.line = [](void* c, const char* t, uint32_t n) {
            static_cast<Recorder*>(c)->lines.emplace_back(t, n);
        };
        o.raw = [](void* c, const char* t, uint32_t n) { static_cast<Recorder*>(c)->raw.append(t, n); };
        o.ctx = this;
        return o;
    }
};

struct Uart {
    Vpl011State s;
    Recorder rec;
    bool focused = false;
    Uart() { vpl011_reset(s); }

    Vpl011Effects write(uint64_t offset, uint64_t value, uint8_t size = 4)
    {
        MmioAccess a{GuestPhysAddr{0x22000000 + offset}, offset, size, true, value};
        return vpl011_access(s, a, focused, rec.out());
    }
    uint64_t read(uint64_t offset, uint8_t size = 4, Vpl011Effects* fx = nullptr)
    {
        MmioAccess a{GuestPhysAddr{0x22000000 + offset}, offset, size, false, 0xdeadbeef};
        const Vpl011Effects e = vpl011_access(s, a, focused, rec.out());
        if (fx != nullptr) *fx = e;
        EXPECT_TRUE(e.ok);
        return a.value;
    }
    void puts(const char* t)
    {
        for (; *t != '\0'; ++t) write(kDr, static_cast<uint8_t>(*t), 1);
    }
};

TEST(Vpl011, ResetFlagsTransmitEmptyReceiveEmpty)
{
    Uart u;
    const uint64_t fr = u.read(kFr);
    EXPECT_EQ(fr, kFrTxfe | kFrRxfe);
    EXPECT_EQ(u.read(kImsc), 0u);
    EXPECT_EQ(u.read(kRis), 0u);
    EXPECT_EQ(u.read(kMis), 0u);
    EXPECT_EQ(u.read(kRsr), 0u);
}

TEST(Vpl011, OutputIsPrintedInWholeLinesWithoutCarriageReturns)
{
    Uart u;
    u.puts("hello ");
    EXPECT_TRUE(u.rec.lines.empty());
    u.puts("world\r\n\r\nnext");
    ASSERT_EQ(u.rec.lines.size(), 2u);
    EXPECT_EQ(u.rec.lines[0], "hello world");
    EXPECT_EQ(u.rec.lines[1], "");
    vpl011_flush(u.s, u.rec.out());
    ASSERT_EQ(u.rec.lines.size(), 3u);
    EXPECT_EQ(u.rec.lines[2], "next");
    vpl011_flush(u.s, u.rec.out());  // nothing pending: nothing printed
    EXPECT_EQ(u.rec.lines.size(), 3u);
}

TEST(Vpl011, TransmitNeverFillsAndFlagsStayEmpty)
{
    Uart u;
    for (int i = 0; i < 1000; ++i) {
        u.write(kDr, 'x', 1);
        EXPECT_EQ(u.read(kFr) & (kFrTxff | kFrBusy), 0u);
        EXPECT_NE(u.read(kFr) & kFrTxfe, 0u);
    }
}

TEST(Vpl011, OverlongLineIsSplitAtTheBufferSize)
{
    Uart u;
    std::string text(kVpl011LineMax, 'a');
    u.puts(text.c_str());
    EXPECT_TRUE(u.rec.lines.empty());  // exactly full: still waiting for its newline
    u.puts("\n");
    ASSERT_EQ(u.rec.lines.size(), 1u);
    EXPECT_EQ(u.rec.lines[0], text);
    u.puts((text + "bc\n").c_str());
    ASSERT_EQ(u.rec.lines.size(), 3u);
    EXPECT_EQ(u.rec.lines[1], text);
    EXPECT_EQ(u.rec.lines[2], "bc");
}

TEST(Vpl011, NulBytesAreDropped)
{
    Uart u;
    u.write(kDr, 'a', 1);
    u.write(kDr, 0, 1);
    u.write(kDr, 'b', 1);
    u.write(kDr, '\n', 1);
    ASSERT_EQ(u.rec.lines.size(), 1u);
    EXPECT_EQ(u.rec.lines[0], "ab");
}

TEST(Vpl011, FocusedOutputPassesThroughAfterPendingText)
{
    Uart u;
    u.puts("before");
    u.focused = true;
    u.puts("/ # \r\n");
    EXPECT_TRUE(u.rec.lines.empty());
    EXPECT_EQ(u.rec.raw, "before/ # \r\n");
}

TEST(Vpl011, WordWriteToDataSendsTheLowByte)
{
    Uart u;
    u.write(kDr, 0x1241, 4);  // 'A' with junk above bit 7
    u.write(kDr, '\n', 2);
    ASSERT_EQ(u.rec.lines.size(), 1u);
    EXPECT_EQ(u.rec.lines[0], "A");
}

TEST(Vpl011, WriteSetsTransmitInterruptAndIcrClearsIt)
{
    Uart u;
    u.write(kDr, 'x', 1);
    EXPECT_EQ(u.read(kRis), kIntTx);
    EXPECT_EQ(u.read(kMis), 0u);  // masked
    const Vpl011Effects fx = u.write(kImsc, kIntTx);
    EXPECT_TRUE(fx.raise);
    EXPECT_TRUE(fx.level);
    EXPECT_EQ(u.read(kMis), kIntTx);
    const Vpl011Effects cleared = u.write(kIcr, kIntTx);
    EXPECT_FALSE(cleared.raise);
    EXPECT_TRUE(cleared.lower);  // the line fell: the vGIC withdraws the SPI
    EXPECT_FALSE(cleared.level);
    EXPECT_EQ(u.read(kRis), 0u);
    EXPECT_FALSE(u.write(kIcr, kIntTx).lower);  // only once
}

TEST(Vpl011, ReceiveQueuesBytesAndSetsTimeoutInterrupt)
{
    Uart u;
    u.write(kImsc, kIntRx | kIntRt);
    const Vpl011Effects fx = vpl011_receive(u.s, 'k');
    EXPECT_TRUE(fx.ok);
    EXPECT_TRUE(fx.raise);
    EXPECT_TRUE(fx.level);
    EXPECT_EQ(u.read(kFr) & kFrRxfe, 0u);
    EXPECT_EQ(u.read(kMis), kIntRt);
    // A second byte adds nothing new to MIS: no second raise, level still high.
    const Vpl011Effects again = vpl011_receive(u.s, 'e');
    EXPECT_FALSE(again.raise);
    EXPECT_TRUE(again.level);

    Vpl011Effects rd;
    EXPECT_EQ(u.read(kDr, 4, &rd), uint64_t{'k'});
    EXPECT_TRUE(rd.level);
    EXPECT_FALSE(rd.lower);
    EXPECT_EQ(u.read(kDr, 4, &rd), uint64_t{'e'});
    EXPECT_FALSE(rd.level);  // empty: RTRIS cleared
    EXPECT_TRUE(rd.lower);
    EXPECT_EQ(u.read(kFr) & kFrRxfe, kFrRxfe);
    EXPECT_EQ(u.read(kRis), 0u);
    EXPECT_EQ(u.read(kDr), 0u);  // empty FIFO reads 0

    // Level went low; the next byte raises again.
    EXPECT_TRUE(vpl011_receive(u.s, 'x').raise);
}

TEST(Vpl011, ReceiveInterruptFromHalfFullAndFullFifoDrops)
{
    Uart u;
    for (uint32_t i = 0; i < kRxTriggerLevel - 1; ++i) vpl011_receive(u.s, static_cast<char>('a' + i));
    EXPECT_EQ(u.read(kRis), kIntRt);
    vpl011_receive(u.s, '!');
    EXPECT_EQ(u.read(kRis), kIntRt | kIntRx);
    for (uint32_t i = kRxTriggerLevel; i < kVpl011RxFifoSize; ++i) EXPECT_TRUE(vpl011_receive(u.s, '.').ok);
    EXPECT_NE(u.read(kFr) & kFrRxff, 0u);
    EXPECT_FALSE(vpl011_receive(u.s, 'z').ok);
    EXPECT_EQ(u.s.rx_dropped, 1u);
    // Draining below half clears RXRIS but keeps RTRIS; order is preserved.
    EXPECT_EQ(u.read(kDr), uint64_t{'a'});
    EXPECT_EQ(u.read(kFr) & kFrRxff, 0u);
    for (uint32_t i = 1; i <= kVpl011RxFifoSize - kRxTriggerLevel; ++i) u.read(kDr);
    EXPECT_EQ(u.read(kRis), kIntRt);
    while ((u.read(kFr) & kFrRxfe) == 0) u.read(kDr);
    EXPECT_EQ(u.read(kRis), 0u);
}

TEST(Vpl011, FifoWrapsAround)
{
    Uart u;
    std::string got;
    for (int round = 0; round < 5; ++round) {
        for (int i = 0; i < 20; ++i) vpl011_receive(u.s, static_cast<char>('A' + i));
        for (int i = 0; i < 20; ++i) got.push_back(static_cast<char>(u.read(kDr, 1)));
    }
    std::string want;
    for (int round = 0; round < 5; ++round)
        for (int i = 0; i < 20; ++i) want.push_back(static_cast<char>('A' + i));
    EXPECT_EQ(got, want);
}

TEST(Vpl011, UnmaskingPendingStatusRaisesAndMaskingLowers)
{
    Uart u;
    vpl011_receive(u.s, 'q');
    EXPECT_EQ(u.read(kMis), 0u);
    Vpl011Effects fx = u.write(kImsc, kIntRt);
    EXPECT_TRUE(fx.raise);
    fx = u.write(kImsc, 0);
    EXPECT_FALSE(fx.level);
    fx = u.write(kImsc, kIntRt);
    EXPECT_TRUE(fx.raise);  // a new rising edge after the line went low
}

TEST(Vpl011, MaskAndClearTakeOnlyImplementedBits)
{
    Uart u;
    u.write(kImsc, 0xffffffff);
    EXPECT_EQ(u.read(kImsc), uint64_t{kIntAll});
    u.write(kRis, 0xffffffff);  // read-only
    u.write(kMis, 0xffffffff);
    u.write(kFr, 0);
    EXPECT_EQ(u.read(kRis), 0u);
    EXPECT_EQ(u.read(kFr), kFrTxfe | kFrRxfe);
}

TEST(Vpl011, SubWordAccessesUseTheirByteLane)
{
    Uart u;
    u.write(kImsc, kIntRt);
    u.write(kImsc + 1, 0x01, 1);  // bit 8 (PEIM) through byte 1
    EXPECT_EQ(u.read(kImsc), uint64_t{kIntRt | (1u << 8)});
    EXPECT_EQ(u.read(kImsc + 1, 1), 0x01u);
    EXPECT_EQ(u.read(kImsc, 2), uint64_t{kIntRt | (1u << 8)});
    EXPECT_EQ(u.read(kFr, 1), uint64_t{kFrTxfe | kFrRxfe});
    // A byte read of UARTDR's upper lanes does not consume input.
    vpl011_receive(u.s, 'z');
    EXPECT_EQ(u.read(kDr + 1, 1), 0u);
    EXPECT_EQ(u.read(kDr, 1), uint64_t{'z'});
}

TEST(Vpl011, RefusedAccesses)
{
    Uart u;
    MmioAccess dword{GuestPhysAddr{0x22000000}, kDr, 8, false, 0};
    EXPECT_FALSE(vpl011_access(u.s, dword, false, u.rec.out()).ok);
    MmioAccess crossing{GuestPhysAddr{0x22000003}, kDr + 3, 2, true, 0};
    EXPECT_FALSE(vpl011_access(u.s, crossing, false, u.rec.out()).ok);
    MmioAccess icr_read{GuestPhysAddr{0x22000044}, kIcr, 4, false, 0};
    EXPECT_FALSE(vpl011_access(u.s, icr_read, false, u.rec.out()).ok);
    EXPECT_TRUE(u.rec.lines.empty());
}

TEST(Vpl011, UnknownOffsetsReadZeroAndIgnoreWrites)
{
    Uart u;
    for (uint64_t off : {uint64_t{0x24}, uint64_t{0x2c}, uint64_t{0x30}, uint64_t{0xfe0}, uint64_t{0xffc}}) {
        u.write(off, 0xffffffff);
        EXPECT_EQ(u.read(off), 0u) << off;
    }
    EXPECT_EQ(u.read(kImsc), 0u);
}

}  // namespace
}  // namespace keel
