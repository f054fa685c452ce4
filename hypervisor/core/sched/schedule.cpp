// SPDX-License-Identifier: MIT
//
// core/sched/schedule.cpp
// Owns the per-CPU scheduling glue (see schedule.hpp): the one RoundRobin
// instance, each CPU's current vCPU and slice timer, switching, idling inside
// the trap context, and the cross-CPU pokes.
//
// Invariant: a vCPU on a run queue (or Blocked, Offline, Dead) has its whole
// context saved in its Vcpu; only the CPU it is Running on touches its
// registers. Every state change goes through the Scheduler's locks after the
// save (vcpu_save, then Scheduler::leave), so another CPU can pick it up at once.
#include "core/sched/schedule.hpp"

#include "arch/arm64/boot/stack.hpp"
#include "arch/arm64/smp/idle.hpp"
#include "arch/arm64/smp/ipi.hpp"
#include "arch/arm64/timer/hyp_timer.hpp"
#include "arch/arm64/vcpu/context.hpp"
#include "arch/arm64/vgic/vgic.hpp"
#include "core/domain/domain.hpp"
#include "core/domain/lifecycle.hpp"
#include "core/domain/vcpu.hpp"
#include "core/hypercall/runstate_area.hpp"
#include "core/sched/round_robin.hpp"
#include "core/sched/vcpu_flags.hpp"
#include "lib/check.hpp"

