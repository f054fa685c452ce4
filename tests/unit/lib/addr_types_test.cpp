// SPDX-License-Identifier: MIT
//
// tests/unit/lib/addr_types_test.cpp
// The typed addresses keep guest and host spaces apart at compile time: a
// guest-physical or guest-virtual address never turns into a pointer or into a
// host address by itself (the [hostile] "no guest pointer dereferenced outside
// the checked copy path" rule starts here; tools/lint-guest-pointers.sh checks
// the casts that remain possible through raw()).
#include "lib/addr.hpp"

#include <gtest/gtest.h>

#include <type_traits>

namespace keel {
namespace {

static_assert(!std::is_convertible_v<GuestPhysAddr, void*>);
static_assert(!std::is_convertible_v<GuestVirtAddr, void*>);
static_assert(!std::is_constructible_v<void*, GuestPhysAddr>);
static_assert(!std::is_constructible_v<void*, GuestVirtAddr>);
static_assert(!std::is_convertible_v<GuestPhysAddr, PhysAddr>);
static_assert(!std::is_convertible_v<GuestVirtAddr, VirtAddr>);
static_assert(!std::is_constructible_v<PhysAddr, GuestPhysAddr>);
static_assert(!std::is_constructible_v<VirtAddr, GuestVirtAddr>);
static_assert(!std::is_convertible_v<uint64_t, GuestVirtAddr>);  // explicit only
static_assert(!std::is_convertible_v<GuestPhysAddr, uint64_t>);

TEST(AddrTypes, GuestAddressesStayTyped)
{
    const GuestPhysAddr ipa{0x40001234};
    EXPECT_EQ(ipa.page_offset(), 0x234u);
    EXPECT_EQ(ipa.align_down(kPageSize).raw(), 0x40001000u);
}

}  // namespace
}  // namespace keel
