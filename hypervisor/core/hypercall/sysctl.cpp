// SPDX-License-Identifier: MIT
//
// core/hypercall/sysctl.cpp
// Owns HYPERVISOR_sysctl(arg) (ABI §2.4): the 136-byte struct is copied in
// (-EFAULT), the common checks are ctl_route.hpp's, then physinfo, sched_id,
// getdomaininfolist (ascending domids from first_domain, up to max_domains
// records into the caller's buffer; a fault there is -EFAULT and nothing is
// copied back), cputopoinfo and numainfo (counts, or arrays), cpupool_op INFO/FREEINFO (host_info.hpp; the CPU bitmap
// written into the caller's buffer) and readconsole (the console ring). On
// success the whole struct is copied back, as Xen does. Target only.
#include <cstring>

#include "core/console/console_ring.hpp"
#include "core/domain/domain.hpp"
#include "core/domain/domain_ref.hpp"
#include "core/domain/domain_table.hpp"
#include "core/domain/vcpu.hpp"
#include "core/hypercall/ctl_facts.hpp"
#include "core/hypercall/ctl_route.hpp"
#include "core/hypercall/domain_info.hpp"
#include "core/hypercall/handlers.hpp"
#include "core/hypercall/host_info.hpp"
#include "core/memory/guest_virt.hpp"
#include "public/xen/sysctl.hpp"

