// SPDX-License-Identifier: MIT
//
// include/public/xen/platform.hpp
// Owns the headers of the privileged hypercalls a domU may still issue and
// must get Xen's refusal for: xen_platform_op (Xen's public platform.h),
// xen_domctl and xen_sysctl (domctl.h, sysctl.h) — only their fixed header,
// interface version and size, which decide -EFAULT / -EACCES before the
// permission check (docs: ../shared/docs/xen-arm-guest-abi.md §2.2, §3.11).
// Values are Xen 4.17's. Freestanding.
#pragma once
#include <cstddef>
#include <cstdint>

#include "public/xen/xen.hpp"

namespace keel::xen {

inline constexpr uint32_t kXenpfInterfaceVersion = 0x03000001;  // XENPF_INTERFACE_VERSION
inline constexpr uint32_t kXenpfSettime64 = 62;                 // XENPF_settime64

struct XenPlatformOp {
    uint32_t cmd;
    uint32_t interface_version;
    uint8_t u[128];  // the per-command union
};
static_assert(sizeof(XenPlatformOp) == 136);
static_assert(offsetof(XenPlatformOp, u) == 8);

inline constexpr uint32_t kXenDomctlInterfaceVersion = 0x00000015;  // Xen 4.17
struct XenDomctl {
    uint32_t cmd;
    uint32_t interface_version;
    domid_t domain;
    uint16_t pad[3];
    uint8_t u[128];
};
static_assert(sizeof(XenDomctl) == 144);
static_assert(offsetof(XenDomctl, domain) == 8);
static_assert(offsetof(XenDomctl, u) == 16);

inline constexpr uint32_t kXenSysctlInterfaceVersion = 0x00000015;  // Xen 4.17
struct XenSysctl {
    uint32_t cmd;
    uint32_t interface_version;
    uint8_t u[128];
};
static_assert(sizeof(XenSysctl) == 136);

}  // namespace keel::xen
