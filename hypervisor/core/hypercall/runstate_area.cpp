// SPDX-License-Identifier: MIT
//
// core/hypercall/runstate_area.cpp
// Owns runstate accounting at switch time and the guest area's updates (see
// runstate_area.hpp). Times are system time in ns (the physical counter, as
// Xen's NOW()). The update flag's ordering is a C++ fence (DMB ISH on arm64),
// which keeps this file buildable on the host for the handler fuzzer.
#include "core/hypercall/runstate_area.hpp"

#include <atomic>

#include "arch/arm64/timer/hyp_timer.hpp"
#include "core/domain/domain.hpp"
#include "core/domain/vcpu.hpp"
#include "core/memory/guest_virt.hpp"

namespace keel {
namespace {

uint64_t now_ns() { return arm64::timer::rate().to_ns(arm64::timer::now()); }

RunstateAccount& account(Vcpu& v) { return v.domain->hc.runstate[v.id % kHcMaxVcpus]; }

uint64_t area_of(Vcpu& v)
{
    return std::atomic_ref<uint64_t>{v.runstate_area}.load(std::memory_order_acquire);
}

xen::Runstate state_after(LeaveReason why)
{
    switch (why) {
    case LeaveReason::Preempted: return xen::Runstate::Runnable;
    case LeaveReason::Blocked: return xen::Runstate::Blocked;
    case LeaveReason::Off:
    case LeaveReason::Dead: return xen::Runstate::Offline;
    }
    return xen::Runstate::Offline;
}

}  // namespace

void runstate_write(Vcpu& writer, Vcpu& v, uint64_t area)
{
    if (area == 0) return;
    xen::VcpuRunstateInfo info = runstate_info(account(v));
    const bool flag = (v.domain->hc.vm_assist.load(std::memory_order_relaxed) &
                       (uint64_t{1} << xen::kVmAssistTypeRunstateUpdateFlag)) != 0;
    // The top byte of state_entry_time carries XEN_RUNSTATE_UPDATE (bit 63).
    const GuestVirtAddr top{area + offsetof(xen::VcpuRunstateInfo, state_entry_time) + 7};
    if (flag) {
        info.state_entry_time |= xen::kRunstateUpdate;
        const auto b = static_cast<uint8_t>(info.state_entry_time >> 56);
        (void)copy_to_guest(writer, top, &b, 1);
        std::atomic_thread_fence(std::memory_order_seq_cst);
    }
    (void)copy_to_guest(writer, GuestVirtAddr{area}, info);
    if (flag) {
        info.state_entry_time &= ~xen::kRunstateUpdate;
        std::atomic_thread_fence(std::memory_order_seq_cst);
        const auto b = static_cast<uint8_t>(info.state_entry_time >> 56);
        (void)copy_to_guest(writer, top, &b, 1);
    }
}

void runstate_switch_out(Vcpu& v, LeaveReason why)
{
    runstate_change(account(v), state_after(why), now_ns());
}

void runstate_switch_in(Vcpu& v)
{
    runstate_change(account(v), xen::Runstate::Running, now_ns());
    runstate_write(v, v, area_of(v));
}

}  // namespace keel
