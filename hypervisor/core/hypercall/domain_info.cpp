// SPDX-License-Identifier: MIT
//
// core/hypercall/domain_info.cpp
// Owns the getdomaininfo / getvcpuinfo records (see domain_info.hpp). Pure.
#include "core/hypercall/domain_info.hpp"

namespace keel {

xen::XenDomctlGetDomainInfo domain_info_record(const DomainFacts& d)
{
    xen::XenDomctlGetDomainInfo r{};
    r.domain = d.id;
    r.max_vcpu_id = xen::kInvalidMaxVcpuId;
    uint32_t vcpu_flags = xen::kDominfBlocked;
    const uint32_t n = d.vcpu_count < kHcMaxVcpus ? d.vcpu_count : kHcMaxVcpus;
    for (uint32_t i = 0; i < n; ++i) {
        const VcpuFacts& v = d.vcpu[i];
        r.cpu_time += v.cpu_time_ns;
        r.max_vcpu_id = i;
        if (!v.online) continue;
        if (!v.blocked) vcpu_flags &= ~xen::kDominfBlocked;
        if (v.running) vcpu_flags |= xen::kDominfRunning;
        ++r.nr_online_vcpus;
    }
    r.flags = (r.nr_online_vcpus != 0 ? vcpu_flags : 0) | (d.dying ? xen::kDominfDying : 0) |
              (d.shut_down ? xen::kDominfShutdown : 0) | (d.paused ? xen::kDominfPaused : 0) |
              xen::kDominfHvmGuest | xen::kDominfHap |
              uint32_t{d.shutdown_code} << xen::kDominfShutdownShift;
    r.tot_pages = d.tot_pages;
    r.max_pages = d.max_pages;
    r.shared_info_frame = d.shared_info_frame;
    for (uint32_t i = 0; i < xen::kXenDomainHandleBytes; ++i) r.handle[i] = d.handle[i];
    r.cpupool = 0;
    r.gpaddr_bits = d.gpaddr_bits;
    return r;
}

Result<xen::XenDomctlGetVcpuInfo> vcpu_info_record(const DomainFacts& d, uint32_t vcpu)
{
    if (vcpu >= d.vcpu_count || vcpu >= kHcMaxVcpus) return Errno::Inval;
    const VcpuFacts& v = d.vcpu[vcpu];
    xen::XenDomctlGetVcpuInfo r{};
    r.vcpu = vcpu;
    r.online = v.online ? 1 : 0;
    r.blocked = v.blocked ? 1 : 0;
    r.running = v.running ? 1 : 0;
    r.cpu_time = v.cpu_time_ns;
    r.cpu = v.cpu;
    return r;
}

}  // namespace keel
