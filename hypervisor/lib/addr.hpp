// SPDX-License-Identifier: MIT
//
// lib/addr.hpp
// Owns the address types. Host-physical, guest-physical, hypervisor-virtual and
// guest-virtual addresses are distinct types with no implicit conversion between
// them; frame numbers likewise. Conversions are named functions where they happen.
#pragma once
#include <compare>
#include <cstdint>

namespace keel {

inline constexpr uint64_t kPageShift = 12;
inline constexpr uint64_t kPageSize = uint64_t{1} << kPageShift;

constexpr uint64_t align_down(uint64_t v, uint64_t a) { return v & ~(a - 1); }
constexpr uint64_t align_up(uint64_t v, uint64_t a) { return (v + a - 1) & ~(a - 1); }

template <typename Tag>
class Addr {
public:
    constexpr Addr() = default;
    constexpr explicit Addr(uint64_t raw) : raw_{raw} {}
    constexpr uint64_t raw() const { return raw_; }

    constexpr Addr operator+(uint64_t bytes) const { return Addr{raw_ + bytes}; }
    constexpr Addr operator-(uint64_t bytes) const { return Addr{raw_ - bytes}; }
    constexpr uint64_t operator-(Addr other) const { return raw_ - other.raw_; }  // a size
    constexpr Addr& operator+=(uint64_t bytes) { raw_ += bytes; return *this; }
    constexpr bool aligned(uint64_t a) const { return (raw_ & (a - 1)) == 0; }
    constexpr Addr align_down(uint64_t a) const { return Addr{keel::align_down(raw_, a)}; }
    constexpr Addr align_up(uint64_t a) const { return Addr{keel::align_up(raw_, a)}; }
    constexpr uint64_t page_offset() const { return raw_ & (kPageSize - 1); }
    constexpr auto operator<=>(const Addr&) const = default;

private:
    uint64_t raw_ = 0;
};

using PhysAddr = Addr<struct PhysAddrTag>;          // host physical
using VirtAddr = Addr<struct VirtAddrTag>;          // hypervisor (EL2) virtual
using GuestPhysAddr = Addr<struct GuestPhysAddrTag>;  // guest physical (IPA)
using GuestVirtAddr = Addr<struct GuestVirtAddrTag>;  // guest virtual

// A frame number: an index of 4 KiB pages in one address space.
template <typename AddrT>
class FrameNumber {
public:
    constexpr FrameNumber() = default;
    constexpr explicit FrameNumber(uint64_t raw) : raw_{raw} {}
    static constexpr FrameNumber of(AddrT a) { return FrameNumber{a.raw() >> kPageShift}; }
    constexpr uint64_t raw() const { return raw_; }
    constexpr AddrT addr() const { return AddrT{raw_ << kPageShift}; }
    constexpr FrameNumber operator+(uint64_t n) const { return FrameNumber{raw_ + n}; }
    constexpr uint64_t operator-(FrameNumber o) const { return raw_ - o.raw_; }
    constexpr auto operator<=>(const FrameNumber&) const = default;

private:
    uint64_t raw_ = 0;
};

using Mfn = FrameNumber<PhysAddr>;       // machine (host) frame
using Gfn = FrameNumber<GuestPhysAddr>;  // guest frame

// A half-open range [base, base + size) of one kind of address.
template <typename AddrT>
struct Range {
    AddrT base{};
    uint64_t size = 0;
    constexpr AddrT end() const { return base + size; }
    constexpr bool contains(AddrT a) const { return a >= base && a - base < size; }
    constexpr bool overlaps(const Range& o) const
    {
        return size != 0 && o.size != 0 && base < o.end() && o.base < end();
    }
    constexpr bool empty() const { return size == 0; }
};

using PhysRange = Range<PhysAddr>;

}  // namespace keel
