// SPDX-License-Identifier: MIT
//
// core/percpu.cpp
// Owns the PerCpu array and the cross-CPU call queue.
#include "core/percpu.hpp"

#include "lib/check.hpp"

namespace keel {
namespace {
constinit PerCpu g_cpus[config::kMaxCpus];  // the per-CPU objects themselves (the one static array)
}  // namespace

bool CallQueue::push(CrossCall fn, void* arg)
{
    LockGuard guard{lock_};
    if (count_ == kCapacity) return false;
    ring_[(head_ + count_) % kCapacity] = Entry{fn, arg};
    ++count_;
    return true;
}

bool CallQueue::pop(CrossCall& fn, void*& arg)
{
    LockGuard guard{lock_};
    if (count_ == 0) return false;
    fn = ring_[head_].fn;
    arg = ring_[head_].arg;
    head_ = (head_ + 1) % kCapacity;
    --count_;
    return true;
}

PerCpu& cpu(CpuIndex index)
{
    KEEL_CHECK(index < config::kMaxCpus);
    return g_cpus[index];
}

size_t online_cpu_count()
{
    size_t n = 0;
    for (const PerCpu& c : g_cpus) {
        if (c.online.load(std::memory_order_acquire)) ++n;
    }
    return n;
}

PerCpu& percpu_assign(CpuIndex index, uint64_t mpidr)
{
    PerCpu& c = cpu(index);
    c.index = index;
    c.mpidr = mpidr;
    c.present.store(true, std::memory_order_release);
    return c;
}

void percpu_attach(CpuIndex index) { arm64::set_cpu_local(&cpu(index)); }

}  // namespace keel
