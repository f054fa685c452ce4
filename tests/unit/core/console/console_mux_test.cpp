// SPDX-License-Identifier: MIT
//
// tests/unit/core/console/console_mux_test.cpp
// Checks console input switching: three CTRL-a rotate keel -> d1 -> d2 -> keel,
// fewer are delivered as typed, input reaches the focused target only, keel
// collects lines, and targets coming and going keep the focus consistent.
#include "core/console/console_mux.hpp"
#include "core/console/console_rx_ring.hpp"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace keel {
namespace {

struct Record {
    std::vector<std::string> keel_lines;
    std::vector<std::string> switches;
    std::string to[4];  // bytes per target index

    ConsoleMuxSink sink()
    {
        ConsoleMuxSink s;
        s.keel_line = [](void* c, const char* t, size_t n) {
            static_cast<Record*>(c)->keel_lines.emplace_back(t, n);
        };
        s.domain_byte = [](void* c, void* target, char ch) {
            static_cast<Record*>(c)->to[*static_cast<int*>(target)].push_back(ch);
        };
        s.switched = [](void* c, DomId id, const char* name) {
            static_cast<Record*>(c)->switches.push_back(std::to_string(id) + ":" + name);
        };
        s.ctx = this;
        return s;
    }
};

int g_index[4] = {0, 1, 2, 3};

struct Fixture {
    ConsoleMux mux;
    Record rec;
    void type(const std::string& s)
    {
        for (char c : s) mux.input(c, rec.sink());
    }
};

const std::string kSwitch = "\x01\x01\x01";
const std::string kKeel = std::to_string(kDomIdInvalid) + ":keel";

TEST(ConsoleMux, StartsAtKeelAndCollectsLines)
{
    Fixture f;
    EXPECT_EQ(f.mux.focus(), kDomIdInvalid);
    f.type("help\r\n");
    f.type("ab\x7f" "c\n");
    f.type("\r");
    ASSERT_EQ(f.rec.keel_lines.size(), 3u);
    EXPECT_EQ(f.rec.keel_lines[0], "help");
    EXPECT_EQ(f.rec.keel_lines[1], "ac");
    EXPECT_EQ(f.rec.keel_lines[2], "");
}

TEST(ConsoleMux, ThreeCtrlARotateThroughDomainsInDomidOrder)
{
    Fixture f;
    ASSERT_TRUE(f.mux.add(2, "domU2", &g_index[2]));
    ASSERT_TRUE(f.mux.add(1, "domU1", &g_index[1]));
    f.type(kSwitch);
    EXPECT_EQ(f.mux.focus(), 1);
    f.type("ls\r");
    f.type(kSwitch);
    EXPECT_EQ(f.mux.focus(), 2);
    f.type("x");
    f.type(kSwitch);
    EXPECT_EQ(f.mux.focus(), kDomIdInvalid);
    f.type(kSwitch);
    EXPECT_EQ(f.mux.focus(), 1);
    EXPECT_EQ(f.rec.to[1], "ls\r");
    EXPECT_EQ(f.rec.to[2], "x");
    EXPECT_TRUE(f.rec.keel_lines.empty());
    const std::vector<std::string> want{"1:domU1", "2:domU2", kKeel, "1:domU1"};
    EXPECT_EQ(f.rec.switches, want);
}

TEST(ConsoleMux, Dom0IsFirstAndStartsWithTheFocus)
{
    // Xen: input goes to dom0 at the end of boot; Ctrl-A x3 then d1, d2, Xen, dom0.
    Fixture f;
    ASSERT_TRUE(f.mux.add(1, "domU1", &g_index[1]));
    ASSERT_TRUE(f.mux.add(0, "Domain-0", &g_index[0]));
    EXPECT_FALSE(f.mux.set_focus(7));
    ASSERT_TRUE(f.mux.set_focus(0));
    EXPECT_EQ(f.mux.focus(), 0);
    EXPECT_TRUE(f.rec.switches.empty());  // no switch line
    f.type("a");
    f.type(kSwitch);
    EXPECT_EQ(f.mux.focus(), 1);
    f.type(kSwitch);
    EXPECT_EQ(f.mux.focus(), kDomIdInvalid);
    f.type(kSwitch);
    EXPECT_EQ(f.mux.focus(), 0);
    EXPECT_EQ(f.rec.to[0], "a");
}

TEST(ConsoleRxRing, KeepsOrderAndDropsWhenFull)
{
    ConsoleRxRing r;
    for (size_t i = 0; i < ConsoleRxRing::kSize; ++i) EXPECT_TRUE(r.push(static_cast<char>(i)));
    EXPECT_FALSE(r.push('x'));
    EXPECT_EQ(r.room(), 0u);
    char out[200];
    EXPECT_EQ(r.take(out, 3), 3u);
    EXPECT_EQ(out[2], 2);
    EXPECT_TRUE(r.push('y'));
    EXPECT_EQ(r.take(out, sizeof out), ConsoleRxRing::kSize - 2);
    EXPECT_EQ(out[ConsoleRxRing::kSize - 3], 'y');
    EXPECT_EQ(r.take(out, sizeof out), 0u);
}

TEST(ConsoleMux, NoDomainsMeansSwitchStaysOnKeel)
{
    Fixture f;
    f.type(kSwitch);
    EXPECT_EQ(f.mux.focus(), kDomIdInvalid);
    ASSERT_EQ(f.rec.switches.size(), 1u);
    EXPECT_EQ(f.rec.switches[0], kKeel);
}

TEST(ConsoleMux, FewerThanThreeCtrlAAreDelivered)
{
    Fixture f;
    f.mux.add(1, "domU1", &g_index[1]);
    f.type(kSwitch);
    f.type("\x01q\x01\x01w");
    EXPECT_EQ(f.rec.to[1], "\x01q\x01\x01w");
    EXPECT_EQ(f.mux.focus(), 1);
    // Six in a row switch twice.
    f.type(kSwitch + kSwitch);
    EXPECT_EQ(f.mux.focus(), 1);
    EXPECT_EQ(f.rec.switches.size(), 3u);
}

TEST(ConsoleMux, RemovingTheFocusedDomainReturnsToKeel)
{
    Fixture f;
    f.mux.add(1, "domU1", &g_index[1]);
    f.mux.add(2, "domU2", &g_index[2]);
    f.type(kSwitch + kSwitch);
    EXPECT_EQ(f.mux.focus(), 2);
    EXPECT_FALSE(f.mux.remove(1));  // not focused: focus stays on d2
    EXPECT_EQ(f.mux.focus(), 2);
    EXPECT_TRUE(f.mux.remove(2));
    EXPECT_EQ(f.mux.focus(), kDomIdInvalid);
    EXPECT_FALSE(f.mux.remove(7));
    EXPECT_EQ(f.mux.targets(), 0u);
    f.type("line\n");
    ASSERT_EQ(f.rec.keel_lines.size(), 1u);
}

TEST(ConsoleMux, AddingKeepsTheFocusedDomain)
{
    Fixture f;
    f.mux.add(3, "domU3", &g_index[3]);
    f.type(kSwitch);
    EXPECT_EQ(f.mux.focus(), 3);
    f.mux.add(1, "domU1", &g_index[1]);
    EXPECT_EQ(f.mux.focus(), 3);
    f.type("k");
    EXPECT_EQ(f.rec.to[3], "k");
    EXPECT_FALSE(f.mux.add(3, "again", &g_index[3]));
}

TEST(ConsoleMux, FullTableRefusesMore)
{
    ConsoleMux mux;
    for (DomId i = 1; i <= ConsoleMux::kMaxTargets; ++i) EXPECT_TRUE(mux.add(i, "d", nullptr));
    EXPECT_FALSE(mux.add(100, "d", nullptr));
}

TEST(ConsoleMux, FocusTargetAndPendingDelivery)
{
    Fixture f;
    f.mux.add(1, "domU1", &g_index[1]);
    EXPECT_EQ(f.mux.focus_target(), nullptr);
    EXPECT_EQ(f.mux.max_delivery(), 1u);
    f.type(kSwitch);
    EXPECT_EQ(f.mux.focus_target(), &g_index[1]);
    f.type("\x01\x01");  // two CTRL-a held back: the next byte may deliver three
    EXPECT_EQ(f.mux.max_delivery(), 3u);
    f.type("z");
    EXPECT_EQ(f.mux.max_delivery(), 1u);
    EXPECT_EQ(f.rec.to[1], "\x01\x01z");
}

TEST(ConsoleMux, KeelLineIsBounded)
{
    Fixture f;
    f.type(std::string(500, 'z') + "\n");
    ASSERT_EQ(f.rec.keel_lines.size(), 1u);
    EXPECT_EQ(f.rec.keel_lines[0].size(), ConsoleMux::kKeelLineMax);
}

}  // namespace
}  // namespace keel
