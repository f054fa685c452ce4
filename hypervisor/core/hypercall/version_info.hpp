// SPDX-License-Identifier: MIT
//
// core/hypercall/version_info.hpp
// Owns what keel tells guests about "Xen" through XENVER_* (ABI §1.3, §2.3):
// the version keel implements (4.17), the strings, and the feature submap for
// a domain. One place, so a conformance run against real Xen 4.17 compares
// against exactly these values. Pure.
#pragma once
#include <cstdint>

#include "public/xen/version.hpp"

namespace keel {

inline constexpr uint32_t kXenMajor = 4;
inline constexpr uint32_t kXenMinor = 17;
inline constexpr uint32_t kXenVersionValue = kXenMajor << 16 | kXenMinor;  // 0x00040011
// XENVER_extraversion: Debian's Xen 4.17.x reports ".<x>" (plus its own
// suffix, if any); the conformance transcript decides — change it here only.
inline constexpr const char* kXenExtraversion = ".7";
// XENVER_capabilities on arm64 (Xen arch_get_xen_caps): both guest kinds Xen runs.
inline constexpr const char* kXenCapabilities = "xen-3.0-aarch64 xen-3.0-armv7l ";
inline constexpr const char* kXenChangeset = "";  // Debian's 4.17 build reports none
inline constexpr const char* kXenCompiler = "keel";
inline constexpr const char* kXenCompileBy = "keel";
inline constexpr const char* kXenCompileDomain = "keel";
inline constexpr const char* kXenCompileDate = "keel";
// What Xen writes instead of privileged strings (xen_deny()).
inline constexpr const char* kXenDenied = "<denied>";
// XENVER_platform_parameters.virt_start: HYPERVISOR_VIRT_START on arm64 Xen
// (XEN_VIRT_START of Xen 4.17's arm64 layout, 0x0000_0200_0000).
inline constexpr uint64_t kXenVirtStart = 0x0000'0000'0020'0000;

struct DomainFeatures {
    bool hardware_domain = false;  // dom0
    bool direct_mapped = false;    // 1:1 guest-physical = host-physical
};

/// XENVER_get_features submap 0 for a domain (Xen 4.17 kernel.c): every ARM
/// domain is translated (writable_page_tables, auto_translated_physmap),
/// memory_op_vnode_supported and ARM_SMCCC_supported always; dom0 if the
/// hardware domain; direct_mapped or not_direct_mapped. A plain domU: 0x00016005.
uint32_t xen_feature_submap0(const DomainFeatures& f);

/// XENVER_commandline for the control domain (ABI §1.2, §2.5.1): keel's
/// command line into `dst[len]` NUL-padded, with " dom0_mem=<size>" appended
/// when it has no dom0_mem= token (xl turns autoballoon off only when it sees
/// one; dom0's RAM is direct-mapped and cannot be ballooned out for domUs).
/// `dom0_bytes` is dom0's RAM (whole MiB are written as M, else K).
void xen_commandline(char* dst, uint64_t len, const char* keel_cmdline, uint64_t dom0_bytes);

/// Copies `src` into `dst[len]` NUL-padded (Xen's memset + safe_strcpy);
/// truncated so that dst always ends with a NUL.
void xen_fill_string(char* dst, uint64_t len, const char* src);

}  // namespace keel
