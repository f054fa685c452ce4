// SPDX-License-Identifier: MIT
//
// guests/common/timer.hpp
// Owns the guest's clock: the EL1 virtual timer (CNTVCT_EL0, CNTV_CVAL_EL0,
// CNTV_CTL_EL0; Arm ARM "The Generic Timer in AArch64 state"), PPI 27.
#pragma once
#include <cstdint>

namespace guest::timer {

inline constexpr uint64_t kCtlEnable = 1u << 0;
inline constexpr uint64_t kCtlImask = 1u << 1;
inline constexpr uint64_t kCtlIstatus = 1u << 2;

uint64_t freq();  // CNTFRQ_EL0
uint64_t now();   // CNTVCT_EL0 (after an ISB, so it is not read early)
uint64_t us_to_ticks(uint64_t us);
uint64_t ticks_to_us(uint64_t ticks);
/// Arms the virtual timer at `cval`; `masked` sets CNTV_CTL.IMASK.
void arm_at(uint64_t cval, bool masked = false);
void disarm();
uint64_t ctl();

/// Spins (polling, no WFI) until pred() or `timeout_us` passed; returns pred().
template <typename Pred>
bool spin_until(Pred pred, uint64_t timeout_us)
{
    const uint64_t end = now() + us_to_ticks(timeout_us);
    while (!pred())
        if (now() >= end) return pred();
    return true;
}

}  // namespace guest::timer
