// SPDX-License-Identifier: MIT
//
// core/hypercall/privileged.cpp
// Owns HYPERVISOR_platform_op and HYPERVISOR_hypfs_op as Xen 4.17 Arm answers
// them (arch/arm/platform_hypercall.c; ABI §2.5.6): platform_op reads its
// struct (-EFAULT), checks the interface version (-EACCES), then the
// permission (-EPERM for all but the control domain); for the control domain
// XENPF_settime64 is accepted (mbz must be 0, else -EINVAL) and every other
// command is -ENOSYS. keel publishes no wall clock in shared_info, so the time
// dom0 sets is not passed on (docs/xen-compat.md). hypfs_op checks the
// permission first and keel has no hypervisor file system: -EPERM for a
// domU, -ENOSYS for dom0 (Xen without CONFIG_HYPFS). domctl and sysctl are
// domctl.cpp's and sysctl.cpp's. Target only.
#include <cstring>

#include "core/domain/domain.hpp"
#include "core/domain/vcpu.hpp"
#include "core/hypercall/handlers.hpp"
#include "core/memory/guest_virt.hpp"
#include "public/xen/platform.hpp"

namespace keel {
namespace {

// XENPF_settime64's member: secs, nsecs, mbz, system_time.
struct Settime64 {
    uint64_t secs;
    uint32_t nsecs;
    uint32_t mbz;
    uint64_t system_time;
};
static_assert(sizeof(Settime64) == 24);

}  // namespace

long do_platform_op(Vcpu& v, HypercallArgs& a)
{
    xen::XenPlatformOp op{};
    if (!copy_from_guest(v, op, GuestVirtAddr{a.arg[0]}).ok()) return hc_error(Errno::Fault);
    if (op.interface_version != xen::kXenpfInterfaceVersion) return hc_error(Errno::Acces);
    if (!v.domain->privileged) return hc_error(Errno::Perm);
    if (op.cmd != xen::kXenpfSettime64) return hc_error(Errno::NoSys);
    Settime64 t{};
    std::memcpy(&t, op.u, sizeof t);
    return t.mbz != 0 ? hc_error(Errno::Inval) : 0;
}

long do_hypfs_op(Vcpu& v, HypercallArgs&)
{
    return v.domain->privileged ? hc_error(Errno::NoSys) : hc_error(Errno::Perm);
}

}  // namespace keel
