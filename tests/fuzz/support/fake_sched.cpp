// SPDX-License-Identifier: MIT
//
// tests/fuzz/support/fake_sched.cpp
// Owns the fake CPU's scheduling side (see fake_sched.hpp): the loaded vCPU
// and its trap frame, core/sched/schedule.hpp's vCPU calls, preemption, vGIC
// injection, and the per-vCPU / per-domain releases lifecycle calls
// (vtimer_vcpu_destroy, vpl011_release), which own nothing here.
#include "tests/fuzz/support/fake_sched.hpp"

#include <unordered_map>

#include "arch/arm64/timer/vtimer.hpp"
#include "arch/arm64/vgic/vgic.hpp"
#include "core/console/console_mux.hpp"
#include "core/console/vpl011.hpp"
#include "core/domain/domain.hpp"
#include "core/domain/vcpu.hpp"
#include "core/sched/schedule.hpp"
#include "lib/check.hpp"
#include "public/xen/xen.hpp"

namespace keel {
namespace {

struct FakeCpu {
    Vcpu* current = nullptr;
    arm64::TrapFrame frame{};
    uint32_t preempt_pattern = 0;
    unsigned preempt_checks = 0;
    unsigned preempt_hits = 0;
    std::unordered_map<const Vcpu*, uint32_t> injections;
    std::unordered_map<const Vcpu*, bool> kill_requests;
};

FakeCpu& fake_cpu()
{
    static FakeCpu c;
    return c;
}

}  // namespace

namespace fuzz {

void set_current_vcpu(Vcpu* v)
{
    FakeCpu& c = fake_cpu();
    if (c.current != nullptr && c.current->state.load() == VcpuState::Running)
        c.current->state.store(VcpuState::Runnable);
    c.current = v;
    if (v != nullptr) {
        KEEL_CHECK(v->state.load() != VcpuState::Dead);
        v->state.store(VcpuState::Running);
    }
}

arm64::TrapFrame& fake_frame() { return fake_cpu().frame; }

void set_preempt_pattern(uint32_t pattern)
{
    fake_cpu().preempt_pattern = pattern;
    fake_cpu().preempt_checks = 0;
    fake_cpu().preempt_hits = 0;
}

unsigned preempt_hits() { return fake_cpu().preempt_hits; }

bool take_kill_request(Vcpu& v) { return fake_cpu().kill_requests.erase(&v) != 0; }

uint32_t take_injections(Vcpu& v)
{
    auto it = fake_cpu().injections.find(&v);
    if (it == fake_cpu().injections.end()) return 0;
    const uint32_t n = it->second;
    fake_cpu().injections.erase(it);
    return n;
}

}  // namespace fuzz

Vcpu* current_vcpu() { return fake_cpu().current; }

arm64::TrapFrame& current_frame()
{
    KEEL_CHECK(fake_cpu().current != nullptr);  // only inside a vCPU's trap
    return fake_cpu().frame;
}

CpuIndex sched_place_vcpu() { return 0; }

bool vcpu_start(Vcpu& v, PrepareFn prepare, void* ctx)
{
    if (v.state.load() != VcpuState::Offline) return false;
    if (prepare != nullptr) prepare(v, ctx);
    v.state.store(VcpuState::Runnable);
    return true;
}

void vcpu_wake(Vcpu& v)
{
    KEEL_CHECK(v.domain != nullptr && v.domain->state.load() != DomainState::Dead);
    VcpuState s = VcpuState::Blocked;
    (void)v.state.compare_exchange_strong(s, VcpuState::Runnable);
}

void vcpu_kick(Vcpu&) {}

void vcpu_block(Vcpu& v)
{
    KEEL_CHECK(&v == fake_cpu().current);  // a vCPU blocks itself, at the end of its trap
    v.state.store(VcpuState::Blocked);
}

void vcpu_yield(Vcpu& v) { KEEL_CHECK(&v == fake_cpu().current); }

void vcpu_power_off(Vcpu& v) { v.state.store(VcpuState::Offline); }

bool sched_preempt_pending()
{
    FakeCpu& c = fake_cpu();
    const unsigned i = c.preempt_checks++;
    const bool yes = i < 32 && ((c.preempt_pattern >> i) & 1) != 0;
    c.preempt_hits += yes;
    return yes;
}

// A Running vCPU (the caller's own, here) stops at its next scheduling point:
// the harness does that after the hypercall returns.
bool vcpu_kill(Vcpu& v)
{
    if (v.state.load() == VcpuState::Running) {
        fake_cpu().kill_requests[&v] = true;
        return false;
    }
    v.state.store(VcpuState::Dead);
    return true;
}

namespace arm64 {

void vgic_inject(Vcpu& v, uint32_t intid)
{
    KEEL_CHECK(intid == xen::kGuestEvtchnPpi);  // the only interrupt the handlers raise
    KEEL_CHECK(v.domain != nullptr && v.state.load() != VcpuState::Dead);
    ++fake_cpu().injections[&v];
}

bool vgic_has_pending(Vcpu& v)
{
    auto it = fake_cpu().injections.find(&v);
    return it != fake_cpu().injections.end() && it->second != 0;
}

void vtimer_vcpu_destroy(Vcpu&) {}
void vgic_domain_destroy(Domain&) {}  // no hardware-linked SPIs in the harness

}  // namespace arm64

void vpl011_release(Domain&) {}

// [dom0] console input for CONSOLEIO_read: a few bytes every time, so the copy
// to the caller's buffer runs (core/console/console_mux.hpp).
size_t console_input_read_hwdom(char* out, size_t max)
{
    const char input[] = "ls\r";
    size_t n = 0;
    for (; n < max && n < sizeof input - 1; ++n) out[n] = input[n];
    return n;
}
void console_input_resume() {}

}  // namespace keel
