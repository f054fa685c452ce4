// SPDX-License-Identifier: MIT
//
// core/sched/cpupool_config.cpp
// Owns reading Xen's boot-time cpupool binding (see cpupool_config.hpp): pool
// nodes checked one by one and taken whole or not at all, then Xen's numbering
// (the unassigned CPUs' pool, the boot CPU's pool as pool 0).
#include "core/sched/cpupool_config.hpp"

#include "lib/cstr.hpp"
#include "lib/fdt.hpp"

namespace keel {
namespace {

struct PolicyName {
    const char* name;
    SchedPolicy policy;
    bool substituted;
};

constexpr PolicyName kPolicyNames[] = {
    {"credit2", SchedPolicy::Credit2, false},   {"rtds", SchedPolicy::Rtds, false},
    {"null", SchedPolicy::Null, false},         {"arinc653", SchedPolicy::Arinc653, false},
    {"round-robin", SchedPolicy::RoundRobin, false}, {"credit", SchedPolicy::Credit2, true},
};

// The logical CPU whose MPIDR is `mpidr`, or `cpus` when none is.
size_t logical_cpu(const uint64_t* cpu_mpidr, size_t cpus, uint64_t mpidr)
{
    for (size_t i = 0; i < cpus; ++i)
        if (cpu_mpidr[i] == mpidr) return i;
    return cpus;
}

// A property that is one NUL-terminated string; nullptr otherwise.
const char* string_property(const FdtProperty& p)
{
    if (p.len == 0 || p.data[p.len - 1] != '\0') return nullptr;
    return reinterpret_cast<const char*>(p.data);
}

// Checks one pool node; fills `cpus` (bit = logical CPU) and `policy`. false
// (with an error line) when the node is bad. `taken`: CPUs of earlier pools.
bool read_pool(const Fdt& fdt, int node, const uint64_t* cpu_mpidr, size_t cpus,
               SchedPolicy fallback, uint64_t taken, uint64_t& members, SchedPolicy& policy,
               Dom0lessDiagnostics& diag)
{
    const char* name = fdt.node_name(node);
    policy = fallback;
    FdtProperty p;
    if (fdt.property(node, "cpupool-sched", p)) {
        const char* sched = string_property(p);
        bool substituted = false;
        if (sched == nullptr) {
            diag.error("cpupool: {}: cpupool-sched: not a string", name);
            return false;
        }
        if (!sched_policy_from_name(sched, policy, substituted)) {
            diag.error("cpupool: {}: cpupool-sched \"{}\": unknown scheduler", name, sched);
            return false;
        }
        if (substituted)
            diag.note("cpupool: {}: cpupool-sched \"{}\": run by keel's {} policy", name, sched,
                      sched_policy_name(policy));
    }
    if (!fdt.property(node, "cpupool-cpus", p) || p.len == 0) {
        diag.error("cpupool: {}: cpupool-cpus: missing or empty", name);
        return false;
    }
    if (p.len % 4 != 0) {
        diag.error("cpupool: {}: cpupool-cpus: {} bytes, not a list of phandles", name, p.len);
        return false;
    }
    members = 0;
    for (size_t i = 0; i < p.len / 4; ++i) {
        const uint32_t phandle = p.u32_at(i);
        const int cpu_node = fdt.node_by_phandle(phandle);
        if (cpu_node < 0) {
            diag.error("cpupool: {}: cpupool-cpus: phandle {:#x} names no node", name, phandle);
            return false;
        }
        uint64_t mpidr = 0, size = 0;
        if (!fdt.reg(cpu_node, 0, mpidr, size)) {
            diag.error("cpupool: {}: cpupool-cpus: {} has no usable reg", name,
                       fdt.node_name(cpu_node));
            return false;
        }
        const size_t cpu = logical_cpu(cpu_mpidr, cpus, mpidr);
        if (cpu >= cpus || cpu >= 64) {
            diag.error("cpupool: {}: cpupool-cpus: {} (MPIDR {:#x}) is not a CPU keel runs",
                       name, fdt.node_name(cpu_node), mpidr);
            return false;
        }
        const uint64_t bit = uint64_t{1} << cpu;
        if (((taken | members) & bit) != 0) {
            diag.error("cpupool: {}: cpupool-cpus: CPU {} is already in a cpupool", name, cpu);
            return false;
        }
        members |= bit;
    }
    return true;
}

}  // namespace

const char* sched_policy_name(SchedPolicy p)
{
    switch (p) {
    case SchedPolicy::Credit2: return "credit2";
    case SchedPolicy::Rtds: return "rtds";
    case SchedPolicy::Null: return "null";
    case SchedPolicy::Arinc653: return "arinc653";
    case SchedPolicy::RoundRobin: return "round-robin";
    }
    return "?";
}

bool sched_policy_from_name(const char* name, SchedPolicy& out, bool& substituted)
{
    for (const PolicyName& n : kPolicyNames) {
        if (cstr_eq(name, n.name)) {
            out = n.policy;
            substituted = n.substituted;
            return true;
        }
    }
    return false;
}

uint64_t CpupoolConfig::cpus_of(uint32_t pool) const
{
    uint64_t mask = 0;
    for (size_t cpu = 0; cpu < cpu_count && cpu < 64; ++cpu)
        if (pool_of_cpu[cpu] == pool) mask |= uint64_t{1} << cpu;
    return mask;
}

uint32_t CpupoolConfig::pool_of_node(int n) const
{
    if (n < 0) return kNoPool;
    for (size_t i = 0; i < pool_count; ++i)
        if (node[i] == n) return static_cast<uint32_t>(i);
    return kNoPool;
}

void parse_cpupools(const Fdt& fdt, const uint64_t* cpu_mpidr, size_t cpus, SchedPolicy fallback,
                    CpupoolConfig& out, Dom0lessDiagnostics& diag)
{
    out = CpupoolConfig{};
    if (cpus > config::kMaxCpus) cpus = config::kMaxCpus;
    out.cpu_count = cpus;
    for (size_t i = 0; i < config::kMaxCpus; ++i) out.pool_of_cpu[i] = kNoPool;

    uint64_t taken = 0;
    const int chosen = fdt.path_offset("/chosen");
    for (int n = chosen >= 0 ? fdt.first_child(chosen) : -1; n >= 0; n = fdt.next_sibling(n)) {
        if (!fdt.is_compatible(n, "xen,cpupool")) continue;
        uint64_t members = 0;
        SchedPolicy policy = fallback;
        if (!read_pool(fdt, n, cpu_mpidr, cpus, fallback, taken, members, policy, diag)) continue;
        if (out.pool_count == kMaxCpupools) {
            diag.error("cpupool: {}: more than {} cpupools", fdt.node_name(n), kMaxCpupools);
            continue;
        }
        const auto id = static_cast<uint32_t>(out.pool_count++);
        out.policy[id] = policy;
        out.node[id] = n;
        for (size_t cpu = 0; cpu < cpus; ++cpu)
            if ((members >> cpu) & 1) out.pool_of_cpu[cpu] = id;
        taken |= members;
    }

    // CPUs no pool names: one more pool (pool 0 when there is no pool node).
    bool unassigned = false;
    for (size_t cpu = 0; cpu < cpus; ++cpu) unassigned |= out.pool_of_cpu[cpu] == kNoPool;
    if (unassigned) {
        const auto id = static_cast<uint32_t>(out.pool_count++);
        out.policy[id] = fallback;
        out.node[id] = -1;
        for (size_t cpu = 0; cpu < cpus; ++cpu)
            if (out.pool_of_cpu[cpu] == kNoPool) out.pool_of_cpu[cpu] = id;
    }

    // The boot CPU's pool is pool 0 (Xen swaps the two ids).
    const uint32_t boot = cpus != 0 ? out.pool_of_cpu[0] : 0;
    if (boot != 0 && boot != kNoPool) {
        for (size_t cpu = 0; cpu < cpus; ++cpu) {
            if (out.pool_of_cpu[cpu] == boot) out.pool_of_cpu[cpu] = 0;
            else if (out.pool_of_cpu[cpu] == 0) out.pool_of_cpu[cpu] = boot;
        }
        const SchedPolicy p = out.policy[0];
        out.policy[0] = out.policy[boot];
        out.policy[boot] = p;
        const int nd = out.node[0];
        out.node[0] = out.node[boot];
        out.node[boot] = nd;
    }
}

uint32_t domain_cpupool(const Fdt& fdt, const CpupoolConfig& pools, int domain_node,
                        const char* domain, Dom0lessDiagnostics& diag)
{
    FdtProperty p;
    if (!fdt.property(domain_node, "domain-cpupool", p)) return 0;
    if (p.len != 4) {
        diag.error("dom0less: {}: domain-cpupool: {} bytes, not one phandle", domain, p.len);
        return kNoPool;
    }
    const uint32_t phandle = p.u32_at(0);
    const int node = fdt.node_by_phandle(phandle);
    if (node < 0) {
        diag.error("dom0less: {}: domain-cpupool: phandle {:#x} names no node", domain, phandle);
        return kNoPool;
    }
    if (!fdt.is_compatible(node, "xen,cpupool")) {
        diag.error("dom0less: {}: domain-cpupool: {} is not a xen,cpupool node", domain,
                   fdt.node_name(node));
        return kNoPool;
    }
    const uint32_t pool = pools.pool_of_node(node);
    if (pool == kNoPool)
        diag.error("dom0less: {}: domain-cpupool: cpupool {} was left out (see above)", domain,
                   fdt.node_name(node));
    return pool;
}

}  // namespace keel
