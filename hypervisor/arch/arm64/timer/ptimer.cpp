// SPDX-License-Identifier: MIT
//
// arch/arm64/timer/ptimer.cpp
// Owns the emulated EL1 physical timer declared in ptimer.hpp.
//
// Where the deadline lives: while v is loaded, in PtimerState::running on v's
// CPU (armed and cancelled only there); while v is off its CPU, in the virtual
// timer's stand-in (vtimer.cpp arms one stand-in for the earlier of the two
// deadlines and calls ptimer_check when the physical one is due). Every path
// that raises the line re-checks the registers under the lock first, so a timer
// armed for an older value can never deliver early.
#include "arch/arm64/timer/ptimer.hpp"

#include "arch/arm64/timer/hyp_timer.hpp"
#include "arch/arm64/timer/ptimer_calc.hpp"
#include "arch/arm64/vcpu/sysreg_iss.hpp"
#include "arch/arm64/vgic/vgic.hpp"
#include "core/boot/guest_layout.hpp"
#include "core/domain/vcpu.hpp"

namespace keel::arm64 {
namespace {

// Lock held. Tells the vGIC about a change of the line's level.
void drive(Vcpu& v, PtimerState& p, bool high)
{
    if (high == p.line) return;
    p.line = high;
    vgic_set_line(*v.domain, &v, kGuestTimerPhysNsPpi, high);
}

// Lock held, v loaded here: the running timer armed at the deadline, if the
// line is not up already.
void arm_running(PtimerState& p)
{
    const Ticks deadline = ptimer_deadline_of(p.ctl, p.cval);
    if (deadline == TimerQueue::kNever || p.line) {
        if (p.running.armed()) (void)timer::cancel(p.running);
    } else {
        timer::arm(p.running, deadline);
    }
}

void on_running(Timer&, void* context) { ptimer_check(*static_cast<Vcpu*>(context)); }

}  // namespace

void ptimer_vcpu_init(Vcpu& v)
{
    PtimerState& p = v.vtimer.phys;
    LockGuard guard{p.lock};
    p.ctl = 0;
    p.cval = 0;
    p.line = false;
    if (!p.running.armed()) p.running.set_callback(on_running, &v);
}

void ptimer_access(Vcpu& v, uint32_t key, bool read, uint64_t& value)
{
    PtimerState& p = v.vtimer.phys;
    LockGuard guard{p.lock};
    const Ticks now = timer::now();
    switch (key) {
    case sysreg::CNTP_CTL_EL0:
        if (read) {
            value = ptimer_ctl_read(p.ctl, p.cval, now);
        } else {
            p.ctl = ptimer_ctl_write(value);
        }
        break;
    case sysreg::CNTP_CVAL_EL0:
        if (read) {
            value = p.cval;
        } else {
            p.cval = value;
        }
        break;
    case sysreg::CNTP_TVAL_EL0:
        if (read) {
            value = ptimer_tval_read(p.cval, now);
        } else {
            p.cval = ptimer_cval_from_tval(value, now);
        }
        break;
    default: return;
    }
    if (read) return;
    drive(v, p, ptimer_line(p.ctl, p.cval, now));
    arm_running(p);
}

// Restore and save look at ctl/cval without the lock first: only v itself
// writes them (ptimer_access, on the CPU running it), and v is not running
// while it is being loaded or saved. The running timer is armed only while
// they give a deadline (arm_running), so a timer that cannot fire, the common
// case, costs the switch nothing.
void ptimer_restore(Vcpu& v)
{
    PtimerState& p = v.vtimer.phys;
    if (ptimer_deadline_of(p.ctl, p.cval) == TimerQueue::kNever) return;
    LockGuard guard{p.lock};
    arm_running(p);
}

Ticks ptimer_save(Vcpu& v)
{
    PtimerState& p = v.vtimer.phys;
    if (ptimer_deadline_of(p.ctl, p.cval) == TimerQueue::kNever) return TimerQueue::kNever;
    LockGuard guard{p.lock};
    (void)timer::cancel(p.running);
    return p.line ? TimerQueue::kNever : ptimer_deadline_of(p.ctl, p.cval);
}

void ptimer_check(Vcpu& v)
{
    PtimerState& p = v.vtimer.phys;
    LockGuard guard{p.lock};
    if (ptimer_line(p.ctl, p.cval, timer::now())) drive(v, p, true);
}

void ptimer_vcpu_destroy(Vcpu& v)
{
    PtimerState& p = v.vtimer.phys;
    LockGuard guard{p.lock};
    (void)timer::cancel(p.running);
}

}  // namespace keel::arm64
