// SPDX-License-Identifier: MIT
//
// core/hypercall/ctl_route.hpp
// Owns the checks every HYPERVISOR_domctl and HYPERVISOR_sysctl passes before
// its sub-op runs, in Xen 4.17's order (common/domctl.c do_domctl, sysctl.c
// do_sysctl with the dummy XSM policy; ABI §2.2-2.4): interface version
// (-EACCES), the target domain's lookup (-ESRCH; none for createdomain and
// the device ops that name no domain), getdomaininfo's "next existing domain
// at or after the id" (-EINVAL for a reserved id, -ESRCH past the last),
// then the caller's privilege (-EPERM; getdomaininfo also lets a xenstore
// domain through, keel has none), then which sub-op keel implements — an
// absent one is -ENOSYS (Arm arch_do_domctl's and arch_do_sysctl's default).
// Pure: the caller passes the ids of the domains that exist.
#pragma once
#include <cstddef>
#include <cstdint>

#include "lib/result.hpp"
#include "public/xen/domctl.hpp"
#include "public/xen/sysctl.hpp"

namespace keel {

/// The domains a domctl can name: their ids, ascending.
struct DomainIdList {
    const uint16_t* ids = nullptr;
    size_t count = 0;

    bool contains(uint16_t id) const;
    /// The smallest id >= `id`, or NoEnt.
    Result<uint16_t> at_or_after(uint16_t id) const;
};

enum class DomctlAction : uint8_t { GetDomainInfo, GetVcpuInfo, SetDomainHandle };

struct DomctlRoute {
    DomctlAction action = DomctlAction::GetDomainInfo;
    uint16_t target = 0;  // the domain the sub-op acts on (getdomaininfo: the one found)
};

/// What a domctl does after the common checks, or the errno they give:
/// Acces, Srch, Inval, Perm, NoSys (a sub-op keel does not implement).
Result<DomctlRoute> route_domctl(const xen::XenDomctl& op, const DomainIdList& existing,
                                 bool privileged);

enum class SysctlAction : uint8_t {
    ReadConsole, Physinfo, SchedId, GetDomainInfoList, Cputopoinfo, Numainfo, CpupoolOp,
};

/// Acces, Perm, NoSys.
Result<SysctlAction> route_sysctl(const xen::XenSysctl& op, bool privileged);

}  // namespace keel
