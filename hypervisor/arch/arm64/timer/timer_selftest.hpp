// SPDX-License-Identifier: MIT
//
// arch/arm64/timer/timer_selftest.hpp
// Owns the on-target timer check (keel.selftest): on every online CPU a keel
// one-shot timer armed 1 ms ahead runs, not early, and only a little late.
#pragma once

namespace keel::arm64 {

/// Boot CPU, after start_secondaries(). Reports one line
/// "timer: one-shot fires within its deadline on each of N CPUs" and a
/// "# note" per CPU with its latency (fire time - deadline).
void selftest_timer_latency();

}  // namespace keel::arm64
