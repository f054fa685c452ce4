// SPDX-License-Identifier: MIT
//
// tests/unit/core/hypercall/ctl_route_test.cpp
// The common domctl/sysctl checks in Xen 4.17's order (common/domctl.c,
// sysctl.c, dummy XSM): version, lookup, getdomaininfo's next-domain search,
// privilege, absent sub-ops (xen-dom0-abi.md §2.2-2.4).
#include <gtest/gtest.h>

#include "core/hypercall/ctl_route.hpp"

namespace keel {
namespace {

constexpr uint16_t kIds[] = {0, 1, 3, 7};
const DomainIdList kExisting{kIds, 4};

xen::XenDomctl domctl(uint32_t cmd, uint16_t dom, uint32_t version = xen::kXenDomctlInterfaceVersion)
{
    xen::XenDomctl op{};
    op.cmd = cmd;
    op.interface_version = version;
    op.domain = dom;
    return op;
}

Errno err(const Result<DomctlRoute>& r) { return r.ok() ? Errno{} : r.error(); }

TEST(CtlRoute, VersionComesFirst)
{
    for (uint32_t v : {0u, 0x14u, 0x16u, 0xffffffffu}) {
        EXPECT_EQ(err(route_domctl(domctl(5, 0, v), kExisting, true)), Errno::Acces);
        EXPECT_EQ(err(route_domctl(domctl(5, 0x7ff4, v), kExisting, false)), Errno::Acces);
    }
}

TEST(CtlRoute, GetDomainInfoFindsTheNextExistingDomain)
{
    const struct { uint16_t asked, found; } cases[] = {{0, 0}, {1, 1}, {2, 3}, {3, 3}, {4, 7}, {7, 7}};
    for (const auto& c : cases) {
        const auto r = route_domctl(domctl(5, c.asked), kExisting, true);
        ASSERT_TRUE(r.ok()) << c.asked;
        EXPECT_EQ(r.value().action, DomctlAction::GetDomainInfo);
        EXPECT_EQ(r.value().target, c.found);
    }
    EXPECT_EQ(err(route_domctl(domctl(5, 8), kExisting, true)), Errno::Srch);
    EXPECT_EQ(err(route_domctl(domctl(5, 0x7fef), kExisting, true)), Errno::Srch);
    for (uint16_t reserved : {0x7ff0, 0x7ff1, 0x7ff4, 0x7fff, 0xffff})
        EXPECT_EQ(err(route_domctl(domctl(5, reserved), kExisting, true)), Errno::Inval) << reserved;
}

TEST(CtlRoute, GetDomainInfoFromADomUIsRefusedAfterTheSearch)
{
    EXPECT_EQ(err(route_domctl(domctl(5, 1), kExisting, false)), Errno::Perm);
    EXPECT_EQ(err(route_domctl(domctl(5, 4), kExisting, false)), Errno::Perm);
    EXPECT_EQ(err(route_domctl(domctl(5, 8), kExisting, false)), Errno::Srch);
    EXPECT_EQ(err(route_domctl(domctl(5, 0x7ff0), kExisting, false)), Errno::Inval);
}

TEST(CtlRoute, OtherCommandsLookTheTargetUpThenCheckPrivilege)
{
    for (uint32_t cmd : {2u, 3u, 4u, 9u, 11u, 12u, 14u, 15u, 16u, 17u, 25u, 35u, 71u, 86u, 9999u}) {
        EXPECT_EQ(err(route_domctl(domctl(cmd, 2), kExisting, true)), Errno::Srch) << cmd;
        EXPECT_EQ(err(route_domctl(domctl(cmd, 0x7ff0), kExisting, true)), Errno::Srch) << cmd;
        EXPECT_EQ(err(route_domctl(domctl(cmd, 3), kExisting, false)), Errno::Perm) << cmd;
        EXPECT_EQ(err(route_domctl(domctl(cmd, 2), kExisting, false)), Errno::Srch) << cmd;
    }
}

TEST(CtlRoute, CommandsNamingNoDomainSkipTheLookup)
{
    EXPECT_EQ(err(route_domctl(domctl(1, 0x7ff4), kExisting, false)), Errno::Perm);  // createdomain
    EXPECT_EQ(err(route_domctl(domctl(1, 0x7ff4), kExisting, true)), Errno::NoSys);
    EXPECT_EQ(err(route_domctl(domctl(1000, 55), kExisting, false)), Errno::Perm);   // gdbsx
    EXPECT_EQ(err(route_domctl(domctl(45, 0x7ff4), kExisting, false)), Errno::Perm); // test_assign
    EXPECT_EQ(err(route_domctl(domctl(45, 2), kExisting, false)), Errno::Srch);
    EXPECT_EQ(err(route_domctl(domctl(37, 0x7ff1), kExisting, false)), Errno::Perm); // assign to DOMID_IO
    EXPECT_EQ(err(route_domctl(domctl(37, 0x7ff4), kExisting, true)), Errno::Srch);
    EXPECT_EQ(err(route_domctl(domctl(47, 0x7ff4), kExisting, true)), Errno::Srch);
}

TEST(CtlRoute, ImplementedCommandsForTheControlDomain)
{
    const auto r = route_domctl(domctl(14, 3), kExisting, true);
    ASSERT_TRUE(r.ok());
    EXPECT_EQ(r.value().action, DomctlAction::GetVcpuInfo);
    EXPECT_EQ(r.value().target, 3);
    const auto h = route_domctl(domctl(17, 0), kExisting, true);
    ASSERT_TRUE(h.ok());
    EXPECT_EQ(h.value().action, DomctlAction::SetDomainHandle);
    for (uint32_t cmd : {2u, 3u, 4u, 9u, 11u, 12u, 15u, 16u, 25u, 35u, 68u, 71u, 81u, 86u, 0u, 0xffffffffu})
        EXPECT_EQ(err(route_domctl(domctl(cmd, 1), kExisting, true)), Errno::NoSys) << cmd;
}

TEST(CtlRoute, NoDomainsAtAll)
{
    const DomainIdList none{};
    EXPECT_EQ(err(route_domctl(domctl(5, 0), none, true)), Errno::Srch);
    EXPECT_EQ(err(route_domctl(domctl(14, 0), none, true)), Errno::Srch);
}

xen::XenSysctl sysctl(uint32_t cmd, uint32_t version = xen::kXenSysctlInterfaceVersion)
{
    xen::XenSysctl op{};
    op.cmd = cmd;
    op.interface_version = version;
    return op;
}

TEST(CtlRoute, Sysctl)
{
    EXPECT_EQ(route_sysctl(sysctl(3, 0x14), true).error(), Errno::Acces);
    EXPECT_EQ(route_sysctl(sysctl(3, 0x14), false).error(), Errno::Acces);
    for (uint32_t cmd : {1u, 3u, 4u, 6u, 18u, 17u, 99u})
        EXPECT_EQ(route_sysctl(sysctl(cmd), false).error(), Errno::Perm) << cmd;
    EXPECT_EQ(route_sysctl(sysctl(1), true).value(), SysctlAction::ReadConsole);
    EXPECT_EQ(route_sysctl(sysctl(3), true).value(), SysctlAction::Physinfo);
    EXPECT_EQ(route_sysctl(sysctl(4), true).value(), SysctlAction::SchedId);
    EXPECT_EQ(route_sysctl(sysctl(6), true).value(), SysctlAction::GetDomainInfoList);
    EXPECT_EQ(route_sysctl(sysctl(16), true).value(), SysctlAction::Cputopoinfo);
    EXPECT_EQ(route_sysctl(sysctl(17), true).value(), SysctlAction::Numainfo);
    EXPECT_EQ(route_sysctl(sysctl(18), true).value(), SysctlAction::CpupoolOp);
    for (uint32_t cmd : {0u, 2u, 5u, 7u, 8u, 9u, 19u, 22u, 27u, 0xffffffffu})
        EXPECT_EQ(route_sysctl(sysctl(cmd), true).error(), Errno::NoSys) << cmd;
}

}  // namespace
}  // namespace keel
