// SPDX-License-Identifier: MIT
//
// core/sched/sched_vcpu.hpp
// Owns SchedVcpu: what the pool schedulers (core/sched/pool_scheduler and its
// policies) keep per vCPU — affinity, credit and weight (credit2-style), cap
// accounting, the real-time reservation (RTDS), the CPU a null-scheduled vCPU
// owns, and counters tests and `xl vcpu-list`-like reports read. Embedded in
// Vcpu; every field is guarded by the lock of the pool the vCPU belongs to.
// Pure data.
#pragma once
#include <cstdint>

#include "core/percpu.hpp"
#include "core/time/timer_queue.hpp"

namespace keel {

inline constexpr uint32_t kSchedDefaultWeight = 256;  // Xen's default domain weight
inline constexpr uint64_t kAllCpus = ~uint64_t{0};

struct SchedVcpu {
    // Affinity (Xen's hard and soft affinity; bit n = physical CPU n).
    uint64_t hard_affinity = kAllCpus;  // may run only there
    uint64_t soft_affinity = kAllCpus;  // prefers to run there

    // credit2-style fair share.
    int64_t credit = 0;        // ticks of credit left in this round
    Ticks credit_from = 0;     // credit burned up to this time (while it runs)
    uint32_t weight = kSchedDefaultWeight;
    uint32_t cap_percent = 0;  // 0: uncapped; else % of one CPU over each cap period
    Ticks cap_used = 0;        // run time in the current cap period
    uint64_t cap_period = 0;   // which cap period cap_used counts

    // RTDS reservation: `budget` ticks every `period` ticks, EDF by deadline.
    Ticks period = 0;          // 0: no reservation (the policy's default applies)
    Ticks budget = 0;
    Ticks deadline = 0;        // end of the current period
    Ticks remaining = 0;       // budget left in the current period
    uint64_t deadline_misses = 0;

    // Bookkeeping common to all policies.
    Ticks ran_from = 0;        // when it was last picked
    Ticks run_time = 0;        // total time run (tests, reports)
    uint64_t runs = 0;         // times picked
    uint64_t preemptions = 0;  // times it left a CPU while still runnable
    CpuIndex owned_cpu = kNoOwnedCpu;  // null policy: the CPU it owns
    bool member = false;       // known to its pool (between first start and death)

    static constexpr CpuIndex kNoOwnedCpu = ~CpuIndex{0};
};

}  // namespace keel
