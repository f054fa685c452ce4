// SPDX-License-Identifier: MIT
//
// core/sched/vcpu_flags.hpp
// Owns the meaning of Vcpu::sched_flags: requests other CPUs (or interrupt
// handlers) leave for a vCPU, consumed by the CPU that runs it or by the
// scheduler. Pure.
#pragma once
#include <atomic>
#include <cstdint>

namespace keel {

enum class VcpuFlag : uint32_t {
    // Set by vcpu_wake() before it looks at the state: a WFI that is about to
    // block finds it and stays runnable (no lost wake-up). Cleared when a WFI is
    // trapped, before it checks for pending interrupts.
    WakePending = 1u << 0,
    // Set by vcpu_kick(): the vGIC has new pending interrupts for this vCPU; the
    // CPU running it re-syncs its list registers (vgic_save + vgic_restore)
    // before it next enters the guest.
    Resync = 1u << 1,
};

inline void set_flag(std::atomic<uint32_t>& flags, VcpuFlag f)
{
    flags.fetch_or(static_cast<uint32_t>(f), std::memory_order_seq_cst);
}
/// Clears `f`; returns whether it was set.
inline bool take_flag(std::atomic<uint32_t>& flags, VcpuFlag f)
{
    const uint32_t bit = static_cast<uint32_t>(f);
    return (flags.fetch_and(~bit, std::memory_order_seq_cst) & bit) != 0;
}

}  // namespace keel