namespace keel {
namespace {

template <typename T>
void put_member(xen::XenSysctl& op, const T& m)
{
    static_assert(sizeof(T) <= sizeof(op.u));
    std::memcpy(op.u, &m, sizeof m);
}

template <typename T>
T get_member(const xen::XenSysctl& op)
{
    T m{};
    std::memcpy(&m, op.u, sizeof m);
    return m;
}

Result<void> domain_info_list(Vcpu& v, xen::XenSysctlGetDomainInfoList& l)
{
    uint16_t ids[kMaxDomains];
    const size_t n = existing_domain_ids(ids, kMaxDomains);
    uint32_t done = 0;
    for (size_t i = 0; i < n && done < l.max_domains; ++i) {
        if (ids[i] < l.first_domain) continue;
        DomainRef d = domain_ref(ids[i]);
        if (!d) continue;  // ended meanwhile
        const xen::XenDomctlGetDomainInfo info = domain_info_record(domain_facts(*d));
        const uint64_t at = l.buffer + uint64_t{done} * sizeof info;
        KEEL_TRY(copy_to_guest(v, GuestVirtAddr{at}, info));
        ++done;
    }
    l.num_domains = done;
    return {};
}

// The pool's CPU bitmap into the caller's xenctl_bitmap, in chunks.
Result<void> write_cpumap(Vcpu& v, const xen::XenctlBitmap& map, bool all_cpus)
{
    const uint32_t bytes = KEEL_TRY(cpu_bitmap_bytes(map.nr_bits));
    const uint32_t nr_cpus = host_facts().nr_cpus;
    uint8_t chunk[64];
    for (uint32_t at = 0; at < bytes; at += sizeof chunk) {
        const uint32_t n = bytes - at < sizeof chunk ? bytes - at : static_cast<uint32_t>(sizeof chunk);
        cpu_bitmap_fill_range(chunk, at, n, nr_cpus, all_cpus);
        KEEL_TRY(copy_to_guest(v, GuestVirtAddr{map.bitmap + at}, chunk, n));
    }
    return {};
}

Result<void> cpupool_op(Vcpu& v, xen::XenSysctlCpupoolOp& c)
{
    uint16_t ids[kMaxDomains];
    const uint32_t nr_domains = static_cast<uint32_t>(existing_domain_ids(ids, kMaxDomains));
    KEEL_TRY(cpupool_info(c, nr_domains));
    // INFO: the pool's CPUs (all); FREEINFO: the CPUs in no pool (none).
    return write_cpumap(v, c.cpumap, static_cast<xen::CpupoolOp>(c.op) == xen::CpupoolOp::Info);
}

// Xen: with a NULL array only the count; else min(count, CPUs) entries.
Result<void> cpu_topology_info(Vcpu& v, xen::XenSysctlCputopoinfo& t)
{
    uint32_t n = host_facts().nr_cpus;
    if (t.cputopo != 0) {
        if (n > t.num_cpus) n = t.num_cpus;
        for (uint32_t i = 0; i < n; ++i) {
            const uint64_t at = t.cputopo + uint64_t{i} * sizeof(xen::XenSysctlCputopo);
            KEEL_TRY(copy_to_guest(v, GuestVirtAddr{at}, cpu_topology(i)));
        }
    }
    t.num_cpus = n;
    return {};
}

// Xen: with both arrays NULL only the count; else min(count, nodes) rows.
Result<void> numa_info(Vcpu& v, xen::XenSysctlNumainfo& ni)
{
    uint32_t n = kNrNodes;
    if (ni.meminfo != 0 || ni.distance != 0) {
        if (n > ni.num_nodes) n = ni.num_nodes;
        const HostFacts h = host_facts();
        for (uint32_t i = 0; i < n; ++i) {
            if (ni.meminfo != 0) {
                const uint64_t at = ni.meminfo + uint64_t{i} * sizeof(xen::XenSysctlMeminfo);
                KEEL_TRY(copy_to_guest(v, GuestVirtAddr{at}, node_meminfo(h)));
            }
            if (ni.distance != 0) {
                for (uint32_t j = 0; j < n; ++j) {
                    const uint64_t at = ni.distance + (uint64_t{i} * n + j) * sizeof(uint32_t);
                    KEEL_TRY(copy_to_guest(v, GuestVirtAddr{at}, kNodeDistance));
                }
            }
        }
    }
    ni.num_nodes = n;
    return {};
}

struct ConsoleSink {
    Vcpu* v;
    uint64_t buffer;
};

bool console_sink(void* ctx, uint32_t offset, const char* bytes, uint32_t len)
{
    auto* s = static_cast<ConsoleSink*>(ctx);
    return copy_to_guest(*s->v, GuestVirtAddr{s->buffer + offset}, bytes, len).ok();
}

Result<void> read_console(Vcpu& v, xen::XenSysctlReadConsole& r)
{
    ConsoleSink sink{&v, r.buffer};
    const ConsoleRing::ReadResult got = KEEL_TRY(
        console_ring().read(r.clear != 0, r.incremental != 0, r.index, r.count, console_sink, &sink));
    r.count = got.count;
    r.index = got.index;
    return {};
}

template <typename T>
Result<void> with_member(xen::XenSysctl& op, Result<void> (*fn)(Vcpu&, T&), Vcpu& v)
{
    T m = get_member<T>(op);
    KEEL_TRY(fn(v, m));
    put_member(op, m);
    return {};
}

}  // namespace

long do_sysctl(Vcpu& v, HypercallArgs& a)
{
    const GuestVirtAddr arg{a.arg[0]};
    xen::XenSysctl op{};
    if (!copy_from_guest(v, op, arg).ok()) return hc_error(Errno::Fault);
    const Result<SysctlAction> action = route_sysctl(op, v.domain->privileged);
    if (!action.ok()) return hc_error(action.error());

    Result<void> r{};
    switch (action.value()) {
    case SysctlAction::Physinfo: put_member(op, physinfo_record(host_facts())); break;
    case SysctlAction::SchedId: put_member(op, xen::XenSysctlSchedId{kReportedSchedulerId}); break;
    case SysctlAction::GetDomainInfoList: r = with_member(op, domain_info_list, v); break;
    case SysctlAction::Cputopoinfo: r = with_member(op, cpu_topology_info, v); break;
    case SysctlAction::Numainfo: r = with_member(op, numa_info, v); break;
    case SysctlAction::CpupoolOp: r = with_member(op, cpupool_op, v); break;
    case SysctlAction::ReadConsole: r = with_member(op, read_console, v); break;
    }
    if (!r.ok()) return hc_error(r.error());
    return copy_to_guest(v, arg, op).ok() ? 0 : hc_error(Errno::Fault);
}

}  // namespace keel
