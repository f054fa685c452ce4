// SPDX-License-Identifier: MIT
//
// arch/arm64/vcpu/hvc_smc.cpp
// Owns the HVC and SMC traps (docs/xen-arm-guest-abi.md §2.1, §2.4; Xen's
// do_trap_hvc64 / do_trap_smc): HVC #0 and SMC #0 are SMCCC calls answered by
// vPSCI, HVC #0xEA1 is a Xen hypercall, any other immediate is an undefined
// instruction. Also the vPSCI effects that need the scheduler or lifecycle.
#include "arch/arm64/psci/vpsci.hpp"
#include "arch/arm64/regs/esr.hpp"
#include "arch/arm64/vcpu/guest_trap.hpp"
#include "arch/arm64/vcpu/initial_state.hpp"
#include "arch/arm64/vcpu/inject.hpp"
#include "arch/arm64/vcpu/trap_log.hpp"
#include "arch/arm64/vgic/vgic.hpp"
#include "core/console/log.hpp"
#include "core/domain/lifecycle.hpp"
#include "core/domain/vcpu.hpp"
#include "core/hypercall/hypercall.hpp"
#include "core/sched/schedule.hpp"
#include "core/sched/vcpu_flags.hpp"
#include "lib/errno.hpp"

namespace keel::arm64 {
namespace {

constexpr uint32_t kXenHypercallTag = 0xea1;  // XEN_HYPERCALL_TAG (xen/include/public/arch-arm.h)

// ISS[15:0] of a trapped HVC64/SMC64: the instruction's immediate.
uint32_t call_immediate(const TrapFrame& frame) { return Esr::Iss::get(frame.esr) & 0xffff; }

struct CpuOnArgs {
    uint64_t entry;
    uint64_t context_id;
};

void prepare_cpu_on(Vcpu& target, void* ctx)
{
    const auto* a = static_cast<const CpuOnArgs*>(ctx);
    reset_vcpu_context(target.regs, target.sysregs, a->entry, a->context_id);
    target.debug = VcpuDebug{};  // not running: nothing of it is on a CPU
    target.setway = SetWayState{};
}

class Port final : public VpsciPort {
public:
    psci::Status cpu_on(Vcpu& target, uint64_t entry, uint64_t context_id) override
    {
        CpuOnArgs args{entry, context_id};
        if (vcpu_start(target, prepare_cpu_on, &args)) return psci::Status::Success;
        const VcpuState s = target.state.load(std::memory_order_acquire);
        return s == VcpuState::Offline || s == VcpuState::Dead ? psci::Status::Denied
                                                               : psci::Status::AlreadyOn;
    }
};

void smccc_call(Vcpu& v, TrapFrame& frame)
{
    Port port;
    const SmcccCall call{frame.x[0], frame.x[1], frame.x[2], frame.x[3]};
    const SmcccReply r = vpsci_call(v, call, port);
    if (r.set_x0) frame.x[0] = r.x0;
    switch (r.effect) {
    case VpsciEffect::None: break;
    case VpsciEffect::CpuOff: vcpu_power_off(v); break;
    case VpsciEffect::Suspend:
        // As WFI (Xen: vcpu_block_unless_event_pending); a wake-up returns Success.
        (void)take_flag(v.sched_flags, VcpuFlag::WakePending);
        if (!vgic_has_pending(v)) vcpu_block(v);
        break;
    case VpsciEffect::SystemOff: domain_shutdown(*v.domain, ShutdownReason::Poweroff); break;
    case VpsciEffect::SystemReset:
        log("keel: d{} ({}): PSCI SYSTEM_RESET: keel does not restart domains; ending it\n",
            v.domain->id, v.domain->name);
        domain_shutdown(*v.domain, ShutdownReason::Reboot);
        break;
    }
}

}  // namespace

void handle_hvc(Vcpu& v, TrapFrame& frame)
{
    // ELR_EL2 already points after the HVC (its preferred return address).
    const uint32_t imm = call_immediate(frame);
    if (imm == 0) {
        smccc_call(v, frame);
    } else if (imm == kXenHypercallTag) {
        handle_hypercall(v, frame);  // core/hypercall: number in x16, result in x0
    } else {
        if (first_time(*v.domain, TrapEvent::HvcImmediate)) {
            log("keel: d{} vCPU {}: HVC #{:#x} at PC {:#x}: undefined instruction injected\n",
                v.domain->id, v.id, imm, frame.elr - 4);
        }
        frame.elr -= 4;  // the exception is the HVC's own: ELR_EL1 names it
        inject_undef(v);
    }
}

void handle_smc(Vcpu& v, TrapFrame& frame)
{
    // Trapped by HCR_EL2.TSC: ELR_EL2 is the SMC itself (Xen: advance_pc).
    const uint32_t imm = call_immediate(frame);
    if (imm != 0) {
        if (first_time(*v.domain, TrapEvent::SmcImmediate)) {
            log("keel: d{} vCPU {}: SMC #{:#x} at PC {:#x}: undefined instruction injected\n",
                v.domain->id, v.id, imm, frame.elr);
        }
        inject_undef(v);
        return;
    }
    advance_pc(frame);
    smccc_call(v, frame);
}

}  // namespace keel::arm64
