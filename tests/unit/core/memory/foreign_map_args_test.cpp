// SPDX-License-Identifier: MIT
//
// tests/unit/core/memory/foreign_map_args_test.cpp
// Checks the foreign-domid decision of a gmfn_foreign entry (Xen 4.17's
// get_pg_owner order): the caller's own id, DOMID_SELF, the system domains,
// and everything else looked up (reserved and out-of-range ids included).
#include <gtest/gtest.h>

#include "core/memory/foreign_map_args.hpp"

namespace keel {
namespace {

TEST(ForeignMapArgs, ClassifiesTheForeignDomidAsXenDoes)
{
    EXPECT_EQ(classify_foreign_domid(0, 0), ForeignDomid::CallerId);
    EXPECT_EQ(classify_foreign_domid(5, 5), ForeignDomid::CallerId);
    EXPECT_EQ(classify_foreign_domid(xen::kDomidSelf, 0), ForeignDomid::SelfAlias);
    EXPECT_EQ(classify_foreign_domid(xen::kDomidIo, 0), ForeignDomid::SystemDomain);
    EXPECT_EQ(classify_foreign_domid(xen::kDomidXen, 3), ForeignDomid::SystemDomain);
    for (const uint16_t id : {uint16_t{1}, uint16_t{31}, uint16_t{32}, xen::kDomidCow, xen::kDomidInvalid,
                              xen::kDomidAny, xen::kDomidIdle, uint16_t{0x8000}, uint16_t{0xffff}})
        EXPECT_EQ(classify_foreign_domid(id, 0), ForeignDomid::Lookup) << id;
}

}  // namespace
}  // namespace keel
