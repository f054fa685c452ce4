// SPDX-License-Identifier: MIT
//
// arch/arm64/timer/hyp_timer.cpp
// Owns the EL2 physical timer programming (Arm ARM DDI 0487, CNTHP_CTL_EL2,
// CNTHP_CVAL_EL2, CNTHCTL_EL2) and its interrupt handler.
#include "arch/arm64/timer/hyp_timer.hpp"

#include "arch/arm64/gic/gic.hpp"
#include "arch/arm64/gic/irq.hpp"
#include "arch/arm64/hw/barrier.hpp"
#include "arch/arm64/hw/sysreg.hpp"
#include "arch/arm64/regs/generic_timer.hpp"
#include "core/percpu.hpp"

namespace keel::arm64::timer {
namespace {

struct ClockState {
    TickRate rate;
    uint32_t intid = 0;
};
constinit ClockState g_clock;  // written by the boot CPU before SMP, read-only afterwards

// CNTHP_CVAL_EL2 = deadline, enabled and unmasked; or off when nothing is armed.
// The compare is "CNTPCT >= CVAL", so a deadline already passed fires at once.
void program(Ticks deadline)
{
    if (deadline == TimerQueue::kNever) {
        CnthpCtlEl2::write(0);
    } else {
        CnthpCvalEl2::write(deadline);
        CnthpCtlEl2::write(TimerCtl::Enable::make(true));
    }
    isb();
}

void on_timer_irq(uint32_t, void*) { run_expired(); }

}  // namespace

Result<void> init(const TimerInfo& info)
{
    uint64_t hz = CntfrqEl0::read() & 0xffff'ffffu;  // CNTFRQ_EL0 [31:0]
    if (hz == 0) hz = info.frequency_hz;
    if (hz == 0) return Errno::NoDev;
    if (info.hyp_intid < 16 || info.hyp_intid >= 32) return Errno::Inval;  // must be a PPI
    g_clock.rate = TickRate{hz};
    g_clock.intid = info.hyp_intid;
    register_irq(info.hyp_intid, on_timer_irq, nullptr, "hyp-timer");
    return {};
}

void init_cpu()
{
    // Guests may read the physical counter; their EL1 physical timer accesses
    // trap (EL1PCEN = 0) and are emulated (ptimer.cpp). No event stream.
    CnthctlEl2::write(Cnthctl::El1Pcten::make(true));
    CntvoffEl2::write(0);
    CnthpCtlEl2::write(0);
    isb();
    gic::enable(g_clock.intid);
}

Ticks now()
{
    isb();  // CNTPCT_EL0 reads may be speculated early otherwise
    return CntpctEl0::read();
}

const TickRate& rate() { return g_clock.rate; }
uint32_t intid() { return g_clock.intid; }

void arm(Timer& t, Ticks deadline)
{
    TimerQueue& q = this_cpu().timers;
    q.add(t, deadline);
    program(q.next_deadline());
}

bool cancel(Timer& t)
{
    TimerQueue& q = this_cpu().timers;
    const bool was_armed = q.cancel(t);
    program(q.next_deadline());
    return was_armed;
}

void run_expired()
{
    TimerQueue& q = this_cpu().timers;
    q.expire(now());
    program(q.next_deadline());
}

}  // namespace keel::arm64::timer
