// SPDX-License-Identifier: MIT
//
// tests/unit/core/console/vpl011_read_test.cpp
// Checks vpl011_read (the read path the device glue calls directly): it answers
// every offset and size as vpl011_access does for the same read, and its UARTFR
// word shortcut agrees with the narrow reads that take the general path.
#include <gtest/gtest.h>

#include "core/console/vpl011.hpp"

namespace keel {
namespace {

// A UART with some input queued and interrupts enabled, so reads have effects.
void busy_uart(Vpl011State& s, uint32_t bytes)
{
    vpl011_reset(s);
    s.imsc = vpl011::kIntRx | vpl011::kIntRt | vpl011::kIntTx;
    for (uint32_t i = 0; i < bytes; ++i) (void)vpl011_receive(s, static_cast<char>('a' + i % 26));
}

bool same_state(const Vpl011State& a, const Vpl011State& b)
{
    return a.imsc == b.imsc && a.ris == b.ris && a.mis_signalled == b.mis_signalled &&
           a.rx_head == b.rx_head && a.rx_count == b.rx_count && a.line_len == b.line_len;
}

TEST(Vpl011Read, MatchesAccessForEveryOffsetAndSize)
{
    const Vpl011Output out{};
    for (uint32_t bytes : {0u, 1u, 20u, kVpl011RxFifoSize}) {
        for (uint64_t offset = 0; offset < 0x50; ++offset) {
            for (uint8_t size : {uint8_t{1}, uint8_t{2}, uint8_t{4}, uint8_t{8}}) {
                Vpl011State a;
                Vpl011State b;
                busy_uart(a, bytes);
                busy_uart(b, bytes);
                MmioAccess ra{GuestPhysAddr{0x22000000 + offset}, offset, size, false, 0};
                MmioAccess rb = ra;
                const Vpl011Effects fa = vpl011_access(a, ra, false, out);
                const Vpl011Effects fb = vpl011_read(b, rb);
                EXPECT_EQ(fa.ok, fb.ok) << offset << "/" << int{size};
                EXPECT_EQ(fa.raise, fb.raise) << offset << "/" << int{size};
                EXPECT_EQ(fa.level, fb.level) << offset << "/" << int{size};
                EXPECT_EQ(ra.value, rb.value) << offset << "/" << int{size};
                EXPECT_TRUE(same_state(a, b)) << offset << "/" << int{size};
            }
        }
    }
}

// The UARTFR word read takes a shortcut; the same bits read as bytes or
// halfwords take the general path.
TEST(Vpl011Read, FlagsShortcutMatchesNarrowReads)
{
    for (uint32_t bytes : {0u, 5u, kVpl011RxFifoSize}) {
        Vpl011State s;
        busy_uart(s, bytes);
        MmioAccess word{GuestPhysAddr{0x22000018}, vpl011::kFr, 4, false, 0};
        const Vpl011Effects fw = vpl011_read(s, word);
        uint64_t halves = 0;
        uint64_t bytes_read = 0;
        for (uint64_t lane = 0; lane < 4; ++lane) {
            MmioAccess b{GuestPhysAddr{0x22000018 + lane}, vpl011::kFr + lane, 1, false, 0};
            EXPECT_TRUE(vpl011_read(s, b).ok);
            bytes_read |= b.value << (8 * lane);
            if (lane % 2 == 0) {
                MmioAccess h{GuestPhysAddr{0x22000018 + lane}, vpl011::kFr + lane, 2, false, 0};
                const Vpl011Effects fh = vpl011_read(s, h);
                EXPECT_EQ(fh.raise, fw.raise);
                EXPECT_EQ(fh.level, fw.level);
                halves |= h.value << (8 * lane);
            }
        }
        EXPECT_TRUE(fw.ok);
        EXPECT_EQ(word.value, halves);
        EXPECT_EQ(word.value, bytes_read);
        EXPECT_EQ(word.value, vpl011_flags(s));
    }
}

TEST(Vpl011Read, FlagsShortcutReportsFifoState)
{
    Vpl011State s;
    busy_uart(s, 0);
    MmioAccess r{GuestPhysAddr{0x22000018}, vpl011::kFr, 4, false, 0};
    EXPECT_TRUE(vpl011_read(s, r).ok);
    EXPECT_EQ(r.value, vpl011::kFrTxfe | vpl011::kFrRxfe);
    Vpl011State full;
    busy_uart(full, kVpl011RxFifoSize);
    EXPECT_TRUE(vpl011_read(full, r).ok);
    EXPECT_EQ(r.value, vpl011::kFrTxfe | vpl011::kFrRxff);
}

}  // namespace
}  // namespace keel
