// SPDX-License-Identifier: MIT
//
// core/hypercall/ctl_route.cpp
// Owns the common domctl/sysctl checks (see ctl_route.hpp). Pure.
#include "core/hypercall/ctl_route.hpp"

namespace keel {
namespace {

using xen::DomctlCmd;

bool is(uint32_t cmd, DomctlCmd c) { return cmd == static_cast<uint32_t>(c); }

// Xen's first switch in do_domctl: the commands that may name no domain.
bool names_no_domain(uint32_t cmd, uint16_t dom)
{
    if (is(cmd, DomctlCmd::CreateDomain) || is(cmd, DomctlCmd::GdbsxGuestMemIo)) return true;
    if (is(cmd, DomctlCmd::TestAssignDevice) || is(cmd, DomctlCmd::VmEventOp))
        return dom == xen::kDomidInvalid;
    // assign/deassign_device name DOMID_IO for "the pool of unassigned devices".
    if (is(cmd, DomctlCmd::AssignDevice) || is(cmd, DomctlCmd::DeassignDevice))
        return dom == xen::kDomidIo;
    return false;
}

}  // namespace

bool DomainIdList::contains(uint16_t id) const
{
    for (size_t i = 0; i < count; ++i)
        if (ids[i] == id) return true;
    return false;
}

Result<uint16_t> DomainIdList::at_or_after(uint16_t id) const
{
    for (size_t i = 0; i < count; ++i)
        if (ids[i] >= id) return ids[i];
    return Errno::NoEnt;
}

Result<DomctlRoute> route_domctl(const xen::XenDomctl& op, const DomainIdList& existing,
                                 bool privileged)
{
    if (op.interface_version != xen::kXenDomctlInterfaceVersion) return Errno::Acces;
    const uint32_t cmd = op.cmd;
    const bool found = existing.contains(op.domain);
    if (is(cmd, DomctlCmd::GetDomainInfo)) {
        DomctlRoute r{DomctlAction::GetDomainInfo, op.domain};
        if (!found) {
            if (op.domain >= xen::kDomidFirstReserved) return Errno::Inval;
            const Result<uint16_t> next = existing.at_or_after(op.domain);
            if (!next.ok()) return Errno::Srch;
            r.target = next.value();
        }
        // XSM_XS_PRIV: the control domain or a xenstore domain (keel has none).
        if (!privileged) return Errno::Perm;
        return r;
    }
    if (!names_no_domain(cmd, op.domain)) {
        if ((is(cmd, DomctlCmd::AssignDevice) || is(cmd, DomctlCmd::DeassignDevice)) &&
            op.domain == xen::kDomidInvalid)
            return Errno::Srch;
        if (!found) return Errno::Srch;
    }
    if (!privileged) return Errno::Perm;  // XSM_PRIV
    if (is(cmd, DomctlCmd::GetVcpuInfo)) return DomctlRoute{DomctlAction::GetVcpuInfo, op.domain};
    if (is(cmd, DomctlCmd::SetDomainHandle))
        return DomctlRoute{DomctlAction::SetDomainHandle, op.domain};
    return Errno::NoSys;
}

Result<SysctlAction> route_sysctl(const xen::XenSysctl& op, bool privileged)
{
    if (op.interface_version != xen::kXenSysctlInterfaceVersion) return Errno::Acces;
    if (!privileged) return Errno::Perm;  // XSM_PRIV, before the command is looked at
    switch (static_cast<xen::SysctlCmd>(op.cmd)) {
    case xen::SysctlCmd::ReadConsole: return SysctlAction::ReadConsole;
    case xen::SysctlCmd::Physinfo: return SysctlAction::Physinfo;
    case xen::SysctlCmd::SchedId: return SysctlAction::SchedId;
    case xen::SysctlCmd::GetDomainInfoList: return SysctlAction::GetDomainInfoList;
    case xen::SysctlCmd::Cputopoinfo: return SysctlAction::Cputopoinfo;
    case xen::SysctlCmd::Numainfo: return SysctlAction::Numainfo;
    case xen::SysctlCmd::CpupoolOp: return SysctlAction::CpupoolOp;
    }
    return Errno::NoSys;
}

}  // namespace keel