namespace keel {
namespace {

// What the current vCPU asked for during its trap.
enum class Request : uint8_t { None, Yield, Block, Off };

struct SchedCpu {
    Vcpu* current = nullptr;
    Request request = Request::None;
    Timer slice{nullptr, nullptr};     // callback set in sched_init (no `this` in constinit)
    std::atomic<bool> slice_over{false};
};

constinit RoundRobin g_rr;
constinit SchedCpu g_cpu[config::kMaxCpus];
constinit std::atomic<bool> g_configured{false};
constinit CpuIndex g_next_placement = 0;  // boot CPU only (domain building)

CpuIndex self_index() { return this_cpu().index; }
CpuIndex processor_of(Vcpu& v)
{
    return std::atomic_ref<CpuIndex>{v.processor}.load(std::memory_order_acquire);
}
SchedCpu& self() { return g_cpu[self_index()]; }

void on_slice_end(Timer&, void* ctx) { static_cast<SchedCpu*>(ctx)->slice_over.store(true); }

void arm_slice(SchedCpu& sc)
{
    sc.slice_over.store(false);
    arm64::timer::arm(sc.slice, arm64::timer::now() + g_rr.slice());
}

bool domain_ending(const Vcpu& v)
{
    const DomainState s = v.domain->state.load(std::memory_order_seq_cst);
    return s == DomainState::ShuttingDown || s == DomainState::Dead;
}

void poke(const Placement& p)
{
    if (p.done && p.poke != kNoCpu) arm64::send_work(cpu(p.poke), Work::Wake);
}

// Takes the next vCPU for this CPU, waiting (interrupts handled, pending work
// drained) until there is one. Runs inside a trap or in sched_run_this_cpu().
Vcpu* pick_or_wait()
{
    const CpuIndex me = self_index();
    for (;;) {
        Decision d = g_rr.pick_next(me, arm64::timer::now());
        if (d.next == nullptr) {
            // Raise the idle flag, then look once more: a waker that queued a
            // vCPU before seeing the flag is found here; one after it pokes us.
            g_rr.set_idle(me, true);
            d = g_rr.pick_next(me, arm64::timer::now());
        }
        if (d.next != nullptr) {
            g_rr.set_idle(me, false);
            if (!domain_ending(*d.next)) return d.next;
            if (g_rr.leave(*d.next, LeaveReason::Dead, me)) domain_vcpu_dead(*d.next);
            continue;
        }
        arm64::wait_once(TimerQueue::kNever);
    }
}

// The current vCPU stays: carry out a pending vGIC re-sync.
void continue_current(Vcpu& v)
{
    // Look before the atomic clear: almost every exit has no re-sync. A kick that
    // sets the flag after this look also sends an SGI (or this CPU set it itself
    // earlier in this trap, which the look sees), so it is not lost.
    if ((v.sched_flags.load(std::memory_order_acquire) & static_cast<uint32_t>(VcpuFlag::Resync)) == 0) {
        return;
    }
    if (take_flag(v.sched_flags, VcpuFlag::Resync)) {
        arm64::vgic_save(v);
        arm64::vgic_restore(v);
    }
}

void load(SchedCpu& sc, Vcpu& v, arm64::TrapFrame* frame)
{
    (void)take_flag(v.sched_flags, VcpuFlag::Resync);  // vgic_restore covers it
    v.slice_start = arm64::timer::now();
    arm64::vcpu_load(v, frame);
    sc.current = &v;
    sc.request = Request::None;
    arm_slice(sc);
    runstate_switch_in(v);  // Xen runstate area (core/hypercall)
}

// Whether the current vCPU leaves this CPU, and why.
bool must_leave(SchedCpu& sc, Vcpu& v, LeaveReason& why)
{
    const Request r = sc.request;
    sc.request = Request::None;
    if (domain_ending(v)) {
        why = LeaveReason::Dead;
        return true;
    }
    switch (r) {
    case Request::Off: why = LeaveReason::Off; return true;
    case Request::Block: why = LeaveReason::Blocked; return true;
    case Request::Yield:
        if (g_rr.should_preempt(self_index())) {
            why = LeaveReason::Preempted;
            return true;
        }
        break;  // nobody to yield to; the slice rules still apply
    case Request::None: break;
    }
    if (g_rr.take_boost(self_index())) {  // a woken vCPU waits at the head of our queue
        why = LeaveReason::Preempted;
        return true;
    }
    if (!sc.slice_over.load()) return false;
    if (g_rr.should_preempt(self_index())) {
        why = LeaveReason::Preempted;
        return true;
    }
    arm_slice(sc);  // nobody waits: another slice (the timer fired, so re-arm it)
    return false;
}

void configure_once(uint64_t slice_ms)
{
    if (g_configured.exchange(true)) return;
    CpuIndex highest = 0;
    for (CpuIndex c = 0; c < config::kMaxCpus; ++c) {
        if (cpu(c).online.load(std::memory_order_acquire)) highest = c;
    }
    g_rr.configure(highest + 1, arm64::timer::rate().from_ms(slice_ms));
    for (SchedCpu& sc : g_cpu) sc.slice.set_callback(on_slice_end, &sc);
}

[[noreturn]] void sched_run_this_cpu()
{
    arm64::vcpu_cpu_init();
    // A cross-CPU call brought us here from inside the idle loop's drain; calls
    // still queued behind it are drained by the next wait.
    raise_work(this_cpu(), Work::Call);
    SchedCpu& sc = self();
    Vcpu* next = pick_or_wait();
    load(sc, *next, nullptr);
    arm64::enter_vcpu(*next);
}

void enter_from_idle(void*) { sched_run_this_cpu(); }

}  // namespace

void sched_init(uint64_t slice_ms) { configure_once(slice_ms); }

CpuIndex sched_place_vcpu()
{
    configure_once(kDefaultSliceMs);
    // Spread over the online CPUs, round robin (boot CPU, while building domains).
    for (size_t tries = 0; tries < g_rr.cpus(); ++tries) {
        const CpuIndex c = g_next_placement;
        g_next_placement = static_cast<CpuIndex>((c + 1) % g_rr.cpus());
        if (cpu(c).online.load(std::memory_order_acquire)) return c;
    }
    return self_index();
}

void sched_start_all_cpus()
{
    configure_once(kDefaultSliceMs);
    const CpuIndex me = self_index();
    for (CpuIndex c = 0; c < g_rr.cpus(); ++c) {
        if (c != me && cpu(c).online.load(std::memory_order_acquire)) {
            arm64::call_on(cpu(c), enter_from_idle, nullptr);
        }
    }
    sched_run_this_cpu();
}

Vcpu* current_vcpu() { return self().current; }

arm64::TrapFrame& current_frame()
{
    // vectors.S / enter.S: a guest's frame sits at the top of its CPU's stack.
    const auto top = reinterpret_cast<uint64_t>(&g_cpu_stacks[self_index()]) + arm64::kStackSize;
    return *reinterpret_cast<arm64::TrapFrame*>(top - sizeof(arm64::TrapFrame));
}

bool vcpu_start(Vcpu& v, PrepareFn prepare, void* ctx)
{
    configure_once(kDefaultSliceMs);
    const Placement p = g_rr.start(v, prepare, ctx, self_index());
    poke(p);
    return p.done;
}

void vcpu_wake(Vcpu& v)
{
    set_flag(v.sched_flags, VcpuFlag::WakePending);
    poke(g_rr.wake(v, self_index()));
}

void vcpu_kick(Vcpu& v)
{
    set_flag(v.sched_flags, VcpuFlag::Resync);
    vcpu_wake(v);
    if (v.state.load(std::memory_order_seq_cst) == VcpuState::Running) {
        const CpuIndex where = processor_of(v);
        if (where != self_index()) arm64::send_work(cpu(where), Work::Wake);
    }
}

void vcpu_block(Vcpu& v)
{
    KEEL_CHECK(&v == current_vcpu());
    self().request = Request::Block;
}

void vcpu_yield(Vcpu& v)
{
    KEEL_CHECK(&v == current_vcpu());
    if (self().request == Request::None) self().request = Request::Yield;
}

void vcpu_power_off(Vcpu& v)
{
    KEEL_CHECK(&v == current_vcpu());
    self().request = Request::Off;
}

bool sched_preempt_pending()
{
    SchedCpu& sc = self();
    if (sc.slice_over.load() || this_cpu().pending_work.load(std::memory_order_acquire) != 0) {
        return true;
    }
    return sc.slice.armed() && arm64::timer::now() >= sc.slice.deadline();
}

bool vcpu_kill(Vcpu& v)
{
    if (g_rr.kill(v)) return true;
    if (v.state.load(std::memory_order_seq_cst) == VcpuState::Running) {
        const CpuIndex where = processor_of(v);
        if (where != self_index()) arm64::send_work(cpu(where), Work::Wake);
    }
    return false;
}

namespace {

// Whether the current vCPU simply continues: no pending work, no request, its
// domain alive, no boost waiting, its slice not over, no vGIC re-sync. These are
// the same loads, in the same order and with the same memory orders, that the
// full path below makes before it concludes "stay, nothing to do"
// (do_pending_work, must_leave, continue_current), so taking this exit changes
// nothing but the instruction count. Nothing is lost by not looking again later:
// every source of such work on another CPU (kick, wake with boost, kill, slice
// timer, cross-CPU call) sets its flag before it sends this CPU an SGI, and the
// SGI is taken at the guest's next instruction, ending in this check again; a
// flag raised by this CPU earlier in the trap is seen here.
bool nothing_to_do(SchedCpu& sc, const PerCpu& me, CpuIndex index)
{
    if (me.pending_work.load(std::memory_order_relaxed) != 0) return false;
    const Vcpu* v = sc.current;
    if (v == nullptr || sc.request != Request::None || domain_ending(*v)) return false;
    if (g_rr.boost_hint(index) || sc.slice_over.load()) return false;
    return (v->sched_flags.load(std::memory_order_acquire) &
            static_cast<uint32_t>(VcpuFlag::Resync)) == 0;
}

[[gnu::noinline]] void schedule_slow(SchedCpu& sc, arm64::TrapFrame& frame)
{
    arm64::do_pending_work();
    Vcpu* prev = sc.current;
    KEEL_CHECK(prev != nullptr);
    LeaveReason why = LeaveReason::Preempted;
    if (!must_leave(sc, *prev, why)) {
        continue_current(*prev);
        return;
    }

    (void)arm64::timer::cancel(sc.slice);
    arm64::vcpu_save(*prev, frame);
    runstate_switch_out(*prev, why);  // before leave(): prev may be freed there
    sc.current = nullptr;
    if (g_rr.leave(*prev, why, self_index())) domain_vcpu_dead(*prev);  // may free prev

    Vcpu* next = pick_or_wait();
    load(sc, *next, &frame);
}

}  // namespace

void schedule(arm64::TrapFrame& frame)
{
    // Split so that the common exit (the vCPU continues) pays for a handful of
    // loads, not for the full path's saved registers and calls.
    const PerCpu& me = this_cpu();
    const CpuIndex index = me.index;
    SchedCpu& sc = g_cpu[index];
    if (nothing_to_do(sc, me, index)) return;
    schedule_slow(sc, frame);
}

}  // namespace keel
