// SPDX-License-Identifier: MIT
//
// core/hypercall/domain_info.hpp
// Owns what the toolstack reads about a domain (XEN_DOMCTL_getdomaininfo,
// XEN_SYSCTL_getdomaininfolist's entries, XEN_DOMCTL_getvcpuinfo) computed the
// way Xen 4.17 does (common/domctl.c getdomaininfo, arch/arm/domctl.c
// arch_get_domain_info; ABI §2.3): from a snapshot of the domain's state the
// target side takes (domain_facts.cpp). Pure.
#pragma once
#include <cstdint>

#include "core/hypercall/hc_domain.hpp"
#include "lib/result.hpp"
#include "public/xen/domctl.hpp"

namespace keel {

struct VcpuFacts {
    bool online = false;   // started and not ended (Xen: !VPF_down)
    bool blocked = false;  // waiting for an event (VPF_blocked)
    bool running = false;  // on a physical CPU now
    uint64_t cpu_time_ns = 0;  // time spent running
    uint32_t cpu = 0;          // the physical CPU it runs or last ran on
};

struct DomainFacts {
    uint16_t id = 0;
    bool dying = false;      // destroyed, being released (Xen: DOMDYING_dead)
    bool shut_down = false;  // SCHEDOP_shutdown / crash: its vCPUs are stopped
    uint8_t shutdown_code = kShutdownCodeInvalid;  // Xen's d->shutdown_code (0xff until one)
    bool paused = false;     // paused by the controller
    uint32_t vcpu_count = 0;
    VcpuFacts vcpu[kHcMaxVcpus];
    uint64_t tot_pages = 0;
    uint64_t max_pages = 0;
    uint64_t shared_info_frame = 0;  // on Arm the machine frame of shared_info
    uint8_t handle[xen::kXenDomainHandleBytes] = {};
    uint8_t gpaddr_bits = 0;         // stage-2 IPA size
};

/// The getdomaininfo record: every field as Xen 4.17 Arm fills it (hvm and hap
/// on every Arm domain, blocked only when every online vCPU is, running when
/// one is, neither without an online vCPU; cpupool 0; ssidref 0 without XSM;
/// arch_config left zero, as Xen 4.17's arch_get_domain_info leaves it).
xen::XenDomctlGetDomainInfo domain_info_record(const DomainFacts& d);

/// getvcpuinfo for vCPU `vcpu` (in: the caller's record, vcpu filled): Inval
/// at or beyond the domain's vCPU count (keel allocates every vCPU at creation,
/// so Xen's -ESRCH for an unallocated one never happens).
Result<xen::XenDomctlGetVcpuInfo> vcpu_info_record(const DomainFacts& d, uint32_t vcpu);

}  // namespace keel
