// SPDX-License-Identifier: MIT
//
// core/hypercall/vm_assist.cpp
// Owns HYPERVISOR_vm_assist(cmd, type) (Xen 4.17 common/domain.c
// do_vm_assist): ARM accepts only VMASST_TYPE_runstate_update_flag (any
// other type -EINVAL, checked first); enable/disable set the domain's bit,
// other commands -ENOSYS. The bit makes runstate updates set
// XEN_RUNSTATE_UPDATE while they write (runstate_area.cpp). Target only.
#include "core/domain/domain.hpp"
#include "core/domain/vcpu.hpp"
#include "core/hypercall/handlers.hpp"

namespace keel {

long do_vm_assist(Vcpu& v, HypercallArgs& a)
{
    const auto cmd = static_cast<uint32_t>(a.arg[0]);
    const auto type = static_cast<uint32_t>(a.arg[1]);
    if (type != xen::kVmAssistTypeRunstateUpdateFlag) return hc_error(Errno::Inval);
    std::atomic<uint64_t>& assists = v.domain->hc.vm_assist;
    switch (static_cast<xen::VmAssistCmd>(cmd)) {
    case xen::VmAssistCmd::Enable: assists.fetch_or(uint64_t{1} << type); return 0;
    case xen::VmAssistCmd::Disable: assists.fetch_and(~(uint64_t{1} << type)); return 0;
    }
    return hc_error(Errno::NoSys);
}

}  // namespace keel
