// SPDX-License-Identifier: MIT
//
// arch/arm64/smp/idle.cpp
// Owns the idle loop and the single wait step behind wait_until().
#include "arch/arm64/smp/idle.hpp"

#include "arch/arm64/hw/barrier.hpp"
#include "arch/arm64/smp/ipi.hpp"
#include "arch/arm64/timer/hyp_timer.hpp"
#include "core/percpu.hpp"

namespace keel::arm64 {
namespace {
void wake_nop(Timer&, void*) {}
}  // namespace

Ticks wait_now() { return timer::now(); }
Ticks wait_poll_interval() { return timer::rate().from_ms(1); }

void wait_once(Ticks wake_by)
{
    do_pending_work();
    Timer wake{wake_nop, nullptr};  // on this stack frame; always disarmed before return
    if (wake_by != TimerQueue::kNever) timer::arm(wake, wake_by);

    // Nothing raised meanwhile (the SGI for new work would be pending and end the
    // WFI at once), so sleep until an interrupt is pending.
    if (this_cpu().pending_work.load(std::memory_order_acquire) == 0) wfi();
    irq_enable();  // pending interrupts are taken here (dispatch_irqs)
    irq_disable();

    (void)timer::cancel(wake);
    do_pending_work();
}

void idle_loop()
{
    for (;;) wait_once(TimerQueue::kNever);
}

}  // namespace keel::arm64
