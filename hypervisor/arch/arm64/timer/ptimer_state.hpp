// SPDX-License-Identifier: MIT
//
// arch/arm64/timer/ptimer_state.hpp
// Owns PtimerState: one vCPU's emulated EL1 physical timer (CNTP_CTL_EL0 /
// CNTP_CVAL_EL0, ptimer.cpp), the level its interrupt line was last driven to,
// and the keel timer that raises the line while the vCPU is loaded.
#pragma once
#include <cstdint>

#include "arch/arm64/hw/spinlock.hpp"
#include "core/time/timer_queue.hpp"

namespace keel {

struct PtimerState {
    SpinLock lock;      // the fields below; taken before the domain's vGIC lock
    uint64_t ctl = 0;   // CNTP_CTL_EL0.{ENABLE, IMASK} as the guest wrote them
    uint64_t cval = 0;  // CNTP_CVAL_EL0, in CNTPCT_EL0 ticks
    bool line = false;  // PPI 30's level as last told to the vGIC
    // Armed only on the CPU the vCPU is loaded on, at its deadline; cancelled
    // when it leaves (vtimer's stand-ins cover the deadline while it is off).
    Timer running{nullptr, nullptr};
};

}  // namespace keel
