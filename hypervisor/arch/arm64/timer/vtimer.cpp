// SPDX-License-Identifier: MIT
//
// arch/arm64/timer/vtimer.cpp
// Owns the virtual-timer switch, its physical PPI handler and the stand-in
// keel timers declared in vtimer.hpp.
//
// Why a hardware-linked list register rather than masking: when the physical
// PPI fires at EL2 (HCR_EL2.IMO = 1), keel acknowledges it, drops its priority
// but leaves it active, and hands the virtual PPI to the guest with
// ICH_LR<n>_EL2.HW = 1. The physical interrupt cannot fire again until the
// guest deactivates the virtual one (which deactivates it), and fires again then
// only if the timer condition still holds: exact level semantics, and the
// guest's CNTV_CTL_EL0 is never touched behind its back. Masking through
// CNTV_CTL_EL0.IMASK instead would show the guest an IMASK it did not write and
// cannot tell apart from its own (Linux sets IMASK in its handler), so keel
// could not know when to unmask.
//
// The stand-ins also keep the emulated physical timer's deadline (ptimer.cpp)
// while the vCPU is off its CPU; the hooks here (init, save, restore, destroy)
// call into ptimer.cpp so that the context switch has one timer entry point.
#include "arch/arm64/timer/vtimer.hpp"

#include "arch/arm64/gic/gic.hpp"
#include "arch/arm64/gic/irq.hpp"
#include "arch/arm64/hw/barrier.hpp"
#include "arch/arm64/hw/sysreg.hpp"
#include "arch/arm64/smp/ipi.hpp"
#include "arch/arm64/timer/hyp_timer.hpp"
#include "arch/arm64/timer/ptimer.hpp"
#include "arch/arm64/timer/ptimer_calc.hpp"
#include "arch/arm64/timer/vtimer_calc.hpp"
#include "arch/arm64/vgic/vgic.hpp"
#include "build_config.hpp"
#include "core/boot/guest_layout.hpp"
#include "core/domain/domain.hpp"
#include "core/domain/vcpu.hpp"
#include "core/sched/schedule.hpp"

