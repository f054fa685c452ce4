// SPDX-License-Identifier: MIT
//
// core/hypercall/sched_op.cpp
// Owns HYPERVISOR_sched_op(cmd, arg) as Xen 4.17 answers a domU
// (common/sched/core.c do_sched_op): yield; block (Xen ARM: unmask the
// guest's IRQs — PSTATE.I — and block unless an interrupt is pending, like
// WFI); shutdown {reason} ends the domain (a code stored earlier by
// shutdown_code wins, as in Xen's domain_shutdown; any reason is accepted);
// shutdown_code stores the first code; poll → part B's evtchn_poll;
// remote_shutdown: -ESRCH for no such domain, else -EPERM (XSM_DM_PRIV);
// pin_override -EPERM (not the hardware domain); unknown -ENOSYS. A bad
// argument pointer is -EFAULT. Target only.
//
// Deliberate gap: SCHEDOP_watchdog cannot start a watchdog (-ENOSYS; Xen runs
// per-domain timers that shut the domain down, keel has none yet); its
// argument checks are Xen's, and as none runs every id but 0 is -EINVAL.
#include "arch/arm64/entry/trap_frame.hpp"
#include "arch/arm64/vgic/vgic.hpp"
#include "core/console/log.hpp"
#include "core/domain/domain.hpp"
#include "core/domain/domain_ref.hpp"
#include "core/domain/lifecycle.hpp"
#include "core/domain/vcpu.hpp"
#include "core/event/event_channel.hpp"
#include "core/hypercall/handlers.hpp"
#include "core/memory/guest_virt.hpp"
#include "core/sched/schedule.hpp"
#include "core/sched/vcpu_flags.hpp"
#include "public/xen/sched.hpp"

namespace keel {
namespace {

constexpr uint64_t kPstateI = uint64_t{1} << 7;  // SPSR_EL2.I: IRQs masked at the guest's EL

template <typename T>
bool fetch(Vcpu& v, T& out, uint64_t arg)
{
    return copy_from_guest(v, out, GuestVirtAddr{arg}).ok();
}

void shutdown(Domain& d, uint8_t reason)
{
    // Xen: the first shutdown_code (or this reason) is what the domain ends with.
    uint8_t code = kShutdownCodeInvalid;
    if (!d.hc.shutdown_code.compare_exchange_strong(code, reason)) reason = code;
    switch (static_cast<xen::Shutdown>(reason)) {
    case xen::Shutdown::Poweroff: domain_shutdown(d, ShutdownReason::Poweroff); return;
    case xen::Shutdown::Reboot:
        log("keel: d{} ({}): SCHEDOP_shutdown reboot: keel does not restart domains; ending it\n",
            d.id, d.name);
        domain_shutdown(d, ShutdownReason::Reboot);
        return;
    case xen::Shutdown::Suspend: domain_shutdown(d, ShutdownReason::Suspend); return;
    case xen::Shutdown::Crash: domain_shutdown(d, ShutdownReason::Crash); return;
    case xen::Shutdown::Watchdog: domain_shutdown(d, ShutdownReason::Watchdog); return;
    case xen::Shutdown::SoftReset: break;
    }
    log("keel: d{} ({}): SCHEDOP_shutdown reason {}: keel ends it as a crash\n", d.id, d.name,
        reason);
    domain_shutdown(d, ShutdownReason::Crash);
}

long block(Vcpu& v)
{
    current_frame().spsr &= ~kPstateI;
    (void)take_flag(v.sched_flags, VcpuFlag::WakePending);
    if (!arm64::vgic_has_pending(v)) vcpu_block(v);
    return 0;
}

}  // namespace

long do_sched_op(Vcpu& v, HypercallArgs& a)
{
    using xen::SchedOp;
    const auto cmd = static_cast<int32_t>(a.arg[0]);
    const uint64_t arg = a.arg[1];
    Domain& d = *v.domain;
    switch (static_cast<SchedOp>(cmd)) {
    case SchedOp::Yield: vcpu_yield(v); return 0;
    case SchedOp::Block: return block(v);
    case SchedOp::Shutdown: {
        xen::SchedShutdown s{};
        if (!fetch(v, s, arg)) return hc_error(Errno::Fault);
        shutdown(d, static_cast<uint8_t>(s.reason));
        return 0;
    }
    case SchedOp::ShutdownCode: {
        xen::SchedShutdown s{};
        if (!fetch(v, s, arg)) return hc_error(Errno::Fault);
        uint8_t code = kShutdownCodeInvalid;
        (void)d.hc.shutdown_code.compare_exchange_strong(code, static_cast<uint8_t>(s.reason));
        return 0;
    }
    case SchedOp::Poll: {
        xen::SchedPoll p{};
        if (!fetch(v, p, arg)) return hc_error(Errno::Fault);
        return evtchn_poll(v, GuestVirtAddr{p.ports}, p.nr_ports, p.timeout);
    }
    case SchedOp::RemoteShutdown: {
        xen::SchedRemoteShutdown r{};
        if (!fetch(v, r, arg)) return hc_error(Errno::Fault);
        if (!domain_ref(r.domain_id)) return hc_error(Errno::Srch);
        return hc_error(Errno::Perm);
    }
    case SchedOp::Watchdog: {
        xen::SchedWatchdog w{};
        if (!fetch(v, w, arg)) return hc_error(Errno::Fault);
        // Xen: id 1..NR_DOMAIN_WATCHDOG_TIMERS names a running watchdog (none
        // exists here), anything above is -EINVAL; id 0 would start one.
        if (w.id != 0) return hc_error(Errno::Inval);
        return hc_error(Errno::NoSys);
    }
    case SchedOp::PinOverride: return hc_error(Errno::Perm);
    }
    return hc_error(Errno::NoSys);
}

}  // namespace keel
