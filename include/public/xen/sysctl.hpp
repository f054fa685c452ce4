// SPDX-License-Identifier: MIT
//
// include/public/xen/sysctl.hpp
// Owns the parts of HYPERVISOR_sysctl (35) keel decodes, as Xen 4.17 defines
// them for AArch64 (public sysctl.h, interface version 0x15; docs:
// ../shared/docs/xen-dom0-abi.md §2.4): the command numbers, xenctl_bitmap,
// physinfo, sched_id, getdomaininfolist, cputopoinfo, numainfo, cpupool_op
// and readconsole, with
// every size and offset asserted. The 136-byte header is XenSysctl
// (platform.hpp); a member is read out of / written into its `u` bytes.
// Freestanding.
#pragma once
#include <cstddef>
#include <cstdint>

#include "public/xen/platform.hpp"
#include "public/xen/xen.hpp"

namespace keel::xen {

// XEN_SYSCTL_* (the ones keel answers; every other number is "unknown").
enum class SysctlCmd : uint32_t {
    ReadConsole = 1,
    Physinfo = 3,
    SchedId = 4,
    GetDomainInfoList = 6,
    Cputopoinfo = 16,
    Numainfo = 17,
    CpupoolOp = 18,
};

// struct xenctl_bitmap: a byte array in the caller's memory, bit n = CPU n.
struct XenctlBitmap {
    uint64_t bitmap;   // guest handle (virtual address)
    uint32_t nr_bits;
    uint32_t pad;
};
static_assert(sizeof(XenctlBitmap) == 16);

// XEN_SYSCTL_PHYSCAP_*.
inline constexpr uint32_t kPhyscapHvm = 1u << 0;
inline constexpr uint32_t kPhyscapDirectio = 1u << 2;
inline constexpr uint32_t kPhyscapHap = 1u << 3;
inline constexpr uint32_t kPhyscapGnttabV1 = 1u << 8;
inline constexpr uint32_t kPhyscapGnttabV2 = 1u << 9;

// struct xen_sysctl_physinfo: 112 bytes, OUT.
struct XenSysctlPhysinfo {
    uint32_t threads_per_core;
    uint32_t cores_per_socket;
    uint32_t nr_cpus;
    uint32_t max_cpu_id;
    uint32_t nr_nodes;
    uint32_t max_node_id;
    uint32_t cpu_khz;
    uint32_t capabilities;
    uint32_t arch_capabilities;
    uint32_t pad;
    uint64_t total_pages;
    uint64_t free_pages;
    uint64_t scrub_pages;
    uint64_t outstanding_pages;
    uint64_t max_mfn;
    uint32_t hw_cap[8];
};
static_assert(sizeof(XenSysctlPhysinfo) == 112);
static_assert(offsetof(XenSysctlPhysinfo, cpu_khz) == 24);
static_assert(offsetof(XenSysctlPhysinfo, arch_capabilities) == 32);
static_assert(offsetof(XenSysctlPhysinfo, total_pages) == 40);
static_assert(offsetof(XenSysctlPhysinfo, max_mfn) == 72);
static_assert(offsetof(XenSysctlPhysinfo, hw_cap) == 80);

// XEN_SCHEDULER_* (sched_id values).
inline constexpr uint32_t kSchedulerCredit = 5;
inline constexpr uint32_t kSchedulerCredit2 = 6;
inline constexpr uint32_t kSchedulerNull = 9;

struct XenSysctlSchedId {
    uint32_t sched_id;  // OUT
};

// struct xen_sysctl_getdomaininfolist: 24 bytes.
struct XenSysctlGetDomainInfoList {
    domid_t first_domain;  // IN
    uint16_t pad0;
    uint32_t max_domains;  // IN
    uint64_t buffer;       // IN: handle to XenDomctlGetDomainInfo[max_domains]
    uint32_t num_domains;  // OUT
    uint32_t pad1;
};
static_assert(sizeof(XenSysctlGetDomainInfoList) == 24);
static_assert(offsetof(XenSysctlGetDomainInfoList, max_domains) == 4);
static_assert(offsetof(XenSysctlGetDomainInfoList, buffer) == 8);
static_assert(offsetof(XenSysctlGetDomainInfoList, num_domains) == 16);

// struct xen_sysctl_cputopoinfo: 16 bytes; its array elements 12 bytes.
struct XenSysctlCputopoinfo {
    uint32_t num_cpus;  // IN: entries in cputopo / OUT: CPUs (when it differs)
    uint32_t pad;
    uint64_t cputopo;   // handle to XenSysctlCputopo[num_cpus], or NULL: ask the count
};
static_assert(sizeof(XenSysctlCputopoinfo) == 16);
struct XenSysctlCputopo {
    uint32_t core;
    uint32_t socket;
    uint32_t node;
};
static_assert(sizeof(XenSysctlCputopo) == 12);

// struct xen_sysctl_numainfo: 24 bytes; meminfo elements 16 bytes, distance u32s.
struct XenSysctlNumainfo {
    uint32_t num_nodes;  // IN: entries / OUT: nodes (when it differs)
    uint32_t pad;
    uint64_t meminfo;    // handle to XenSysctlMeminfo[num_nodes], or NULL
    uint64_t distance;   // handle to uint32_t[num_nodes * num_nodes], or NULL
};
static_assert(sizeof(XenSysctlNumainfo) == 24);
struct XenSysctlMeminfo {
    uint64_t memsize;  // bytes
    uint64_t memfree;  // bytes
};
static_assert(sizeof(XenSysctlMeminfo) == 16);

// XEN_SYSCTL_CPUPOOL_OP_*.
enum class CpupoolOp : uint32_t {
    Create = 1, Destroy = 2, Info = 3, AddCpu = 4, RmCpu = 5, MoveDomain = 6, FreeInfo = 7,
};

// struct xen_sysctl_cpupool_op: 40 bytes.
struct XenSysctlCpupoolOp {
    uint32_t op;
    uint32_t cpupool_id;
    uint32_t sched_id;
    uint32_t domid;
    uint32_t cpu;
    uint32_t n_dom;
    XenctlBitmap cpumap;
};
static_assert(sizeof(XenSysctlCpupoolOp) == 40);
static_assert(offsetof(XenSysctlCpupoolOp, n_dom) == 20);
static_assert(offsetof(XenSysctlCpupoolOp, cpumap) == 24);

// struct xen_sysctl_readconsole: 24 bytes.
struct XenSysctlReadConsole {
    uint8_t clear;        // IN: non-zero clears what was read
    uint8_t incremental;  // IN: non-zero starts at `index`
    uint8_t pad0;
    uint8_t pad1;
    uint32_t index;       // IN (incremental) / OUT: where the read ended
    uint64_t buffer;      // IN: handle to char[count]
    uint32_t count;       // IN: buffer size / OUT: bytes written
    uint32_t pad2;
};
static_assert(sizeof(XenSysctlReadConsole) == 24);
static_assert(offsetof(XenSysctlReadConsole, index) == 4);
static_assert(offsetof(XenSysctlReadConsole, buffer) == 8);
static_assert(offsetof(XenSysctlReadConsole, count) == 16);

static_assert(sizeof(XenSysctlPhysinfo) <= sizeof(XenSysctl::u));

}  // namespace keel::xen
