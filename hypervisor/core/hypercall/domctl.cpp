// SPDX-License-Identifier: MIT
//
// core/hypercall/domctl.cpp
// Owns HYPERVISOR_domctl(arg) (ABI §2.3): the 144-byte struct is copied in
// (-EFAULT), the common checks are ctl_route.hpp's, then the sub-ops keel
// implements — getdomaininfo (the domain found; xen_domctl.domain set to it),
// getvcpuinfo, setdomainhandle — with the whole struct copied back where Xen
// does (-EFAULT when that fails). Every other sub-op is -ENOSYS for the
// control domain (docs/xen-compat.md lists them). Target only.
#include <cstring>

#include "core/domain/domain.hpp"
#include "core/domain/domain_ref.hpp"
#include "core/domain/domain_table.hpp"
#include "core/domain/vcpu.hpp"
#include "core/hypercall/ctl_facts.hpp"
#include "core/hypercall/ctl_route.hpp"
#include "core/hypercall/domain_info.hpp"
#include "core/hypercall/handlers.hpp"
#include "core/memory/guest_virt.hpp"
#include "public/xen/domctl.hpp"

namespace keel {
namespace {

template <typename T>
void put_member(xen::XenDomctl& op, const T& m)
{
    static_assert(sizeof(T) <= sizeof(op.u));
    std::memcpy(op.u, &m, sizeof m);
}

template <typename T>
T get_member(const xen::XenDomctl& op)
{
    T m{};
    std::memcpy(&m, op.u, sizeof m);
    return m;
}

long copy_back(Vcpu& v, GuestVirtAddr arg, const xen::XenDomctl& op)
{
    return copy_to_guest(v, arg, op).ok() ? 0 : hc_error(Errno::Fault);
}

}  // namespace

long do_domctl(Vcpu& v, HypercallArgs& a)
{
    const GuestVirtAddr arg{a.arg[0]};
    xen::XenDomctl op{};
    if (!copy_from_guest(v, op, arg).ok()) return hc_error(Errno::Fault);

    uint16_t ids[kMaxDomains];
    const DomainIdList existing{ids, existing_domain_ids(ids, kMaxDomains)};
    const Result<DomctlRoute> route = route_domctl(op, existing, v.domain->privileged);
    if (!route.ok()) return hc_error(route.error());
    DomainRef target = domain_ref(route.value().target);
    if (!target) return hc_error(Errno::Srch);  // ended since the list was taken

    switch (route.value().action) {
    case DomctlAction::GetDomainInfo: {
        const xen::XenDomctlGetDomainInfo info = domain_info_record(domain_facts(*target));
        op.domain = info.domain;
        put_member(op, info);
        return copy_back(v, arg, op);
    }
    case DomctlAction::GetVcpuInfo: {
        const auto in = get_member<xen::XenDomctlGetVcpuInfo>(op);
        const Result<xen::XenDomctlGetVcpuInfo> info = vcpu_info_record(domain_facts(*target), in.vcpu);
        if (!info.ok()) return hc_error(info.error());
        put_member(op, info.value());
        return copy_back(v, arg, op);
    }
    case DomctlAction::SetDomainHandle: {
        const auto in = get_member<xen::XenDomctlSetDomainHandle>(op);
        domain_handle_set(*target, in.handle);
        return 0;
    }
    }
    return hc_error(Errno::NoSys);
}

}  // namespace keel