namespace keel::arm64 {
namespace {

struct VtimerCpu {
    Vcpu* loaded = nullptr;  // whose CNTV_* the hardware holds
    bool ready = false;
};
constinit VtimerCpu g_vtimer_cpu[config::kMaxCpus];  // each entry touched only by its CPU
constinit uint32_t g_pintid = kGuestTimerVirtPpi;    // written once before any vCPU runs

int32_t self_index() { return static_cast<int32_t>(this_cpu().index); }
PerCpu& arm64_cpu(int32_t index) { return cpu(static_cast<CpuIndex>(index)); }
VtimerCpu& self() { return g_vtimer_cpu[this_cpu().index]; }

void cpu_init_once()
{
    VtimerCpu& c = self();
    if (c.ready) return;
    gic::enable(g_pintid);
    c.ready = true;
}

// The physical virtual-timer PPI: only the loaded vCPU's timer can raise it.
void on_timer_ppi(uint32_t, void*)
{
    Vcpu* v = self().loaded;
    if (v == nullptr) {
        // No guest timer should be live here; silence whatever is, keel deactivates.
        CntvCtlEl0::write(0);
        isb();
        return;
    }
    if (vgic_forward_timer_irq(*v)) {
        irq_forwarded_to_guest();
        return;
    }
    vgic_inject(*v, kGuestTimerVirtPpi);  // vGIC not loaded here: plain pending state
}

// A stand-in fired: a deadline of v's passed while it was off its CPU. It
// re-arms itself for the other timer's later deadline, if any.
void on_stand_in(Timer& t, void* context)
{
    Vcpu& v = *static_cast<Vcpu*>(context);
    for (VtimerSlot& s : v.vtimer.slot) {
        if (&s.timer != &t) continue;
        if (s.phys_due == TimerQueue::kNever) {  // the common case: armed for the virtual timer only
            s.virt_due = TimerQueue::kNever;
            vgic_inject(v, kGuestTimerVirtPpi);
            s.cpu.store(kVtimerIdle, std::memory_order_release);
            return;
        }
        const Ticks now = timer::now();
        if (s.virt_due <= now) {
            s.virt_due = TimerQueue::kNever;
            vgic_inject(v, kGuestTimerVirtPpi);  // pending + kick (wakes it from WFI)
        }
        if (s.phys_due <= now) {
            s.phys_due = TimerQueue::kNever;
            ptimer_check(v);  // raises PPI 30 (and wakes v) if still due
        }
        const Ticks next = s.virt_due < s.phys_due ? s.virt_due : s.phys_due;
        if (next != TimerQueue::kNever) {
            timer::arm(s.timer, next);
        } else {
            s.cpu.store(kVtimerIdle, std::memory_order_release);
        }
    }
}

// Whether v's emulated physical timer has a deadline (ptimer.cpp); while it has
// none, the switch does not call into it at all (the vtimer path stays as it was).
bool ptimer_in_use(const Vcpu& v)
{
    return ptimer_deadline_of(v.vtimer.phys.ctl, v.vtimer.phys.cval) != TimerQueue::kNever;
}

void bind(Vcpu& v)
{
    for (VtimerSlot& s : v.vtimer.slot) {
        if (s.timer.context() == nullptr && !s.timer.armed()) s.timer.set_callback(on_stand_in, &v);
    }
}

// Runs on the CPU whose queue holds the slot (posted by cancel_stand_ins). Only
// a slot still armed here for the arming the cancel was meant for: one this CPU
// re-armed since (after cancelling it locally) has cancel_wanted cleared.
void cancel_here(void* arg)
{
    Vcpu& v = *static_cast<Vcpu*>(arg);
    for (VtimerSlot& s : v.vtimer.slot) {
        if (s.cpu.load(std::memory_order_acquire) == self_index() &&
            s.cancel_wanted.exchange(false, std::memory_order_acq_rel)) {
            (void)timer::cancel(s.timer);
            s.cpu.store(kVtimerIdle, std::memory_order_release);
        }
    }
    v.vtimer.cancels_in_flight.fetch_sub(1, std::memory_order_release);
}

// Cancels v's stand-ins: at once for this CPU's queue, by a posted call for
// another CPU's (that slot stays busy until the call ran there).
void cancel_stand_ins(Vcpu& v)
{
    const int32_t me = self_index();
    int32_t posted = kVtimerIdle;
    for (VtimerSlot& s : v.vtimer.slot) {
        const int32_t cpu = s.cpu.load(std::memory_order_acquire);
        if (cpu == me) {
            (void)timer::cancel(s.timer);
            s.cpu.store(kVtimerIdle, std::memory_order_release);
        } else if (cpu != kVtimerIdle) {
            s.cancel_wanted.store(true, std::memory_order_release);
            if (cpu == posted) continue;  // one call cancels every slot of that CPU
            v.vtimer.cancels_in_flight.fetch_add(1, std::memory_order_acq_rel);
            call_on(arm64_cpu(cpu), cancel_here, &v);
            posted = cpu;
        }
    }
}

}  // namespace

void vtimer_global_init(uint32_t pintid)
{
    g_pintid = pintid;
    register_irq(pintid, on_timer_ppi, nullptr, "vtimer");
}

void vtimer_vcpu_init(Vcpu& v)
{
    v.vtimer.ctl = 0;
    v.vtimer.cval = 0;
    bind(v);
    ptimer_vcpu_init(v);
}

void vtimer_restore(Vcpu& v)
{
    cpu_init_once();
    cancel_stand_ins(v);
    CntvoffEl2::write(v.domain->cntvoff);
    CntvCvalEl0::write(v.vtimer.cval);
    CntvCtlEl0::write(v.vtimer.ctl);
    isb();
    self().loaded = &v;
    if (ptimer_in_use(v)) ptimer_restore(v);
}

void vtimer_save(Vcpu& v)
{
    v.vtimer.ctl = CntvCtlEl0::read() & (TimerCtl::Enable::kMask | TimerCtl::Imask::kMask);
    v.vtimer.cval = CntvCvalEl0::read();
    CntvCtlEl0::write(0);  // the line drops; the level-sensitive physical PPI stops pending
    isb();
    self().loaded = nullptr;

    const Ticks virt_due = vtimer_deadline(v);
    const Ticks phys_due = ptimer_in_use(v) ? ptimer_save(v) : TimerQueue::kNever;
    if (virt_due == TimerQueue::kNever && phys_due == TimerQueue::kNever) return;
    bind(v);
    for (VtimerSlot& s : v.vtimer.slot) {
        if (s.cpu.load(std::memory_order_acquire) != kVtimerIdle) continue;
        s.cancel_wanted.store(false, std::memory_order_relaxed);
        s.virt_due = virt_due;
        s.phys_due = phys_due;
        s.cpu.store(self_index(), std::memory_order_release);
        timer::arm(s.timer, virt_due < phys_due ? virt_due : phys_due);
        return;
    }
    // Both stand-ins still wait for cancels on other CPUs (two moves in quick
    // succession): deliver the virtual timer interrupt now rather than late (a
    // guest that finds its timer not yet expired just goes back to sleep), and
    // wake v for the physical one: once running again its own keel timer
    // (ptimer_restore) keeps that deadline.
    if (virt_due != TimerQueue::kNever) vgic_inject(v, kGuestTimerVirtPpi);
    if (phys_due != TimerQueue::kNever) vcpu_wake(v);
}

void vtimer_vcpu_destroy(Vcpu& v)
{
    ptimer_vcpu_destroy(v);
    cancel_stand_ins(v);
    for (;;) {
        bool busy = v.vtimer.cancels_in_flight.load(std::memory_order_acquire) != 0;
        for (VtimerSlot& s : v.vtimer.slot)
            busy |= s.cpu.load(std::memory_order_acquire) != kVtimerIdle;
        if (!busy) return;
        do_pending_work();  // the other CPU may be waiting for us, too
    }
}

Ticks vtimer_deadline(const Vcpu& v)
{
    return vtimer_deadline_of(v.vtimer.ctl, v.vtimer.cval, v.domain->cntvoff);
}

}  // namespace keel::arm64
