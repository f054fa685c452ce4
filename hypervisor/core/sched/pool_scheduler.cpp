// SPDX-License-Identifier: MIT
//
// core/sched/pool_scheduler.cpp
// Owns the shared state machine of the pool schedulers (see pool_scheduler.hpp):
// transitions under the pool lock, the running/idle bookkeeping and the poke rule.
#include "core/sched/pool_scheduler.hpp"

#include "core/domain/domain.hpp"
#include "core/domain/vcpu.hpp"
#include "core/sched/vcpu_flags.hpp"
#include "lib/check.hpp"

namespace keel {
namespace {

// A vCPU may (re)enter the queue only while its domain is not ending.
bool domain_alive(const Vcpu& v)
{
    if (v.domain == nullptr) return true;
    const DomainState s = v.domain->state.load(std::memory_order_seq_cst);
    return s == DomainState::Building || s == DomainState::Running;
}

void set_state(Vcpu& v, VcpuState s) { v.state.store(s, std::memory_order_seq_cst); }

class Locked {
public:
    explicit Locked(SpinLock& l) : l_{l} { l_.lock(); }
    ~Locked() { l_.unlock(); }
    Locked(const Locked&) = delete;
    Locked& operator=(const Locked&) = delete;

private:
    SpinLock& l_;
};

}  // namespace

void PoolScheduler::configure(uint64_t cpus, Clock clock, Ticks ticks_per_ms)
{
    KEEL_CHECK(cpus != 0 && clock != nullptr && ticks_per_ms > 0);
    KEEL_CHECK(config::kMaxCpus >= 64 || (cpus >> config::kMaxCpus) == 0);
    cpus_ = cpus;
    clock_ = clock;
    ticks_per_ms_ = ticks_per_ms;
}

bool PoolScheduler::may_run_on(const Vcpu& v, CpuIndex cpu) const
{
    return has_cpu(cpu) && ((v.sched.hard_affinity >> cpu) & 1) != 0;
}

void PoolScheduler::add_member(Vcpu& v)
{
    if (v.sched.member) return;
    KEEL_CHECK(member_count_ < kMaxPoolVcpus);
    members_[member_count_++] = &v;
    v.sched.member = true;
}

void PoolScheduler::remove_member(Vcpu& v)
{
    if (!v.sched.member) return;
    for (size_t i = 0; i < member_count_; ++i) {
        if (members_[i] != &v) continue;
        members_[i] = members_[--member_count_];
        members_[member_count_] = nullptr;
        break;
    }
    v.sched.member = false;
}

// Poke rule: an idle CPU v may run on (not the caller, who looks at the queue
// before it next waits); else a CPU whose running vCPU v preempts (woken vCPUs
// only), marked boosted so its scheduling point gives way. seq_cst on the idle
// flags pairs with set_idle(): a CPU about to wait re-checks the queue after
// raising its flag, so either it sees v or we see the flag.
Placement PoolScheduler::placed(Vcpu& v, CpuIndex self, bool woken)
{
    Placement p{true, v.processor, kNoCpu};
    for (CpuIndex c = 0; c < config::kMaxCpus; ++c) {
        if (c == self || !may_run_on(v, c)) continue;
        if (idle_[c].load(std::memory_order_seq_cst)) {
            p.poke = c;
            return p;
        }
    }
    if (!woken) return p;
    const Ticks t = now();
    for (CpuIndex c = 0; c < config::kMaxCpus; ++c) {
        if (!may_run_on(v, c) || running_[c] == nullptr) continue;
        if (!preempts(v, *running_[c], t)) continue;
        boost_[c].store(true, std::memory_order_release);
        if (c != self) p.poke = c;
        return p;
    }
    return p;
}

Placement PoolScheduler::start(Vcpu& v, PrepareFn prepare, void* ctx, CpuIndex self)
{
    Locked l{lock_};
    if (v.state.load(std::memory_order_seq_cst) != VcpuState::Offline || !domain_alive(v)) return {};
    if (prepare != nullptr) prepare(v, ctx);
    const Ticks t = now();
    if (!v.sched.member) {
        add_member(v);
        admit(v, t);
    }
    set_state(v, VcpuState::Runnable);
    enqueue(v, false, t);
    runnable_.fetch_add(1, std::memory_order_relaxed);
    return placed(v, self, false);
}

Placement PoolScheduler::wake(Vcpu& v, CpuIndex self)
{
    Locked l{lock_};
    if (v.state.load(std::memory_order_seq_cst) != VcpuState::Blocked || !domain_alive(v)) return {};
    set_state(v, VcpuState::Runnable);
    enqueue(v, true, now());
    runnable_.fetch_add(1, std::memory_order_relaxed);
    return placed(v, self, true);
}

bool PoolScheduler::leave(Vcpu& v, LeaveReason why, CpuIndex self)
{
    Locked l{lock_};
    KEEL_CHECK(v.state.load(std::memory_order_relaxed) == VcpuState::Running);
    KEEL_CHECK(running_[self] == &v);
    running_[self] = nullptr;
    const Ticks t = now();
    const Ticks ran = t > v.sched.ran_from ? t - v.sched.ran_from : 0;
    v.sched.run_time += ran;
    stopped(v, ran, t);
    if (!domain_alive(v) || why == LeaveReason::Dead) {
        set_state(v, VcpuState::Dead);
        retire(v);
        remove_member(v);
        return true;
    }
    if (why == LeaveReason::Off) {
        set_state(v, VcpuState::Offline);
        retire(v);
    } else if (why == LeaveReason::Blocked && !take_flag(v.sched_flags, VcpuFlag::WakePending)) {
        set_state(v, VcpuState::Blocked);
    } else {
        ++v.sched.preemptions;
        set_state(v, VcpuState::Runnable);  // preempted, or a wake raced with the WFI
        enqueue(v, false, t);
        runnable_.fetch_add(1, std::memory_order_relaxed);
    }
    return false;
}

Decision PoolScheduler::pick_next(CpuIndex cpu, Ticks now_ticks)
{
    KEEL_CHECK(has_cpu(cpu));
    Locked l{lock_};
    Ticks slice = TimerQueue::kNever;
    Vcpu* v = choose(cpu, now_ticks, slice);
    if (v == nullptr) return {nullptr, slice};
    runnable_.fetch_sub(1, std::memory_order_relaxed);
    set_state(*v, VcpuState::Running);
    std::atomic_ref<CpuIndex>{v->processor}.store(cpu, std::memory_order_release);
    v->sched.ran_from = now_ticks;
    ++v->sched.runs;
    running_[cpu] = v;
    return {v, slice};
}

bool PoolScheduler::should_preempt(CpuIndex cpu)
{
    Locked l{lock_};
    const Vcpu* v = running_[cpu];
    return v != nullptr && should_yield(cpu, *v, now());
}

Ticks PoolScheduler::continue_slice(CpuIndex cpu)
{
    Locked l{lock_};
    const Vcpu* v = running_[cpu];
    return v != nullptr ? next_slice(cpu, *v, now()) : TimerQueue::kNever;
}

bool PoolScheduler::take_boost(CpuIndex cpu)
{
    // Look before the exchange: on almost every guest exit there is no boost.
    if (!boost_[cpu].load(std::memory_order_relaxed)) return false;
    return boost_[cpu].exchange(false, std::memory_order_acq_rel);
}

bool PoolScheduler::kill(Vcpu& v)
{
    Locked l{lock_};
    switch (v.state.load(std::memory_order_seq_cst)) {
    case VcpuState::Runnable:
        dequeue(v);
        runnable_.fetch_sub(1, std::memory_order_relaxed);
        break;
    case VcpuState::Offline:
    case VcpuState::Blocked: break;
    case VcpuState::Running:
    case VcpuState::Dead: return false;
    }
    set_state(v, VcpuState::Dead);
    retire(v);
    remove_member(v);
    return true;
}

void PoolScheduler::set_idle(CpuIndex cpu, bool idle)
{
    idle_[cpu].store(idle, std::memory_order_seq_cst);
}

}  // namespace keel
