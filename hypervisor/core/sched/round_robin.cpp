// SPDX-License-Identifier: MIT
//
// core/sched/round_robin.cpp
// Owns the round-robin policy (see round_robin.hpp): queue operations, the
// state transitions under the queue locks, stealing and the idle-CPU poke.
#include "core/sched/round_robin.hpp"

#include "core/domain/domain.hpp"
#include "core/domain/vcpu.hpp"
#include "core/sched/vcpu_flags.hpp"
#include "lib/check.hpp"

namespace keel {
namespace {

std::atomic_ref<CpuIndex> processor_of(Vcpu& v) { return std::atomic_ref<CpuIndex>{v.processor}; }

// A vCPU may (re)enter a queue only while its domain is not ending.
bool domain_alive(const Vcpu& v)
{
    if (v.domain == nullptr) return true;
    const DomainState s = v.domain->state.load(std::memory_order_seq_cst);
    return s == DomainState::Building || s == DomainState::Running;
}

void set_state(Vcpu& v, VcpuState s) { v.state.store(s, std::memory_order_seq_cst); }

}  // namespace

void RoundRobin::configure(size_t cpus, Ticks slice)
{
    KEEL_CHECK(cpus >= 1 && cpus <= config::kMaxCpus && slice > 0);
    cpus_ = cpus;
    slice_ = slice;
}

size_t RoundRobin::queued(CpuIndex cpu) const
{
    return queues_[cpu].length.load(std::memory_order_relaxed);
}

RoundRobin::Queue& RoundRobin::lock_for(Vcpu& v)
{
    for (;;) {
        const CpuIndex q = processor_of(v).load(std::memory_order_acquire);
        KEEL_CHECK(q < cpus_);
        Queue& queue = queues_[q];
        queue.lock.lock();
        if (processor_of(v).load(std::memory_order_relaxed) == q) return queue;
        queue.lock.unlock();  // stolen meanwhile: follow it
    }
}

void RoundRobin::push(Queue& q, Vcpu& v)
{
    v.next_in_queue = nullptr;
    if (q.tail != nullptr) {
        q.tail->next_in_queue = &v;
    } else {
        q.head = &v;
    }
    q.tail = &v;
    q.length.fetch_add(1, std::memory_order_relaxed);
}

void RoundRobin::push_front(Queue& q, Vcpu& v)
{
    v.next_in_queue = q.head;
    q.head = &v;
    if (q.tail == nullptr) q.tail = &v;
    q.length.fetch_add(1, std::memory_order_relaxed);
}

Vcpu* RoundRobin::pop(Queue& q)
{
    Vcpu* v = q.head;
    if (v == nullptr) return nullptr;
    q.head = v->next_in_queue;
    if (q.head == nullptr) q.tail = nullptr;
    v->next_in_queue = nullptr;
    q.length.fetch_sub(1, std::memory_order_relaxed);
    return v;
}

bool RoundRobin::unlink(Queue& q, Vcpu& v)
{
    Vcpu* prev = nullptr;
    for (Vcpu* it = q.head; it != nullptr; prev = it, it = it->next_in_queue) {
        if (it != &v) continue;
        if (prev != nullptr) {
            prev->next_in_queue = it->next_in_queue;
        } else {
            q.head = it->next_in_queue;
        }
        if (q.tail == it) q.tail = prev;
        it->next_in_queue = nullptr;
        q.length.fetch_sub(1, std::memory_order_relaxed);
        return true;
    }
    return false;
}

// Poke rule: the CPU whose queue got the vCPU when it idles; else any idle CPU,
// which will steal it. The caller itself never needs a poke: it is running and
// looks at the queues before it next waits. seq_cst pairs with set_idle(): a CPU
// that is about to wait re-checks the queues after raising its idle flag, so
// either it sees the new vCPU or we see the flag.
CpuIndex RoundRobin::idle_cpu_other_than(CpuIndex a, CpuIndex b) const
{
    for (CpuIndex c = 0; c < cpus_; ++c) {
        if (c == a || c == b) continue;
        if (queues_[c].idle.load(std::memory_order_seq_cst)) return c;
    }
    return kNoCpu;
}

Placement RoundRobin::placed(CpuIndex queue, CpuIndex self) const
{
    Placement p{true, queue, kNoCpu};
    if (queue != self && queues_[queue].idle.load(std::memory_order_seq_cst)) {
        p.poke = queue;
    } else {
        p.poke = idle_cpu_other_than(self, queue);
    }
    return p;
}

Placement RoundRobin::start(Vcpu& v, PrepareFn prepare, void* ctx, CpuIndex self)
{
    Queue& q = lock_for(v);
    if (v.state.load(std::memory_order_seq_cst) != VcpuState::Offline || !domain_alive(v)) {
        q.lock.unlock();
        return {};
    }
    if (prepare != nullptr) prepare(v, ctx);
    set_state(v, VcpuState::Runnable);
    push(q, v);
    const CpuIndex where = processor_of(v).load(std::memory_order_relaxed);
    q.lock.unlock();
    return placed(where, self);
}

Placement RoundRobin::wake(Vcpu& v, CpuIndex self)
{
    Queue& q = lock_for(v);
    if (v.state.load(std::memory_order_seq_cst) != VcpuState::Blocked || !domain_alive(v)) {
        q.lock.unlock();
        return {};
    }
    // A vCPU that was blocked (waiting for an interrupt) goes to the head of its
    // queue and its CPU is asked to switch now: interrupt latency inside the guest
    // must not wait for a busy neighbour's slice to end (Xen credit's BOOST).
    set_state(v, VcpuState::Runnable);
    push_front(q, v);
    q.boosted.store(true, std::memory_order_release);
    const CpuIndex where = processor_of(v).load(std::memory_order_relaxed);
    q.lock.unlock();
    Placement p = placed(where, self);
    if (p.poke == kNoCpu && where != self) p.poke = where;  // busy: preempt there
    return p;
}

bool RoundRobin::take_boost(CpuIndex cpu)
{
    // Look before the exchange: on almost every guest exit there is no boost.
    if (!queues_[cpu].boosted.load(std::memory_order_relaxed)) return false;
    return queues_[cpu].boosted.exchange(false, std::memory_order_acq_rel) &&
           queues_[cpu].length.load(std::memory_order_relaxed) > 0;
}

bool RoundRobin::leave(Vcpu& v, LeaveReason why, CpuIndex self)
{
    Queue& q = lock_for(v);
    KEEL_CHECK(&q == &queues_[self]);
    KEEL_CHECK(v.state.load(std::memory_order_relaxed) == VcpuState::Running);
    bool dead = false;
    if (!domain_alive(v) || why == LeaveReason::Dead) {
        set_state(v, VcpuState::Dead);
        dead = true;
    } else if (why == LeaveReason::Off) {
        set_state(v, VcpuState::Offline);
    } else if (why == LeaveReason::Blocked && !take_flag(v.sched_flags, VcpuFlag::WakePending)) {
        set_state(v, VcpuState::Blocked);
    } else {
        set_state(v, VcpuState::Runnable);  // preempted, or a wake raced with the WFI
        push(q, v);
    }
    q.lock.unlock();
    return dead;
}

Vcpu* RoundRobin::steal(CpuIndex thief)
{
    // From the longest other queue, so the load evens out.
    CpuIndex victim = kNoCpu;
    size_t longest = 0;
    for (CpuIndex c = 0; c < cpus_; ++c) {
        if (c == thief) continue;
        const size_t n = queues_[c].length.load(std::memory_order_relaxed);
        if (n > longest) {
            longest = n;
            victim = c;
        }
    }
    if (victim == kNoCpu) return nullptr;
    Queue& q = queues_[victim];
    q.lock.lock();
    // The first vCPU that may move: a pinned one (dom0_vcpus_pin) stays in its queue.
    Vcpu* v = q.head;
    while (v != nullptr && v->pinned) v = v->next_in_queue;
    if (v != nullptr) (void)unlink(q, *v);
    if (v != nullptr) {
        // Moves under the old queue's lock (see lock_for), Running before anyone
        // can look it up through the new processor.
        set_state(*v, VcpuState::Running);
        processor_of(*v).store(thief, std::memory_order_release);
    }
    q.lock.unlock();
    return v;
}

Decision RoundRobin::pick_next(CpuIndex cpu, Ticks now)
{
    KEEL_CHECK(cpu < cpus_);
    (void)now;  // a fixed slice needs no clock; weighted policies will
    Queue& own = queues_[cpu];

    // Even out: take from a queue that is clearly longer than ours (by two, so
    // two CPUs never hand the same vCPU back and forth).
    Vcpu* v = nullptr;
    size_t longest = 0;
    for (CpuIndex c = 0; c < cpus_; ++c) {
        if (c == cpu) continue;
        const size_t n = queues_[c].length.load(std::memory_order_relaxed);
        if (n > longest) longest = n;
    }
    if (longest > own.length.load(std::memory_order_relaxed) + 1) v = steal(cpu);

    if (v == nullptr) {
        own.lock.lock();
        v = pop(own);
        if (v != nullptr) set_state(*v, VcpuState::Running);
        own.lock.unlock();
    }
    if (v == nullptr) v = steal(cpu);
    if (v == nullptr) return {};
    return {v, slice_};
}

bool RoundRobin::should_preempt(CpuIndex cpu)
{
    const size_t own = queues_[cpu].length.load(std::memory_order_relaxed);
    if (own > 0) return true;
    for (CpuIndex c = 0; c < cpus_; ++c) {
        // After the current vCPU is queued ours holds one: pick_next steals at 3.
        if (c != cpu && queues_[c].length.load(std::memory_order_relaxed) > 2) return true;
    }
    return false;
}

bool RoundRobin::kill(Vcpu& v)
{
    Queue& q = lock_for(v);
    bool done = false;
    switch (v.state.load(std::memory_order_seq_cst)) {
    case VcpuState::Runnable:
        KEEL_CHECK(unlink(q, v));
        set_state(v, VcpuState::Dead);
        done = true;
        break;
    case VcpuState::Offline:
    case VcpuState::Blocked:
        set_state(v, VcpuState::Dead);
        done = true;
        break;
    case VcpuState::Running:
    case VcpuState::Dead: break;
    }
    q.lock.unlock();
    return done;
}

void RoundRobin::set_idle(CpuIndex cpu, bool idle)
{
    queues_[cpu].idle.store(idle, std::memory_order_seq_cst);
}

}  // namespace keel
