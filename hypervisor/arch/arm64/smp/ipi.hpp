// SPDX-License-Identifier: MIT
//
// arch/arm64/smp/ipi.hpp
// Owns keel's inter-processor interrupts: which SGIs keel uses, posting work or
// a function call to another CPU (message first, SGI second: style.md c.9), the
// drain that runs a CPU's pending work, and stopping every other CPU on a panic.
#pragma once
#include <cstdint>

#include "core/percpu.hpp"

namespace keel::arm64 {

// SGI INTIDs keel uses for itself (Non-secure Group 1).
inline constexpr uint32_t kSgiWork = 0;  // "look at your pending work"
inline constexpr uint32_t kSgiStop = 1;  // park now (panic)

/// Registers the SGI handlers. Boot CPU, once, before any ipi_init_cpu().
void ipi_init();
/// Enables keel's SGIs on the calling CPU's redistributor. Every CPU.
void ipi_init_cpu();

/// Sets `w` in target's pending work and sends it kSgiWork (to itself too).
void send_work(PerCpu& target, Work w);

/// Has `target` run fn(arg) at its next preemption point (asynchronous; the
/// caller waits for whatever fn signals). When target's queue is full, drains
/// the caller's own work while retrying.
void call_on(PerCpu& target, CrossCall fn, void* arg);

/// Runs fn(arg) on `target`: directly when it is the calling CPU, else call_on().
void run_on(PerCpu& target, CrossCall fn, void* arg);

/// Drains the calling CPU's pending work (cross-CPU calls). Interrupts masked.
/// The common case, nothing pending, is one load (every guest exit passes here).
void drain_pending_work();
inline void do_pending_work()
{
    if (this_cpu().pending_work.load(std::memory_order_relaxed) != 0) drain_pending_work();
}

/// Sends kSgiStop to every other CPU: those that take it mark themselves offline
/// and park. For panics; safe to call before the GIC is up (does nothing then).
void stop_all_cpus();

}  // namespace keel::arm64
