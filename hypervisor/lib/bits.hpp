// SPDX-License-Identifier: MIT
//
// lib/bits.hpp
// Owns BitField, the typed replacement for shift-and-mask macros: every
// register layout in keel is a set of BitField descriptors with names.
#pragma once
#include <cstdint>

namespace keel {

template <unsigned Hi, unsigned Lo, typename V = uint64_t>
struct BitField {
    static_assert(Hi >= Lo && Hi < 64);
    using Value = V;
    static constexpr unsigned kLo = Lo;
    static constexpr unsigned kWidth = Hi - Lo + 1;
    static constexpr uint64_t kMask = (~uint64_t{0} >> (63 - Hi)) & (~uint64_t{0} << Lo);

    static constexpr V get(uint64_t reg) { return static_cast<V>((reg & kMask) >> Lo); }
    static constexpr uint64_t put(uint64_t reg, V v)
    {
        return (reg & ~kMask) | ((static_cast<uint64_t>(v) << Lo) & kMask);
    }
    // The field alone, at its position (for OR-ing constants together).
    static constexpr uint64_t make(V v) { return (static_cast<uint64_t>(v) << Lo) & kMask; }
};

template <unsigned N>
using Bit = BitField<N, N, bool>;

constexpr uint64_t bit(unsigned n) { return uint64_t{1} << n; }

}  // namespace keel
