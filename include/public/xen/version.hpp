// SPDX-License-Identifier: MIT
//
// include/public/xen/version.hpp
// Owns the HYPERVISOR_xen_version part of the Xen guest ABI as keel defines it
// (AArch64): the XENVER_* sub-operations and the structs they fill, sizes and
// offsets asserted (values from Xen's public version.h; docs:
// ../shared/docs/xen-arm-guest-abi.md §2.3, §3.11). Freestanding.
#pragma once
#include <cstddef>
#include <cstdint>

#include "public/xen/xen.hpp"

namespace keel::xen {

// version.h XENVER_*: arg1 of HYPERVISOR_xen_version, arg2 points to the buffer.
enum class XenVer : uint32_t {
    Version = 0,             // returns major << 16 | minor, no buffer
    Extraversion = 1,        // char[16]
    CompileInfo = 2,         // XenCompileInfo
    Capabilities = 3,        // char[1024]
    Changeset = 4,           // char[64]
    PlatformParameters = 5,  // XenPlatformParameters
    GetFeatures = 6,         // XenFeatureInfo (in: submap_idx, out: submap)
    Pagesize = 7,            // returns the page size, buffer must be NULL
    GuestHandle = 8,         // uint8_t[16]
    Commandline = 9,         // char[1024]
    BuildId = 10,            // XenBuildId (privileged)
};

inline constexpr size_t kXenExtraversionLen = 16;
inline constexpr size_t kXenCapabilitiesLen = 1024;
inline constexpr size_t kXenChangesetLen = 64;
inline constexpr size_t kXenCommandlineLen = 1024;
inline constexpr size_t kXenDomainHandleLen = 16;

struct XenCompileInfo {
    char compiler[64];
    char compile_by[16];
    char compile_domain[32];
    char compile_date[32];
};
static_assert(sizeof(XenCompileInfo) == 144);
static_assert(offsetof(XenCompileInfo, compile_by) == 64);
static_assert(offsetof(XenCompileInfo, compile_domain) == 80);
static_assert(offsetof(XenCompileInfo, compile_date) == 112);

struct XenPlatformParameters {
    xen_ulong_t virt_start;  // HYPERVISOR_VIRT_START: meaningless on ARM
};
static_assert(sizeof(XenPlatformParameters) == 8);

struct XenFeatureInfo {
    uint32_t submap_idx;  // IN: which 32-bit submap (only 0 exists)
    uint32_t submap;      // OUT: XENFEAT_* bits (features.hpp)
};
static_assert(sizeof(XenFeatureInfo) == 8);
static_assert(offsetof(XenFeatureInfo, submap) == 4);

struct XenBuildId {
    uint32_t len;  // IN: size of buf; OUT: bytes written
    // unsigned char buf[] follows
};
static_assert(sizeof(XenBuildId) == 4);

}  // namespace keel::xen
