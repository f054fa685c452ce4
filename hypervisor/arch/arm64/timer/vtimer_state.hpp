// SPDX-License-Identifier: MIT
//
// arch/arm64/timer/vtimer_state.hpp
// Owns VtimerState: one vCPU's EL1 virtual timer (CNTV_CTL_EL0/CNTV_CVAL_EL0)
// while it is not on a CPU, and the keel timer that stands in for it then.
// (Placeholder shape; the timer part fills it in.)
#pragma once
#include <cstdint>

namespace keel {

struct VtimerState {
    uint64_t ctl = 0;
    uint64_t cval = 0;
};

}  // namespace keel
