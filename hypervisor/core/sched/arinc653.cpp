// SPDX-License-Identifier: MIT
//
// core/sched/arinc653.cpp
// Owns the ARINC 653 rules (see arinc653.hpp): the major frame, the window in
// force at a time, and who may run in it.
#include "core/sched/arinc653.hpp"

#include "core/domain/domain.hpp"
#include "core/domain/vcpu.hpp"

namespace keel {

bool Arinc653::set_schedule(const Arinc653Window* windows, size_t count, Ticks epoch)
{
    if (windows == nullptr || count == 0 || count > kMaxWindows) return false;
    Ticks major = 0;
    for (size_t i = 0; i < count; ++i) {
        if (windows[i].length == 0 || major + windows[i].length < major) return false;
        major += windows[i].length;
    }
    for (size_t i = 0; i < count; ++i) windows_[i] = windows[i];
    count_ = count;
    major_ = major;
    epoch_ = epoch;
    explicit_ = true;
    return true;
}

size_t Arinc653::window_at(Ticks now, Ticks& ends) const
{
    if (major_ == 0) {
        ends = TimerQueue::kNever;
        return 0;
    }
    const Ticks since = now > epoch_ ? now - epoch_ : 0;
    const Ticks frame_start = now - since % major_;
    Ticks at = 0;
    for (size_t i = 0; i < count_; ++i) {
        at += windows_[i].length;
        if (since % major_ < at) {
            ends = frame_start + at;
            return i;
        }
    }
    ends = frame_start + major_;  // not reached: the windows add up to major_
    return count_ - 1;
}

CpuIndex Arinc653::first_cpu() const
{
    for (CpuIndex c = 0; c < config::kMaxCpus; ++c)
        if (has_cpu(c)) return c;
    return kNoCpu;
}

bool Arinc653::owns_window(const Vcpu& v, size_t window) const
{
    if (window >= count_ || v.domain == nullptr) return false;
    return windows_[window].domid == v.domain->id && windows_[window].vcpu == v.id;
}

void Arinc653::admit(Vcpu& v, Ticks now)
{
    if (explicit_ || count_ == kMaxWindows || v.domain == nullptr) return;
    // The default table: one window per vCPU in the order they joined.
    if (count_ == 0) epoch_ = now;
    windows_[count_++] = Arinc653Window{v.domain->id, v.id, kDefaultWindowMs * ticks_per_ms()};
    major_ += kDefaultWindowMs * ticks_per_ms();
}

void Arinc653::enqueue(Vcpu& v, bool, Ticks)
{
    if (ready_count_ < kMaxPoolVcpus) ready_[ready_count_++] = &v;
}

void Arinc653::dequeue(Vcpu& v)
{
    for (size_t i = 0; i < ready_count_; ++i) {
        if (ready_[i] != &v) continue;
        ready_[i] = ready_[--ready_count_];
        ready_[ready_count_] = nullptr;
        return;
    }
}

Vcpu* Arinc653::choose(CpuIndex cpu, Ticks now, Ticks& slice)
{
    if (cpu != first_cpu() || major_ == 0) {
        slice = TimerQueue::kNever;
        return nullptr;
    }
    Ticks ends = 0;
    const size_t w = window_at(now, ends);
    slice = ends - now;
    for (size_t i = 0; i < ready_count_; ++i) {
        Vcpu* v = ready_[i];
        if (!owns_window(*v, w) || !may_run_on(*v, cpu)) continue;
        dequeue(*v);
        return v;
    }
    return nullptr;  // its owner is not runnable: the CPU idles until the window ends
}

void Arinc653::stopped(Vcpu&, Ticks, Ticks) {}
void Arinc653::retire(Vcpu&) {}

bool Arinc653::should_yield(CpuIndex, const Vcpu& running, Ticks now)
{
    Ticks ends = 0;
    return !owns_window(running, window_at(now, ends));
}

Ticks Arinc653::next_slice(CpuIndex, const Vcpu&, Ticks now)
{
    Ticks ends = 0;
    (void)window_at(now, ends);
    return ends - now;
}

bool Arinc653::preempts(const Vcpu&, const Vcpu&, Ticks) { return false; }

}  // namespace keel
