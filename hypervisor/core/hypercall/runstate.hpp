// SPDX-License-Identifier: MIT
//
// core/hypercall/runstate.hpp
// Owns a vCPU's runstate accounting (VCPUOP_register_runstate_memory_area,
// ABI §1.6, §3.8): which RUNSTATE_* it is in since when, and the ns spent in
// each — what Linux reads as steal time (runnable + offline). Changed only by
// the CPU that switches the vCPU in or out (the scheduler's locks order those
// CPUs), read when the area is written. Pure.
#pragma once
#include <cstdint>

#include "public/xen/vcpu.hpp"

namespace keel {

struct RunstateAccount {
    xen::Runstate state = xen::Runstate::Offline;
    uint64_t entry_ns = 0;  // system time (ns) when `state` began; 0: never entered
    uint64_t time[xen::kNrRunstates] = {};
};

/// The vCPU enters `s` at `now_ns`: the time since the last change goes to the old state.
void runstate_change(RunstateAccount& r, xen::Runstate s, uint64_t now_ns);

/// What the guest's area receives (Xen copies its record as is).
xen::VcpuRunstateInfo runstate_info(const RunstateAccount& r);

}  // namespace keel
