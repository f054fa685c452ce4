// SPDX-License-Identifier: MIT
//
// arch/arm64/smp/ipi.cpp
// Owns the SGI handlers, message posting and the pending-work drain.
//
// Ordering: a sender makes its message visible (CallQueue lock release, then the
// work bit with release order) before gic::send_sgi, which issues DSB ISHST ahead
// of the ICC_SGI1R_EL1 write; the receiver takes the bits with acquire order and
// pops the queue under its lock. An SGI that arrives with nothing left to do is
// harmless, and a message posted after the receiver's last pop always comes with
// a new SGI, so no message waits for an unrelated interrupt.
#include "arch/arm64/smp/ipi.hpp"

#include "arch/arm64/gic/gic.hpp"
#include "arch/arm64/gic/irq.hpp"
#include "arch/arm64/hw/barrier.hpp"

extern "C" [[noreturn]] void park();

namespace keel::arm64 {
namespace {

// kSgiWork needs no action in the handler: taking the interrupt wakes the CPU,
// and the idle loop (or whoever waits) drains the work right after.
void on_work_sgi(uint32_t, void*) {}

void on_stop_sgi(uint32_t, void*)
{
    this_cpu().online.store(false, std::memory_order_release);
    park();
}

}  // namespace

void ipi_init()
{
    register_irq(kSgiWork, on_work_sgi, nullptr, "ipi-work");
    register_irq(kSgiStop, on_stop_sgi, nullptr, "ipi-stop");
}

void ipi_init_cpu()
{
    gic::enable(kSgiWork);
    gic::enable(kSgiStop);
}

void send_work(PerCpu& target, Work w)
{
    raise_work(target, w);
    (void)gic::send_sgi(target.mpidr, kSgiWork);
}

void call_on(PerCpu& target, CrossCall fn, void* arg)
{
    while (!target.calls.push(fn, arg)) {
        do_pending_work();  // the target may be waiting on us to drain ours
    }
    send_work(target, Work::Call);
}

void run_on(PerCpu& target, CrossCall fn, void* arg)
{
    if (&target == &this_cpu()) {
        fn(arg);
    } else {
        call_on(target, fn, arg);
    }
}

void drain_pending_work()
{
    PerCpu& self = this_cpu();
    const uint32_t bits = take_work(self);
    if (has_work(bits, Work::Call)) {
        CrossCall fn = nullptr;
        void* arg = nullptr;
        while (self.calls.pop(fn, arg)) fn(arg);
    }
}

void stop_all_cpus()
{
    // gic::ready() implies the boot CPU already has its PerCpu (TPIDR_EL2).
    if (!gic::ready() || online_cpu_count() <= 1) return;
    gic::send_sgi_to_others(kSgiStop);
}

}  // namespace keel::arm64
