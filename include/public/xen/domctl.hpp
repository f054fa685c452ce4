// SPDX-License-Identifier: MIT
//
// include/public/xen/domctl.hpp
// Owns the parts of HYPERVISOR_domctl (36) keel decodes, as Xen 4.17 defines
// them for AArch64 (public domctl.h, interface version 0x15; docs:
// ../shared/docs/xen-dom0-abi.md §2.3): the command numbers, the
// getdomaininfo record and its flags, getvcpuinfo, setdomainhandle, with every
// size and offset asserted. The 144-byte header is XenDomctl (platform.hpp);
// a member is read out of / written into its `u` bytes. Freestanding.
#pragma once
#include <cstddef>
#include <cstdint>

#include "public/xen/platform.hpp"
#include "public/xen/xen.hpp"

namespace keel::xen {

// XEN_DOMCTL_* (the ones keel names; every other number is "unknown").
enum class DomctlCmd : uint32_t {
    CreateDomain = 1,
    DestroyDomain = 2,
    PauseDomain = 3,
    UnpauseDomain = 4,
    GetDomainInfo = 5,
    SetVcpuAffinity = 9,
    MaxMem = 11,
    SetVcpuContext = 12,
    GetVcpuInfo = 14,
    MaxVcpus = 15,
    SchedulerOp = 16,
    SetDomainHandle = 17,
    GetVcpuAffinity = 25,
    SetAddressSize = 35,
    AssignDevice = 37,
    TestAssignDevice = 45,
    DeassignDevice = 47,
    VmEventOp = 56,
    GdbsxGuestMemIo = 1000,
};

inline constexpr uint32_t kXenDomainHandleBytes = 16;  // xen_domain_handle_t

// struct xen_arch_domainconfig (arch-arm.h): 12 bytes.
struct XenArchDomainConfig {
    uint8_t gic_version;   // XEN_DOMCTL_CONFIG_GIC_* (0 native, 1 v2, 2 v3)
    uint8_t pad0;
    uint16_t tee_type;
    uint32_t nr_spis;
    uint32_t clock_frequency;
};
static_assert(sizeof(XenArchDomainConfig) == 12);

// XEN_DOMINF_* flag bits of getdomaininfo.flags.
inline constexpr uint32_t kDominfDying = 1u << 0;
inline constexpr uint32_t kDominfHvmGuest = 1u << 1;
inline constexpr uint32_t kDominfShutdown = 1u << 2;
inline constexpr uint32_t kDominfPaused = 1u << 3;
inline constexpr uint32_t kDominfBlocked = 1u << 4;
inline constexpr uint32_t kDominfRunning = 1u << 5;
inline constexpr uint32_t kDominfDebugged = 1u << 6;
inline constexpr uint32_t kDominfXsDomain = 1u << 7;
inline constexpr uint32_t kDominfHap = 1u << 8;
inline constexpr uint32_t kDominfShutdownShift = 16;  // 8 bits: the shutdown code
inline constexpr uint32_t kInvalidMaxVcpuId = ~0u;    // XEN_INVALID_MAX_VCPU_ID

// struct xen_domctl_getdomaininfo: 120 bytes, OUT only (also the element of
// XEN_SYSCTL_getdomaininfolist's buffer).
struct XenDomctlGetDomainInfo {
    domid_t domain;
    uint16_t pad1;
    uint32_t flags;
    uint64_t tot_pages;
    uint64_t max_pages;
    uint64_t outstanding_pages;
    uint64_t shr_pages;
    uint64_t paged_pages;
    uint64_t shared_info_frame;
    uint64_t cpu_time;           // ns
    uint32_t nr_online_vcpus;
    uint32_t max_vcpu_id;
    uint32_t ssidref;
    uint8_t handle[kXenDomainHandleBytes];
    uint32_t cpupool;
    uint8_t gpaddr_bits;
    uint8_t pad2[7];
    XenArchDomainConfig arch_config;
};
static_assert(sizeof(XenDomctlGetDomainInfo) == 120);
static_assert(offsetof(XenDomctlGetDomainInfo, flags) == 4);
static_assert(offsetof(XenDomctlGetDomainInfo, tot_pages) == 8);
static_assert(offsetof(XenDomctlGetDomainInfo, shared_info_frame) == 48);
static_assert(offsetof(XenDomctlGetDomainInfo, cpu_time) == 56);
static_assert(offsetof(XenDomctlGetDomainInfo, nr_online_vcpus) == 64);
static_assert(offsetof(XenDomctlGetDomainInfo, max_vcpu_id) == 68);
static_assert(offsetof(XenDomctlGetDomainInfo, ssidref) == 72);
static_assert(offsetof(XenDomctlGetDomainInfo, handle) == 76);
static_assert(offsetof(XenDomctlGetDomainInfo, cpupool) == 92);
static_assert(offsetof(XenDomctlGetDomainInfo, gpaddr_bits) == 96);
static_assert(offsetof(XenDomctlGetDomainInfo, arch_config) == 104);

// struct xen_domctl_getvcpuinfo: 24 bytes.
struct XenDomctlGetVcpuInfo {
    uint32_t vcpu;      // IN
    uint8_t online;     // OUT ...
    uint8_t blocked;
    uint8_t running;
    uint8_t pad;
    uint64_t cpu_time;  // ns running
    uint32_t cpu;       // the pCPU it runs or last ran on
    uint32_t pad2;
};
static_assert(sizeof(XenDomctlGetVcpuInfo) == 24);
static_assert(offsetof(XenDomctlGetVcpuInfo, online) == 4);
static_assert(offsetof(XenDomctlGetVcpuInfo, cpu_time) == 8);
static_assert(offsetof(XenDomctlGetVcpuInfo, cpu) == 16);

// struct xen_domctl_setdomainhandle: the 16-byte handle.
struct XenDomctlSetDomainHandle {
    uint8_t handle[kXenDomainHandleBytes];
};
static_assert(sizeof(XenDomctlSetDomainHandle) == 16);

static_assert(sizeof(XenDomctlGetDomainInfo) <= sizeof(XenDomctl::u));

}  // namespace keel::xen
