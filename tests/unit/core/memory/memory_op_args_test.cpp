// SPDX-License-Identifier: MIT
//
// tests/unit/core/memory/memory_op_args_test.cpp
// Checks memory_op argument decoding: the command word (operation | start
// extent << 6) and which reservation requests a domU gets carried out.
#include "core/memory/memory_op_args.hpp"

#include <gtest/gtest.h>

namespace keel {
namespace {

TEST(MemoryOpArgs, CommandWordCarriesTheStartExtent)
{
    const MemopCmd c = decode_memop(0x1 | (uint64_t{37} << 6));
    EXPECT_EQ(c.op, 1u);
    EXPECT_EQ(c.start, 37u);
    EXPECT_EQ(encode_memop(6, 5), 6u | (5u << 6));
    EXPECT_EQ(decode_memop(encode_memop(23, 0xffff)).start, 0xffffu);
}

TEST(MemoryOpArgs, ReservationRequestsOfADomU)
{
    xen::MemoryReservation r{};
    r.nr_extents = 4;
    r.domid = xen::kDomidSelf;
    EXPECT_TRUE(reservation_accepted(r, 0, 3));
    EXPECT_TRUE(reservation_accepted(r, 3, 3));
    EXPECT_FALSE(reservation_accepted(r, 4, 3));  // nothing left from there
    r.domid = 3;
    EXPECT_TRUE(reservation_accepted(r, 0, 3));   // its own id
    r.domid = 4;
    EXPECT_FALSE(reservation_accepted(r, 0, 3));  // another domain
    r.domid = xen::kDomidSelf;
    r.extent_order = 9;
    EXPECT_TRUE(reservation_accepted(r, 0, 3));
    r.extent_order = 10;
    EXPECT_FALSE(reservation_accepted(r, 0, 3));  // above a domU's max order
    r.extent_order = 0;
    r.mem_flags = xen::kMemfPopulateOnDemand;
    EXPECT_FALSE(reservation_accepted(r, 0, 3));
    r.mem_flags = 0;
    r.nr_extents = (uint64_t{1} << 26);
    EXPECT_FALSE(reservation_accepted(r, 0, 3));  // no continuation could encode it
    r.nr_extents = (uint64_t{1} << 26) - 1;
    EXPECT_TRUE(reservation_accepted(r, 0, 3));
}

}  // namespace
}  // namespace keel
