// SPDX-License-Identifier: MIT
//
// core/percpu.hpp
// Owns PerCpu, everything keel keeps per physical CPU (style.md c.8): its index
// and MPIDR, whether it is online, its timer queue, the pending-work bits and
// cross-CPU call queue that IPIs deliver, and its redistributor window. One
// static array of config::kMaxCpus; a CPU finds its own entry through TPIDR_EL2.
//
// Cross-CPU rule (style.md c.9): another CPU never writes into a PerCpu's private
// state (timers); it posts a call or raises a work bit and sends an SGI.
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>

#include "arch/arm64/hw/cpu_local.hpp"
#include "arch/arm64/hw/mmio.hpp"
#include "arch/arm64/hw/spinlock.hpp"
#include "build_config.hpp"
#include "core/time/timer_queue.hpp"

namespace keel {

using CpuIndex = uint32_t;  // 0 = the boot CPU; dense up to config::kMaxCpus

/// Pending-work bits (PerCpu::pending_work), drained by the CPU itself at its next
/// preemption point (idle loop, later: before guest entry).
enum class Work : uint32_t {
    Call = 1u << 0,  // the call queue has entries
    Wake = 1u << 1,  // nothing to do; re-check whatever the CPU waits for
};

/// A function another CPU asked this CPU to run (with interrupts masked).
using CrossCall = void (*)(void* arg);

/// A small bounded FIFO of cross-CPU calls for one CPU. Senders on any CPU push;
/// only the owning CPU pops. Full means the sender retries (after draining its own
/// queue, so two CPUs posting to each other cannot deadlock).
class CallQueue {
public:
    static constexpr size_t kCapacity = 8;

    /// Appends (fn, arg); false when full.
    bool push(CrossCall fn, void* arg);
    /// Removes the oldest entry into (fn, arg); false when empty.
    bool pop(CrossCall& fn, void*& arg);

private:
    struct Entry {
        CrossCall fn;
        void* arg;
    };
    SpinLock lock_;  // leaf lock
    Entry ring_[kCapacity] = {};
    size_t head_ = 0;
    size_t count_ = 0;
};

struct PerCpu {
    CpuIndex index = 0;
    uint64_t mpidr = 0;                // MPIDR_EL1 affinity (Aff3..Aff0) of this CPU
    std::atomic<bool> present{false};  // a slot keel assigned to a DT CPU
    std::atomic<bool> online{false};   // brought up and handling interrupts

    TimerQueue timers;  // this CPU only

    std::atomic<uint32_t> pending_work{0};  // Work bits; any CPU sets, the owner clears
    CallQueue calls;

    uint64_t irq_count = 0;  // interrupts this CPU handled (this CPU only)

    MmioWindow redist;      // GICR RD_base frame
    MmioWindow redist_sgi;  // GICR SGI_base frame
};

/// The calling CPU's PerCpu (TPIDR_EL2). Valid once percpu_attach() ran on this CPU.
inline PerCpu& this_cpu() { return *static_cast<PerCpu*>(arm64::cpu_local()); }

/// CPU `index` (< config::kMaxCpus); read-mostly fields only, or post work to it.
PerCpu& cpu(CpuIndex index);

/// Number of CPUs marked online.
size_t online_cpu_count();

/// Claims slot `index` for the CPU with this MPIDR (boot CPU: index 0).
PerCpu& percpu_assign(CpuIndex index, uint64_t mpidr);

/// Points this CPU's TPIDR_EL2 at slot `index`. Called first thing on every CPU.
void percpu_attach(CpuIndex index);

/// Sets work bits on `target` (the caller then sends the SGI).
inline void raise_work(PerCpu& target, Work w)
{
    target.pending_work.fetch_or(static_cast<uint32_t>(w), std::memory_order_release);
}
/// Takes and clears all of this CPU's work bits.
inline uint32_t take_work(PerCpu& self)
{
    return self.pending_work.exchange(0, std::memory_order_acquire);
}
constexpr bool has_work(uint32_t bits, Work w) { return (bits & static_cast<uint32_t>(w)) != 0; }

}  // namespace keel
