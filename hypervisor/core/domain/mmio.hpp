// SPDX-License-Identifier: MIT
//
// core/domain/mmio.hpp
// Owns MmioRegions: one domain's table of emulated device windows (vGIC
// distributor and redistributors, vPL011, ...). A stage-2 data abort with a
// valid syndrome (ESR ISV=1) inside a region becomes a call to its handler with
// the decoded access; an abort outside every region and outside RAM is the
// guest's fault (an abort is injected). Pure.
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>

#include "lib/addr.hpp"

namespace keel {

struct Vcpu;

struct MmioAccess {
    GuestPhysAddr addr;  // faulting IPA
    uint64_t offset;     // addr - region base
    uint8_t size;        // 1, 2, 4 or 8 bytes
    bool write;
    uint64_t value;      // value written (write) / to return (read, filled by the handler)
};

// Returns false when the access is not allowed (width, alignment, offset): the
// caller injects a data abort into the guest, as a bus error would.
using MmioHandler = bool (*)(Vcpu& vcpu, MmioAccess& access, void* ctx);

struct MmioRegion {
    GuestPhysAddr base;
    uint64_t size = 0;
    MmioHandler handler = nullptr;
    void* ctx = nullptr;
    const char* name = "";
};

class MmioRegions {
public:
    static constexpr size_t kMaxRegions = 8;

    /// Adds a region; false when full or overlapping an existing one.
    bool add(const MmioRegion& region);
    /// The region containing [addr, addr + size), or nullptr. Inline for the
    /// trap path: one device is usually hit many times in a row (a UART polled
    /// character by character), so the region found last is tried first.
    const MmioRegion* find(GuestPhysAddr addr, uint64_t size) const
    {
        const size_t hint = last_hit_.load(std::memory_order_relaxed);
        if (hint < count_ && contains(regions_[hint], addr, size)) return &regions_[hint];
        return find_all(addr, size);
    }

private:
    static bool contains(const MmioRegion& r, GuestPhysAddr addr, uint64_t size)
    {
        return addr >= r.base && addr - r.base < r.size && size <= r.size - (addr - r.base);
    }
    const MmioRegion* find_all(GuestPhysAddr addr, uint64_t size) const;

    MmioRegion regions_[kMaxRegions] = {};
    size_t count_ = 0;
    // Index of the region found last: only a hint (any value is safe, the region
    // is checked before use), so vCPUs on several CPUs may race on it: relaxed.
    // Regions are added while the domain is built, before any vCPU runs.
    mutable std::atomic<uint32_t> last_hit_{0};
};

}  // namespace keel
