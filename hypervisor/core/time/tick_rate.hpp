// SPDX-License-Identifier: MIT
//
// core/time/tick_rate.hpp
// Owns the conversions between system-counter ticks and ns/us/ms for a given
// counter frequency (on arm64, CNTFRQ_EL0). Exact for every input that fits:
// whole seconds and the sub-second remainder are scaled separately, so no
// intermediate product overflows 64 bits for frequencies below 18 GHz and no
// 128-bit arithmetic (or libgcc helper) is needed.
#pragma once
#include <cstdint>

#include "core/time/timer_queue.hpp"

namespace keel {

class TickRate {
public:
    constexpr TickRate() = default;
    constexpr explicit TickRate(uint64_t hz) : hz_{hz} {}

    constexpr uint64_t hz() const { return hz_; }
    constexpr bool valid() const { return hz_ != 0; }

    /// Ticks in `ns` nanoseconds, rounded up (a timer armed for N ns never fires early).
    constexpr Ticks from_ns(uint64_t ns) const { return scale_up(ns, hz_, kNsPerSec); }
    constexpr Ticks from_us(uint64_t us) const { return scale_up(us, hz_, kUsPerSec); }
    constexpr Ticks from_ms(uint64_t ms) const { return scale_up(ms, hz_, kMsPerSec); }

    /// Nanoseconds / microseconds in `t` ticks, rounded down.
    constexpr uint64_t to_ns(Ticks t) const { return scale_down(t, kNsPerSec, hz_); }
    constexpr uint64_t to_us(Ticks t) const { return scale_down(t, kUsPerSec, hz_); }

private:
    static constexpr uint64_t kNsPerSec = 1'000'000'000;
    static constexpr uint64_t kUsPerSec = 1'000'000;
    static constexpr uint64_t kMsPerSec = 1'000;

    // v * mul / div, with v split into whole `div` units and a remainder.
    static constexpr uint64_t scale_down(uint64_t v, uint64_t mul, uint64_t div)
    {
        if (div == 0) return 0;
        return (v / div) * mul + (v % div) * mul / div;
    }
    static constexpr uint64_t scale_up(uint64_t v, uint64_t mul, uint64_t div)
    {
        if (div == 0) return 0;
        const uint64_t rem = (v % div) * mul;
        return (v / div) * mul + rem / div + (rem % div != 0 ? 1 : 0);
    }

    uint64_t hz_ = 0;
};

static_assert(TickRate{62'500'000}.from_us(1) == 63);  // 62.5 ticks, rounded up
static_assert(TickRate{62'500'000}.to_ns(125) == 2000);
static_assert(TickRate{1'000'000'000}.from_ns(5) == 5);

}  // namespace keel
