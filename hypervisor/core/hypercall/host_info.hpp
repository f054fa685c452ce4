// SPDX-License-Identifier: MIT
//
// core/hypercall/host_info.hpp
// Owns what the toolstack reads about the machine (ABI §2.4): the
// XEN_SYSCTL_physinfo record as Xen 4.17 Arm fills it, the scheduler keel
// names (XEN_SYSCTL_sched_id), the CPU and NUMA topology (cputopoinfo,
// numainfo: one node, every CPU core 0 socket 0), the one CPU pool
// (XEN_SYSCTL_cpupool_op INFO / FREEINFO) and the CPU bitmaps written into
// the caller's xenctl_bitmap.
// Pure: the target side (sysctl.cpp) gathers HostFacts.
#pragma once
#include <cstddef>
#include <cstdint>

#include "lib/result.hpp"
#include "public/xen/sysctl.hpp"

namespace keel {

struct HostFacts {
    uint32_t nr_cpus = 0;      // online physical CPUs (keel's CPUs are 0..nr_cpus-1)
    uint64_t counter_hz = 0;   // generic timer frequency
    uint64_t total_pages = 0;  // RAM frames keel manages
    uint64_t free_pages = 0;   // free frames domains can get
    uint64_t max_mfn = 0;      // highest RAM frame
    uint64_t first_mfn = 0;    // lowest RAM frame
};

/// Xen 4.17 Arm has one NUMA node; its distance to itself (__node_distance).
inline constexpr uint32_t kNodeDistance = 20;
inline constexpr uint32_t kNrNodes = 1;

/// Node 0's memory (numainfo): its span, first to last RAM frame, and the free frames.
xen::XenSysctlMeminfo node_meminfo(const HostFacts& h);

/// cputopoinfo's entry for CPU `cpu`: core 0, socket 0, node 0 (Arm 4.17's
/// cpu_to_core/socket/node).
xen::XenSysctlCputopo cpu_topology(uint32_t cpu);

/// What `xl info` shows as xen_scheduler. keel runs its own round-robin
/// scheduler; it reports credit2, Xen 4.17's (and Debian's) default, so that
/// the toolstack treats it as Xen's default (docs/xen-compat.md).
inline constexpr uint32_t kReportedSchedulerId = xen::kSchedulerCredit2;

/// physinfo as Xen 4.17 Arm fills it: one thread per core, one core per
/// socket, one node, cpu_khz = counter frequency / 1000, hvm | hap | gnttab_v1
/// (no IOMMU, no vPMU, grant v2 off on Arm), no arch capabilities (Xen 4.17
/// has no SVE field), no scrub pages or claims.
xen::XenSysctlPhysinfo physinfo_record(const HostFacts& h);

/// Bytes keel writes at most into one xenctl_bitmap (65536 CPUs): Xen has no
/// limit and zero-fills whatever nr_bits asks; keel refuses more (Inval).
inline constexpr uint32_t kMaxBitmapBytes = 8192;

/// The bytes of a CPU bitmap for a caller's nr_bits, as Xen's
/// bitmap_to_xenctl_bitmap writes them: (nr_bits+7)/8 (Inval beyond
/// kMaxBitmapBytes); the first min(that, (nr_cpus+7)/8) come from the mask
/// (whole bytes: bits past nr_bits in the last one are not cleared), the rest
/// are zero.
Result<uint32_t> cpu_bitmap_bytes(uint32_t nr_bits);
/// Bytes [offset, offset+n) of that bitmap: CPUs 0..nr_cpus-1 set when
/// `all_cpus`, else none.
void cpu_bitmap_fill_range(uint8_t* out, uint32_t offset, uint32_t n, uint32_t nr_cpus,
                           bool all_cpus);

/// cpupool_op INFO: the pool with the smallest id >= cpupool_id — keel has only
/// pool 0 with every CPU and every domain — else NoEnt. Fills cpupool_id,
/// sched_id, n_dom (the bitmap is written by the caller). FREEINFO: nothing
/// to fill (no CPU outside a pool). Other ops: NoSys (keel's one pool is fixed).
Result<void> cpupool_info(xen::XenSysctlCpupoolOp& op, uint32_t nr_domains);

}  // namespace keel
