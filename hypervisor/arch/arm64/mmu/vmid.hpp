// SPDX-License-Identifier: MIT
//
// arch/arm64/mmu/vmid.hpp
// Owns the VMID allocator: one 8-bit VMID per live domain (VTTBR_EL2.VMID tags
// its stage-1 and stage-2 TLB entries). VMID 0 is never handed out: it is what
// VTTBR_EL2 holds when no guest was ever loaded, as Xen reserves it too. A VMID
// is released only after the TLBs forgot it (p2m_destroy flushes first). No
// generation/rollover scheme: 255 live domains is far above keel's limits.
// Pure; thread-safe (one leaf lock).
#pragma once
#include <cstdint>

#include "arch/arm64/hw/spinlock.hpp"
#include "arch/arm64/mmu/stage2_control.hpp"
#include "lib/result.hpp"

namespace keel::arm64 {

class VmidAllocator {
public:
    constexpr VmidAllocator() = default;

    /// The lowest free VMID (1..255), or Errno::NoSpc when all are in use.
    Result<uint16_t> alloc();
    /// Returns a VMID from alloc(); anything else is a keel bug (panics).
    void free(uint16_t vmid);
    /// VMIDs in use.
    unsigned used();

private:
    static constexpr unsigned kWords = kMaxVmids / 64;
    SpinLock lock_;
    uint64_t used_[kWords] = {1};  // bit 0: VMID 0, reserved
};

/// keel's one allocator.
VmidAllocator& vmids();

}  // namespace keel::arm64
