// SPDX-License-Identifier: MIT
//
// guests/common/prng.hpp
// Owns the test guests' seeded pseudo-random numbers: xoshiro256** (Blackman and
// Vigna) seeded through splitmix64, so one printed 64-bit seed reproduces a run.
// Not for anything but test input.
#pragma once
#include <cstdint>

namespace guest {

class Prng {
public:
    constexpr Prng() = default;
    explicit constexpr Prng(uint64_t seed) { reseed(seed); }

    constexpr void reseed(uint64_t seed)
    {
        uint64_t x = seed;
        for (auto& w : s_) w = splitmix(x);
    }
    constexpr uint64_t next()
    {
        const uint64_t result = rotl(s_[1] * 5, 7) * 9;
        const uint64_t t = s_[1] << 17;
        s_[2] ^= s_[0];
        s_[3] ^= s_[1];
        s_[1] ^= s_[2];
        s_[0] ^= s_[3];
        s_[2] ^= t;
        s_[3] = rotl(s_[3], 45);
        return result;
    }
    /// Uniform in [0, n) (n > 0; the modulo bias is irrelevant for test input).
    constexpr uint64_t below(uint64_t n) { return next() % n; }
    /// True with probability 1/n.
    constexpr bool one_in(uint64_t n) { return below(n) == 0; }
    template <typename T, uint64_t N>
    constexpr const T& pick(const T (&a)[N])
    {
        return a[below(N)];
    }

private:
    static constexpr uint64_t rotl(uint64_t x, int k) { return (x << k) | (x >> (64 - k)); }
    static constexpr uint64_t splitmix(uint64_t& x)
    {
        uint64_t z = (x += 0x9e3779b97f4a7c15ull);
        z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
        z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
        return z ^ (z >> 31);
    }
    uint64_t s_[4] = {1, 2, 3, 4};
};

}  // namespace guest
