// SPDX-License-Identifier: MIT
//
// include/public/xen/features.hpp
// Owns the XENFEAT_* bit numbers of XENVER_get_features (Xen's public
// features.h; docs: ../shared/docs/xen-arm-guest-abi.md §1.3). Freestanding.
#pragma once
#include <cstdint>

namespace keel::xen {

enum class XenFeat : uint32_t {
    WritablePageTables = 0,
    WritableDescriptorTables = 1,
    AutoTranslatedPhysmap = 2,
    SupervisorModeKernel = 3,
    PaePgdirAbove4gb = 4,
    MmuPtUpdatePreserveAd = 5,
    HighmemAssist = 6,
    GnttabMapAvailBits = 7,
    HvmCallbackVector = 8,
    HvmSafePvclock = 9,
    HvmPirqs = 10,
    Dom0 = 11,
    MemoryOpVnodeSupported = 13,
    ArmSmcccSupported = 14,
    LinuxRsdpUnrestricted = 15,
    NotDirectMapped = 16,
    DirectMapped = 17,
};

inline constexpr uint32_t kXenFeatNrSubmaps = 1;  // XENFEAT_NR_SUBMAPS

constexpr uint32_t feature_bit(XenFeat f) { return uint32_t{1} << static_cast<uint32_t>(f); }

}  // namespace keel::xen
