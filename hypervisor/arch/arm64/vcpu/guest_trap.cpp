// SPDX-License-Identifier: MIT
//
// arch/arm64/vcpu/guest_trap.cpp
// Owns guest trap dispatch: the exception-class table (style.md c.10 shape),
// the interrupt and SError paths, WFI/WFE, and the scheduling point at the end.
#include "arch/arm64/vcpu/guest_trap.hpp"

#include "arch/arm64/gic/irq.hpp"
#include "arch/arm64/regs/esr.hpp"
#include "arch/arm64/vcpu/exception_entry.hpp"
#include "arch/arm64/vcpu/inject.hpp"
#include "arch/arm64/vcpu/stage2_fault.hpp"
#include "arch/arm64/vcpu/trap_log.hpp"
#include "arch/arm64/vgic/vgic.hpp"
#include "core/console/log.hpp"
#include "core/domain/lifecycle.hpp"
#include "core/domain/vcpu.hpp"
#include "core/sched/schedule.hpp"
#include "core/sched/vcpu_flags.hpp"
#include "lib/check.hpp"

namespace keel::arm64 {
namespace {

using SyncHandler = void (*)(Vcpu&, TrapFrame&);

// Empty slot: the guest did something keel does not emulate → undefined instruction.
constexpr auto kSyncHandlers = [] {
    std::array<SyncHandler, 64> t{};
    t[static_cast<uint8_t>(ExceptionClass::Wfx)] = handle_wfx;
    t[static_cast<uint8_t>(ExceptionClass::Hvc64)] = handle_hvc;
    t[static_cast<uint8_t>(ExceptionClass::Smc64)] = handle_smc;
    t[static_cast<uint8_t>(ExceptionClass::SysReg)] = handle_sysreg;
    t[static_cast<uint8_t>(ExceptionClass::InstrAbortLower)] = handle_stage2_abort;
    t[static_cast<uint8_t>(ExceptionClass::DataAbortLower)] = handle_stage2_abort;
    return t;
}();

// The cold paths below stay out of line: their log() formatting needs stack
// buffers (stack protector, more saved registers), which the hot dispatch then
// does not pay for on every trap.
[[gnu::cold, gnu::noinline]] void unhandled_sync(Vcpu& v, TrapFrame& frame, ExceptionClass ec)
{
    if (first_time(*v.domain, ec)) {
        log("keel: d{} vCPU {}: unhandled trap EC {:#x} ({}) ESR {:#x} at PC {:#x}: undefined "
            "instruction injected (logged once per class)\n",
            v.domain->id, v.id, static_cast<uint32_t>(ec), exception_class_name(ec), frame.esr,
            frame.elr);
    }
    inject_undef(v);
}

void handle_sync(Vcpu& v, TrapFrame& frame)
{
    const ExceptionClass ec = Esr::Ec::get(frame.esr);
    const SyncHandler h = kSyncHandlers[static_cast<uint8_t>(ec) & 0x3f];
    if (h != nullptr) {
        h(v, frame);
        return;
    }
    unhandled_sync(v, frame, ec);
}

[[gnu::cold, gnu::noinline]] void unexpected_fiq(Vcpu& v)
{
    // keel's interrupts are all Group 1 (IRQ); nothing should signal an FIQ.
    if (first_time(*v.domain, TrapEvent::Fiq)) log("keel: unexpected FIQ while a guest ran\n");
    dispatch_irqs();
}

}  // namespace

void advance_pc(TrapFrame& frame)
{
    frame.elr += Esr::Il::get(frame.esr) ? 4 : 2;
    // The emulated instruction completed: a guest single-stepping it takes its
    // step exception before the next one (PSTATE.SS 0: active-pending).
    frame.spsr &= ~Pstate::Ss::kMask;
}

void handle_wfx(Vcpu& v, TrapFrame& frame)
{
    // ESR_EL2.ISS.TI [1:0]: 0 = WFI, 1 = WFE (2/3: WFIT/WFET, FEAT_WFxT, treated alike).
    const bool wfe = (Esr::Iss::get(frame.esr) & 1) != 0;
    advance_pc(frame);  // the trapped WFx is complete once the vCPU runs again
    if (wfe) {
        vcpu_yield(v);
        return;
    }
    // Clear before looking: a wake that comes after the look sets it again, and
    // the scheduler then keeps the vCPU runnable (vcpu_flags.hpp).
    (void)take_flag(v.sched_flags, VcpuFlag::WakePending);
    if (vgic_has_pending(v)) return;
    vcpu_block(v);
}

void guest_trap(TrapFrame& frame, VectorKind kind)
{
    Vcpu* v = current_vcpu();
    KEEL_CHECK(v != nullptr);
    switch (kind) {
    case VectorKind::Lower64Sync:
    case VectorKind::Lower32Sync: handle_sync(*v, frame); break;
    case VectorKind::Lower64Irq:
    case VectorKind::Lower32Irq: dispatch_irqs(); break;
    case VectorKind::Lower64Fiq:
    case VectorKind::Lower32Fiq: unexpected_fiq(*v); break;
    case VectorKind::Lower64Serror:
    case VectorKind::Lower32Serror: domain_crash(*v->domain, "SError"); break;
    default: KEEL_PANIC("guest_trap: not a lower-EL exception");
    }
    schedule(frame);
}

}  // namespace keel::arm64
