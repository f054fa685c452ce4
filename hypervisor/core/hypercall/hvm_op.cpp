// SPDX-License-Identifier: MIT
//
// core/hypercall/hvm_op.cpp
// Owns HYPERVISOR_hvm_op(op, arg) as ARM Xen 4.17 answers it
// (arch/arm/hvm.c; ABI §2.5.5): set_param/get_param on the caller itself
// (DOMID_SELF or its own id) or, for the control domain, on another domain
// follow hvm_params.hpp's rules; another existing domain named by a domU is
// -EPERM (XSM_TARGET), an unknown one -ESRCH; guest_request_vm_event with a
// NULL argument succeeds (no monitor), else -EINVAL; other ops -ENOSYS.
// Target only.
#include "core/domain/domain.hpp"
#include "core/domain/domain_ref.hpp"
#include "core/domain/vcpu.hpp"
#include "core/hypercall/handlers.hpp"
#include "core/hypercall/hvm_params.hpp"
#include "core/memory/guest_virt.hpp"
#include "public/xen/hvm.hpp"

namespace keel {
namespace {

long param_op(Vcpu& v, bool set, uint64_t arg)
{
    xen::XenHvmParam p{};
    if (!copy_from_guest(v, p, GuestVirtAddr{arg}).ok()) return hc_error(Errno::Fault);
    Domain* d = v.domain;
    DomainRef other;  // keeps another domain alive across the access
    if (p.domid != xen::kDomidSelf && p.domid != d->id) {
        other = domain_ref(p.domid);
        if (!other) return hc_error(Errno::Srch);
        if (!d->privileged) return hc_error(Errno::Perm);
        d = other.get();
    }
    const bool self = d == v.domain;
    if (set) {
        const Result<void> r = hvm_param_set(d->hc.hvm, p.index, p.value, self);
        return r.ok() ? 0 : hc_error(r.error());
    }
    const Result<uint64_t> r = hvm_param_get(d->hc.hvm, p.index, self);
    if (!r.ok()) return hc_error(r.error());
    p.value = r.value();
    return copy_to_guest(v, GuestVirtAddr{arg}, p).ok() ? 0 : hc_error(Errno::Fault);
}

}  // namespace

long do_hvm_op(Vcpu& v, HypercallArgs& a)
{
    switch (static_cast<xen::HvmOp>(a.arg[0])) {
    case xen::HvmOp::SetParam: return param_op(v, true, a.arg[1]);
    case xen::HvmOp::GetParam: return param_op(v, false, a.arg[1]);
    case xen::HvmOp::GuestRequestVmEvent: return a.arg[1] == 0 ? 0 : hc_error(Errno::Inval);
    }
    return hc_error(Errno::NoSys);
}

}  // namespace keel
