// SPDX-License-Identifier: MIT
//
// core/hypercall/privileged.cpp
// Owns the privileged hypercalls as Xen 4.17 refuses them to a domU: the
// argument struct is read first (-EFAULT), then its interface version checked
// (-EACCES), then the permission (-EPERM); domctl looks its target domain up
// before the permission check (-ESRCH when there is none). hypfs_op checks
// the permission first. keel has no dom0 yet, so nobody passes. Target only.
#include "core/domain/domain_ref.hpp"
#include "core/hypercall/handlers.hpp"
#include "core/memory/guest_virt.hpp"
#include "public/xen/platform.hpp"

namespace keel {
namespace {

constexpr uint32_t kDomctlCreatedomain = 1;  // XEN_DOMCTL_createdomain: no target domain

template <typename T>
long header(Vcpu& v, uint64_t arg, T& op, uint32_t version)
{
    if (!copy_from_guest(v, op, GuestVirtAddr{arg}).ok()) return hc_error(Errno::Fault);
    if (op.interface_version != version) return hc_error(Errno::Acces);
    return 0;
}

}  // namespace

long do_platform_op(Vcpu& v, HypercallArgs& a)
{
    xen::XenPlatformOp op{};
    const long r = header(v, a.arg[0], op, xen::kXenpfInterfaceVersion);
    return r != 0 ? r : hc_error(Errno::Perm);
}

long do_sysctl(Vcpu& v, HypercallArgs& a)
{
    xen::XenSysctl op{};
    const long r = header(v, a.arg[0], op, xen::kXenSysctlInterfaceVersion);
    return r != 0 ? r : hc_error(Errno::Perm);
}

long do_domctl(Vcpu& v, HypercallArgs& a)
{
    xen::XenDomctl op{};
    const long r = header(v, a.arg[0], op, xen::kXenDomctlInterfaceVersion);
    if (r != 0) return r;
    if (op.cmd != kDomctlCreatedomain && !domain_ref(op.domain)) return hc_error(Errno::Srch);
    return hc_error(Errno::Perm);
}

long do_hypfs_op(Vcpu&, HypercallArgs&) { return hc_error(Errno::Perm); }

}  // namespace keel
