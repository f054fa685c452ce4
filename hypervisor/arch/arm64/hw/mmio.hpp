// SPDX-License-Identifier: MIT
//
// arch/arm64/hw/mmio.hpp
// Owns device register access: MmioWindow performs the volatile loads and stores
// over a device region keel has mapped; register descriptors (Reg, RegArray) say
// which offset and width each access has.
#pragma once
#include <cstdint>

#include "lib/addr.hpp"

namespace keel {

template <typename T, uint32_t Offset>
struct Reg {
    using Value = T;
    static constexpr uint32_t kOffset = Offset;
};

template <typename T, uint32_t Base, uint32_t Stride = sizeof(T)>
struct RegArray {
    using Value = T;
    static constexpr uint32_t offset(uint32_t i) { return Base + i * Stride; }
};

class MmioWindow {
public:
    constexpr MmioWindow() = default;
    constexpr explicit MmioWindow(VirtAddr base) : base_{base.raw()} {}
    VirtAddr base() const { return VirtAddr{base_}; }
    bool valid() const { return base_ != 0; }

    template <typename R>
    typename R::Value read() const
    {
        return load<typename R::Value>(R::kOffset);
    }
    template <typename R>
    void write(typename R::Value v) const
    {
        store<typename R::Value>(R::kOffset, v);
    }
    template <typename R>
    typename R::Value read(uint32_t i) const
    {
        return load<typename R::Value>(R::offset(i));
    }
    template <typename R>
    void write(uint32_t i, typename R::Value v) const
    {
        store<typename R::Value>(R::offset(i), v);
    }

    template <typename T>
    T load(uint64_t offset) const
    {
        return *reinterpret_cast<volatile const T*>(base_ + offset);
    }
    template <typename T>
    void store(uint64_t offset, T v) const
    {
        *reinterpret_cast<volatile T*>(base_ + offset) = v;
    }

private:
    uint64_t base_ = 0;
};

}  // namespace keel
