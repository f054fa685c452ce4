// SPDX-License-Identifier: MIT
//
// core/sched/cpupool_config.hpp
// Owns the boot-time cpupool configuration read from the host device tree with
// Xen's binding (Xen 4.17 docs/misc/arm/device-tree/cpupools.txt): /chosen
// children compatible "xen,cpupool" with "cpupool-cpus" (phandles of /cpus
// nodes) and an optional "cpupool-sched", and a domain node's "domain-cpupool"
// phandle. Pool ids as Xen numbers them: DT order, CPUs no pool names form one
// more pool, and the pool holding the boot CPU (logical CPU 0) swaps ids with
// pool 0. Pure and defensive: where Xen panics on a bad pool node, keel writes
// one error line naming the node, leaves that pool out (its CPUs count as
// unassigned) and refuses only the domains that name it.
#pragma once
#include <cstddef>
#include <cstdint>

#include "build_config.hpp"
#include "core/boot/dom0less.hpp"

namespace keel {

class Fdt;

// The scheduling policies a pool can run ("cpupool-sched", Xen's sched= names).
enum class SchedPolicy : uint8_t { Credit2, Rtds, Null, Arinc653, RoundRobin };
const char* sched_policy_name(SchedPolicy p);
/// Xen's scheduler name → policy: "credit2", "rtds", "null", "arinc653", keel's
/// "round-robin"; Xen 4.17's "credit" is run by the credit2-style policy (a note
/// says so). false for any other name.
bool sched_policy_from_name(const char* name, SchedPolicy& out, bool& substituted);

inline constexpr uint32_t kNoPool = ~uint32_t{0};
inline constexpr size_t kMaxCpupools = config::kMaxCpus;

struct CpupoolConfig {
    uint32_t pool_of_cpu[config::kMaxCpus] = {};  // logical CPU → pool id (kNoPool: not up)
    SchedPolicy policy[kMaxCpupools] = {};
    int node[kMaxCpupools] = {};  // the pool's DT node; -1 for the pool of unassigned CPUs
    size_t pool_count = 0;
    size_t cpu_count = 0;         // logical CPUs that are up

    /// Bit n set: logical CPU n belongs to `pool`.
    uint64_t cpus_of(uint32_t pool) const;
    /// The pool whose DT node is `node`, or kNoPool.
    uint32_t pool_of_node(int node) const;
};

/// Reads every /chosen "xen,cpupool" node. `cpu_mpidr[0..cpus)` are the MPIDRs
/// of the logical CPUs keel brought up (index = logical CPU, 0 = the boot CPU);
/// a pool names a CPU by its /cpus node's "reg". `fallback` is the policy of
/// pools without "cpupool-sched" (Xen's default scheduler). Without any pool
/// node every CPU is in pool 0. Bad pool nodes are left out with an error line:
/// no/empty "cpupool-cpus", a phandle to nothing or to a node without "reg", a
/// CPU keel did not bring up, a CPU already in an earlier pool, an unknown
/// scheduler, more pools than kMaxCpupools.
void parse_cpupools(const Fdt& fdt, const uint64_t* cpu_mpidr, size_t cpus, SchedPolicy fallback,
                    CpupoolConfig& out, Dom0lessDiagnostics& diag);

/// The pool of the domain whose DT node is `domain_node` ("domain-cpupool"):
/// 0 when absent; kNoPool with an error line naming `domain` when the property
/// is malformed, names no node, names a node that is not "xen,cpupool", or a
/// pool that was left out.
uint32_t domain_cpupool(const Fdt& fdt, const CpupoolConfig& pools, int domain_node,
                        const char* domain, Dom0lessDiagnostics& diag);

}  // namespace keel
