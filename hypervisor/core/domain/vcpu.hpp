// SPDX-License-Identifier: MIT
//
// core/domain/vcpu.hpp
// Owns Vcpu: one virtual CPU — the guest's saved register state (general
// registers + PC/PSTATE as a TrapFrame, EL1 system registers, FP/SIMD), its
// virtual MPIDR, its vGIC CPU-interface state (list registers, pending virtual
// interrupts), its virtual timer, and its scheduling state. Saved/restored by
// arch/arm64/vcpu/; scheduled by core/sched/.
#pragma once
#include <atomic>
#include <cstdint>

#include "arch/arm64/entry/trap_frame.hpp"
#include "arch/arm64/timer/vtimer_state.hpp"
#include "arch/arm64/vcpu/vcpu_context.hpp"
#include "arch/arm64/vgic/vgic_state.hpp"
#include "core/percpu.hpp"
#include "core/sched/sched_vcpu.hpp"

namespace keel {

struct Domain;
struct VcpuEvents;  // core/event/: vcpu_info mapping, FIFO queues

enum class VcpuState : uint8_t {
    Offline,   // never started, or PSCI CPU_OFF (AFFINITY_INFO reports OFF)
    Runnable,  // on a run queue
    Running,   // current on some physical CPU
    Blocked,   // WFI / blocked until an interrupt is pending
    Dead,      // domain ended
};

struct Vcpu {
    Domain* domain = nullptr;
    uint32_t id = 0;        // vCPU index within the domain
    uint64_t vmpidr = 0;    // VMPIDR_EL2: Xen's numbering (Aff0 = id % 16, Aff1 = id / 16) | RES1 bit 31

    arm64::TrapFrame regs{};         // x0..x30, SP_EL1, PC (elr), PSTATE (spsr) while not running
    arm64::VcpuSysregs sysregs{};    // EL1 system registers, saved/restored on switch
    arm64::FpState fp{};             // FP/SIMD registers (guest-only; keel never uses them)
    VgicCpuState vgic;               // list registers + pending virtual interrupts
    VtimerState vtimer;              // CNTV_CTL/CVAL while descheduled + keel timer for it
    arm64::VcpuDebug debug{};        // breakpoints/watchpoints/OS lock (arch/arm64/vcpu/debug_regs.*)
    arm64::SetWayState setway{};     // set/way emulation: TVM, flush progress (setway.*)

    std::atomic<VcpuState> state{VcpuState::Offline};
    CpuIndex processor = 0;          // physical CPU that runs it or whose queue holds it
    bool pinned = false;             // [dom0] dom0_vcpus_pin: never moved off `processor`
    Vcpu* next_in_queue = nullptr;   // core/sched/ run-queue link
    uint64_t slice_start = 0;        // counter ticks when it last started running
    std::atomic<uint32_t> sched_flags{0};  // VcpuFlag bits (core/sched/vcpu_flags.hpp)
    SchedVcpu sched;                 // pool schedulers' per-vCPU data (core/sched/sched_vcpu.hpp)

    // The Xen guest ABI (docs/xen-abi-design.md).
    VcpuEvents* events = nullptr;      // core/event/
    uint64_t runstate_area = 0;        // guest VA of its vcpu_runstate_info (VCPUOP_register_runstate_memory_area), 0: none
};

}  // namespace keel
