// SPDX-License-Identifier: MIT
//
// core/hypercall/vcpu_op.cpp
// Owns HYPERVISOR_vcpu_op(cmd, vcpuid, arg) as ARM Xen 4.17 answers it
// (arch/arm/domain.c do_vcpu_op, common/domain.c common_vcpu_op): vcpuid not
// a vCPU of the caller → -ENOENT (checked first); register_vcpu_info → part
// B's evtchn_register_vcpu_info; register_runstate_memory_area → the area's
// guest VA is kept in Vcpu::runstate_area and written now (through the
// caller's translation, failures ignored, as Xen); every other command
// -EINVAL. Target only.
#include "core/domain/domain.hpp"
#include "core/domain/vcpu.hpp"
#include "core/event/event_channel.hpp"
#include "core/hypercall/handlers.hpp"
#include "core/hypercall/runstate_area.hpp"
#include "core/memory/guest_virt.hpp"
#include "public/xen/vcpu.hpp"

namespace keel {
namespace {

static_assert(kHcMaxVcpus == kMaxVcpusPerDomain);

}  // namespace

long do_vcpu_op(Vcpu& v, HypercallArgs& a)
{
    const auto cmd = static_cast<int32_t>(a.arg[0]);
    const auto vcpuid = static_cast<uint32_t>(a.arg[1]);
    const GuestVirtAddr arg{a.arg[2]};
    Domain& d = *v.domain;
    if (vcpuid >= d.vcpu_count || vcpuid >= kMaxVcpusPerDomain || d.vcpus[vcpuid] == nullptr) {
        return hc_error(Errno::NoEnt);
    }
    Vcpu& target = *d.vcpus[vcpuid];
    switch (static_cast<xen::VcpuOp>(cmd)) {
    case xen::VcpuOp::RegisterVcpuInfo: {
        // Xen 4.17 does not look at rsvd.
        xen::VcpuRegisterVcpuInfo info{};
        if (!copy_from_guest(v, info, arg).ok()) return hc_error(Errno::Fault);
        return evtchn_register_vcpu_info(target, info.mfn, info.offset);
    }
    case xen::VcpuOp::RegisterRunstateMemoryArea: {
        xen::VcpuRegisterRunstateMemoryArea area{};
        if (!copy_from_guest(v, area, arg).ok()) return hc_error(Errno::Fault);
        std::atomic_ref<uint64_t>{target.runstate_area}.store(area.addr,
                                                              std::memory_order_release);
        runstate_write(v, target, area.addr);
        return 0;
    }
    default: return hc_error(Errno::Inval);
    }
}

}  // namespace keel
