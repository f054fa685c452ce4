// SPDX-License-Identifier: MIT
//
// tests/unit/core/hypercall/hypercall_table_test.cpp
// The hypercall dispatch table's shape (Xen's ARM numbers, argument counts,
// empty slots → -ENOSYS) and dispatch, with fake handlers.
#include <gtest/gtest.h>

#include "core/domain/vcpu.hpp"
#include "core/hypercall/hypercall_table.hpp"

namespace keel {
namespace {

long fake_a(Vcpu&, HypercallArgs& a) { return static_cast<long>(a.arg[0] + 1); }
long fake_b(Vcpu&, HypercallArgs&) { return 7; }
long fake_continue(Vcpu& v, HypercallArgs& a)
{
    a.arg[0] = 99;
    return hypercall_continue(v, a);
}

constexpr HypercallHandlers kFakes{fake_a, fake_a, fake_b, fake_a, fake_a, fake_a, fake_a,
                                   fake_a, fake_a, fake_a, fake_continue, fake_a, fake_a, fake_a};
constexpr HypercallTable kTable = make_hypercall_table(kFakes);

TEST(HypercallTable, XenArmNumbers)
{
    struct Want {
        uint64_t nr;
        const char* name;
        uint8_t nargs;
    };
    const Want want[] = {{7, "platform_op", 1},  {12, "memory_op", 2},     {13, "multicall", 2},
                         {17, "xen_version", 2}, {18, "console_io", 3},    {20, "grant_table_op", 3},
                         {21, "vm_assist", 2},   {24, "vcpu_op", 3},       {29, "sched_op", 2},
                         {32, "event_channel_op", 2}, {34, "hvm_op", 2},   {35, "sysctl", 1},
                         {36, "domctl", 1},      {42, "hypfs_op", 5}};
    size_t filled = 0;
    for (const HypercallEntry& e : kTable) filled += e.fn != nullptr;
    EXPECT_EQ(filled, std::size(want));
    for (const Want& w : want) {
        SCOPED_TRACE(w.name);
        EXPECT_NE(kTable[w.nr].fn, nullptr);
        EXPECT_STREQ(kTable[w.nr].name, w.name);
        EXPECT_EQ(kTable[w.nr].nargs, w.nargs);
    }
    static_assert(kTable.size() == 64);
}

TEST(HypercallTable, EmptyAndOutOfRangeAreNoSys)
{
    Vcpu v;
    HypercallArgs a;
    // Deprecated compat calls, x86-only ones, xsm/argo/dm/physdev: -ENOSYS as ARM Xen 4.17.
    for (uint64_t nr : {0ull, 6ull, 11ull, 16ull, 19ull, 27ull, 33ull, 39ull, 41ull, 63ull}) {
        EXPECT_EQ(dispatch_hypercall(kTable, v, nr, a), -38) << nr;
    }
    EXPECT_EQ(dispatch_hypercall(kTable, v, 64, a), -38);
    EXPECT_EQ(dispatch_hypercall(kTable, v, ~uint64_t{0}, a), -38);
    EXPECT_STREQ(hypercall_name(kTable, 1000), "?");
}

TEST(HypercallTable, DispatchPassesArguments)
{
    Vcpu v;
    HypercallArgs a;
    a.arg[0] = 41;
    EXPECT_EQ(dispatch_hypercall(kTable, v, 17, a), 42);
    EXPECT_FALSE(a.preempted_continuation);
}

TEST(HypercallTable, ContinuationMarksArgs)
{
    Vcpu v;
    HypercallArgs a;
    (void)dispatch_hypercall(kTable, v, 34, a);
    EXPECT_TRUE(a.preempted_continuation);
    EXPECT_EQ(a.arg[0], 99u);
}

TEST(HypercallTable, MulticallEntriesRefuseNesting)
{
    constexpr HypercallTable nested = without_multicall(kTable, fake_a);
    EXPECT_EQ(nested[13].fn, fake_a);
    EXPECT_EQ(kTable[13].fn, fake_b);
    EXPECT_EQ(nested[17].fn, kTable[17].fn);
}

TEST(HypercallTable, ErrnoValues)
{
    EXPECT_EQ(hc_error(Errno::NoSys), -38);
    EXPECT_EQ(hc_error(Errno::Fault), -14);
    EXPECT_EQ(hc_error(Errno::Perm), -1);
    EXPECT_EQ(hc_error(Errno::Srch), -3);
    EXPECT_EQ(hc_error(Errno::TooBig), -7);
    EXPECT_EQ(hc_error(Errno::Acces), -13);
}

}  // namespace
}  // namespace keel
