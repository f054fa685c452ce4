// SPDX-License-Identifier: MIT
//
// tests/unit/core/console/console_ring_test.cpp
// The console ring and XEN_SYSCTL_readconsole's semantics (Xen 4.17
// drivers/char/console.c read_console_ring): consumer/producer, incremental
// reads, clear, overflow, a faulting buffer.
#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "core/console/console_ring.hpp"

namespace keel {
namespace {

struct Out {
    std::string text;
    uint32_t fault_at = ~0u;  // the sink fails for a chunk reaching this offset
};

bool sink(void* ctx, uint32_t offset, const char* bytes, uint32_t len)
{
    auto* o = static_cast<Out*>(ctx);
    if (offset + len > o->fault_at) return false;
    EXPECT_EQ(offset, o->text.size());
    o->text.append(bytes, len);
    return true;
}

std::string read(ConsoleRing& r, bool clear, bool incremental, uint32_t index, uint32_t max,
                 uint32_t* end = nullptr)
{
    Out o;
    const auto got = r.read(clear, incremental, index, max, sink, &o);
    EXPECT_TRUE(got.ok());
    if (end != nullptr) *end = got.value().index;
    EXPECT_EQ(got.value().count, o.text.size());
    return o.text;
}

TEST(ConsoleRing, ReadsWhatWasWritten)
{
    auto r = std::make_unique<ConsoleRing>();
    r->put("hello ");
    r->put("world\n", 6);
    uint32_t end = 0;
    EXPECT_EQ(read(*r, false, false, 0, 100, &end), "hello world\n");
    EXPECT_EQ(end, 12u);
    EXPECT_EQ(read(*r, false, false, 0, 5), "hello");  // up to the caller's count
    EXPECT_EQ(read(*r, false, false, 0, 0), "");
}

TEST(ConsoleRing, IncrementalAndClear)
{
    auto r = std::make_unique<ConsoleRing>();
    r->put("abcdef");
    EXPECT_EQ(read(*r, false, true, 2, 100), "cdef");
    EXPECT_EQ(read(*r, false, true, 0, 100), "abcdef");   // index == consumer: not in (c, p]
    EXPECT_EQ(read(*r, false, true, 7, 100), "abcdef");   // beyond the producer: ignored
    EXPECT_EQ(read(*r, false, true, 6, 100), "");          // == producer: nothing new
    uint32_t end = 0;
    EXPECT_EQ(read(*r, true, false, 0, 4, &end), "abcd");  // clear up to where it stopped
    EXPECT_EQ(r->consumer(), 4u);
    EXPECT_EQ(read(*r, false, false, 0, 100), "ef");
}

TEST(ConsoleRing, OverflowKeepsTheNewest)
{
    auto r = std::make_unique<ConsoleRing>();
    std::string all;
    for (int i = 0; all.size() < ConsoleRing::kSize + 1000; ++i) {
        const std::string line = "line " + std::to_string(i) + "\n";
        r->put(line.c_str());
        all += line;
    }
    EXPECT_EQ(r->producer() - r->consumer(), ConsoleRing::kSize);
    const std::string got = read(*r, false, false, 0, ~0u);
    EXPECT_EQ(got, all.substr(all.size() - ConsoleRing::kSize));
}

TEST(ConsoleRing, FaultStopsTheRead)
{
    auto r = std::make_unique<ConsoleRing>();
    for (int i = 0; i < 100; ++i) r->put("0123456789");
    Out o;
    o.fault_at = 300;  // the second 256-byte chunk faults
    const auto got = r->read(true, false, 0, 1000, sink, &o);
    ASSERT_FALSE(got.ok());
    EXPECT_EQ(got.error(), Errno::Fault);
    EXPECT_EQ(r->consumer(), 0u);  // nothing cleared
}

}  // namespace
}  // namespace keel
