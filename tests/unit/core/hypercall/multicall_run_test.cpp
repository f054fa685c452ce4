// SPDX-License-Identifier: MIT
//
// tests/unit/core/hypercall/multicall_run_test.cpp
// HYPERVISOR_multicall's loop (Xen 4.17 do_multicall) over a fake guest list.
#include <gtest/gtest.h>

#include <vector>

#include "core/domain/vcpu.hpp"
#include "core/hypercall/multicall_run.hpp"

namespace keel {
namespace {

constexpr uint64_t kBase = 0x10000;

class FakeList final : public MulticallIo {
public:
    std::vector<xen::MulticallEntry> e;
    int preempt_after = -1;  // preempt() true from this many calls on
    int preempt_calls = 0;
    uint64_t fault_at = ~uint64_t{0};

    Result<void> read(uint64_t va, xen::MulticallEntry& out) override
    {
        const size_t i = index(va);
        if (i >= e.size() || va == fault_at) return Errno::Fault;
        out = e[i];
        return {};
    }
    Result<void> write_result(uint64_t va, uint64_t result) override
    {
        const size_t i = index(va);
        if (i >= e.size()) return Errno::Fault;
        e[i].result = result;
        return {};
    }
    Result<void> write_entry(uint64_t va, const xen::MulticallEntry& x) override
    {
        const size_t i = index(va);
        if (i >= e.size()) return Errno::Fault;
        e[i] = x;
        return {};
    }
    bool preempt() override { return preempt_after >= 0 && preempt_calls++ >= preempt_after; }

private:
    static size_t index(uint64_t va) { return static_cast<size_t>((va - kBase) / 64); }
};

long add(Vcpu&, HypercallArgs& a) { return static_cast<long>(a.arg[0] + a.arg[1]); }
// Works on arg[0] units, one per call, continuing while any are left.
long slow(Vcpu& v, HypercallArgs& a)
{
    if (a.arg[0] > 1) {
        a.arg[0] -= 1;
        return hypercall_continue(v, a);
    }
    return 5;
}
long unused(Vcpu&, HypercallArgs&) { return -38; }

constexpr HypercallHandlers kFakes{unused, add,    unused, add,    unused, unused, unused,
                                   unused, unused, unused, slow,   unused, unused, unused};
constexpr HypercallTable kEntries =
    without_multicall(make_hypercall_table(kFakes), multicall_nested);

xen::MulticallEntry entry(uint64_t op, uint64_t a0 = 0, uint64_t a1 = 0)
{
    xen::MulticallEntry e{};
    e.op = op;
    e.args[0] = a0;
    e.args[1] = a1;
    return e;
}

TEST(Multicall, RunsEveryEntry)
{
    Vcpu v;
    FakeList l;
    l.e = {entry(12, 1, 2), entry(17, 10, 20), entry(63), entry(1000), entry(13, kBase, 1)};
    HypercallArgs a;
    a.arg[0] = kBase;
    a.arg[1] = l.e.size();
    EXPECT_EQ(run_multicall(v, a, kEntries, l), 0);
    EXPECT_FALSE(a.preempted_continuation);
    EXPECT_EQ(l.e[0].result, 3u);
    EXPECT_EQ(l.e[1].result, 30u);
    EXPECT_EQ(static_cast<int64_t>(l.e[2].result), -38);  // empty slot
    EXPECT_EQ(static_cast<int64_t>(l.e[3].result), -38);  // op >= 64
    EXPECT_EQ(static_cast<int64_t>(l.e[4].result), -22);  // nested multicall
}

TEST(Multicall, NrIs32Bits)
{
    Vcpu v;
    FakeList l;
    l.e = {entry(12, 1, 1)};
    HypercallArgs a;
    a.arg[0] = kBase;
    a.arg[1] = uint64_t{1} << 32;  // nr_calls = 0
    EXPECT_EQ(run_multicall(v, a, kEntries, l), 0);
    EXPECT_EQ(l.e[0].result, 0u);
}

TEST(Multicall, PreemptedBetweenEntries)
{
    Vcpu v;
    FakeList l;
    l.e = {entry(12, 1, 1), entry(12, 2, 2), entry(12, 3, 3)};
    l.preempt_after = 0;  // the check before entry 1 already says yes
    HypercallArgs a;
    a.arg[0] = kBase;
    a.arg[1] = 3;
    (void)run_multicall(v, a, kEntries, l);
    EXPECT_TRUE(a.preempted_continuation);
    EXPECT_EQ(a.arg[0], kBase + 64);
    EXPECT_EQ(a.arg[1], 2u);
    EXPECT_EQ(l.e[0].result, 2u);
    EXPECT_EQ(l.e[1].result, 0u);
}

TEST(Multicall, EntryContinuationIsWrittenBack)
{
    Vcpu v;
    FakeList l;
    l.e = {entry(12, 1, 1), entry(34, 3)};
    HypercallArgs a;
    a.arg[0] = kBase;
    a.arg[1] = 2;
    (void)run_multicall(v, a, kEntries, l);
    ASSERT_TRUE(a.preempted_continuation);
    EXPECT_EQ(a.arg[0], kBase + 64);
    EXPECT_EQ(a.arg[1], 1u);
    EXPECT_EQ(l.e[1].args[0], 2u);  // progress kept in the list
    // The guest re-executes: the continuation finishes the entry.
    for (int i = 0; i < 3 && a.preempted_continuation; ++i) {
        a.preempted_continuation = false;
        EXPECT_EQ(run_multicall(v, a, kEntries, l), 0);
    }
    EXPECT_FALSE(a.preempted_continuation);
    EXPECT_EQ(l.e[1].result, 5u);
}

TEST(Multicall, FaultEndsTheCall)
{
    Vcpu v;
    FakeList l;
    l.e = {entry(12, 1, 1), entry(12, 2, 2)};
    l.fault_at = kBase + 64;
    HypercallArgs a;
    a.arg[0] = kBase;
    a.arg[1] = 2;
    EXPECT_EQ(run_multicall(v, a, kEntries, l), -14);
    EXPECT_EQ(l.e[0].result, 2u);
    a = HypercallArgs{};
    a.arg[0] = kBase + 64 * 5;
    a.arg[1] = 1;
    EXPECT_EQ(run_multicall(v, a, kEntries, l), -14);
}

}  // namespace
}  // namespace keel
