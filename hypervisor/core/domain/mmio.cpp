// SPDX-License-Identifier: MIT
//
// core/domain/mmio.cpp
// Owns the region table lookup behind MmioRegions.
#include "core/domain/mmio.hpp"

namespace keel {

bool MmioRegions::add(const MmioRegion& region)
{
    if (count_ == kMaxRegions || region.size == 0) return false;
    for (size_t i = 0; i < count_; ++i) {
        const auto& r = regions_[i];
        if (region.base < r.base + r.size && r.base < region.base + region.size) return false;
    }
    regions_[count_++] = region;
    return true;
}

const MmioRegion* MmioRegions::find(GuestPhysAddr addr, uint64_t size) const
{
    for (size_t i = 0; i < count_; ++i) {
        const auto& r = regions_[i];
        if (addr >= r.base && addr - r.base < r.size && size <= r.size - (addr - r.base)) return &r;
    }
    return nullptr;
}

}  // namespace keel
