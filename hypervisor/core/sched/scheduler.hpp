// SPDX-License-Identifier: MIT
//
// core/sched/scheduler.hpp
// Owns the Scheduler interface (style.md c.11): the policy that decides which
// vCPU a physical CPU runs next and where a vCPU waits. Every vCPU state change
// the scheduler cares about goes through it (start, wake, leave a CPU, kill), so
// the policy can keep its queues and Vcpu::state consistent under its own locks.
// Concrete schedulers are `final`; the arm64 glue (schedule.cpp) owns timers,
// SGIs and context switches. Pure: no hardware, time only through arguments.
#pragma once
#include <cstdint>

#include "core/percpu.hpp"
#include "core/time/timer_queue.hpp"

namespace keel {

struct Vcpu;

inline constexpr CpuIndex kNoCpu = ~CpuIndex{0};

// Why the vCPU running on a CPU stops running there.
enum class LeaveReason : uint8_t {
    Preempted,  // slice over, or it yielded: Runnable, back to the tail of its queue
    Blocked,    // WFI: Blocked until vcpu_wake() (Runnable at once if a wake is pending)
    Off,        // PSCI CPU_OFF: Offline until CPU_ON
    Dead,       // its domain is ending
};

// The outcome of start()/wake().
struct Placement {
    bool done = false;        // the vCPU became Runnable
    CpuIndex queue = kNoCpu;  // whose run queue holds it
    CpuIndex poke = kNoCpu;   // a CPU that should look at the run queues now (send it an SGI)
};

struct Decision {
    Vcpu* next = nullptr;  // now Running on the CPU that asked; nullptr: nothing to run
    Ticks slice = 0;       // how long it may run before the scheduler is asked again
};

// Runs under the scheduler's lock for a vCPU that start() is about to make
// Runnable (PSCI CPU_ON writes its entry registers here). Must be short.
using PrepareFn = void (*)(Vcpu& v, void* ctx);

class Scheduler {
public:
    virtual const char* name() const = 0;

    /// Offline → Runnable after prepare(v, ctx). Not done when v is not Offline or
    /// its domain is ending.
    virtual Placement start(Vcpu& v, PrepareFn prepare, void* ctx, CpuIndex self) = 0;
    /// Blocked → Runnable. Not done in any other state or when its domain is ending.
    virtual Placement wake(Vcpu& v, CpuIndex self) = 0;
    /// The vCPU running on CPU `self` (whose context is already saved) leaves it.
    /// Returns true when v became Dead (its domain is ending, whatever `why` said).
    virtual bool leave(Vcpu& v, LeaveReason why, CpuIndex self) = 0;
    /// Takes the next vCPU for `cpu` (its own queue first, else one stolen from
    /// another CPU's queue) and marks it Running there.
    virtual Decision pick_next(CpuIndex cpu, Ticks now) = 0;
    /// Whether pick_next(cpu) would choose a vCPU other than the one `cpu` runs
    /// now if that one were preempted (for deciding whether a slice end switches).
    virtual bool should_preempt(CpuIndex cpu) = 0;
    /// Takes `cpu`'s "a woken vCPU waits at the head of your queue" mark: the running
    /// vCPU should give way now rather than at its slice end (Xen credit's BOOST).
    virtual bool take_boost(CpuIndex cpu) = 0;
    /// Any state but Running → Dead (a Runnable vCPU leaves its queue). Returns
    /// true when it did; a Running vCPU must be stopped by its CPU (leave()).
    virtual bool kill(Vcpu& v) = 0;
    /// `cpu` is about to wait for work (true) / has work again (false).
    virtual void set_idle(CpuIndex cpu, bool idle) = 0;

protected:
    ~Scheduler() = default;
};

}  // namespace keel
