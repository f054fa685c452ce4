// SPDX-License-Identifier: MIT
//
// core/domain/mmio.cpp
// Owns adding regions to MmioRegions and the full lookup behind find()'s
// last-hit fast path.
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

const MmioRegion* MmioRegions::find_all(GuestPhysAddr addr, uint64_t size) const
{
    for (size_t i = 0; i < count_; ++i) {
        if (contains(regions_[i], addr, size)) {
            last_hit_.store(static_cast<uint32_t>(i), std::memory_order_relaxed);
            return &regions_[i];
        }
    }
    return nullptr;
}

}  // namespace keel
