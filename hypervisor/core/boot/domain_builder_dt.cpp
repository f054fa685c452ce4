// SPDX-License-Identifier: MIT
//
// core/boot/domain_builder_dt.cpp
// Owns reading the host facts a guest DT copies and filling GuestDtParams.
#include "core/boot/domain_builder_dt.hpp"

#include "lib/fdt.hpp"
#include "lib/fmt.hpp"

namespace keel {

namespace {

// A non-empty list of NUL-terminated strings (what build_guest_dt requires).
bool is_string_list(const FdtProperty& p)
{
    return p.len != 0 && p.data != nullptr && p.data[p.len - 1] == '\0' && p.data[0] != '\0';
}

bool is_cpu_node(const Fdt& fdt, int node)
{
    FdtProperty type;
    const char* t = fdt.property(node, "device_type", type) ? type.as_string() : nullptr;
    return t != nullptr && t[0] == 'c' && t[1] == 'p' && t[2] == 'u' && t[3] == '\0';
}

}  // namespace

HostDtFacts read_host_dt_facts(const Fdt& fdt, uint32_t timer_clock_frequency)
{
    HostDtFacts facts;
    facts.timer_clock_frequency = timer_clock_frequency;
    const int cpus = fdt.path_offset("/cpus");
    if (cpus < 0) return facts;
    for (int node = fdt.first_child(cpus); node >= 0; node = fdt.next_sibling(node)) {
        if (!is_cpu_node(fdt, node)) continue;
        FdtProperty p;
        if (fdt.property(node, "compatible", p) && is_string_list(p)) {
            facts.cpu_compatible = p.data;
            facts.cpu_compatible_len = p.len;
        }
        if (fdt.property(node, "clock-frequency", p) && p.len == 4)
            facts.cpu_clock_frequency = p.u32_at(0);
        break;  // Xen: the first CPU node only
    }
    return facts;
}

static_assert(kGuestDtMaxShm >= kMaxStaticShms, "every shared region of a domain is in its DT");

GuestDtParams dom0less_dt_params(const DomainSpec& spec, const GuestRamBanks& ram,
                                 GuestRange initrd, const HostDtFacts& host, unsigned ipa_bits)
{
    GuestDtParams p;
    p.vcpus = spec.vcpus;
    p.ram = ram;
    p.bootargs = spec.bootargs;
    p.initrd = initrd;
    p.vpl011 = spec.vpl011;
    p.xen_enhanced = spec.enhanced != XenEnhanced::Disabled;
    p.timer_clock_frequency = host.timer_clock_frequency;
    p.cpu_compatible = host.cpu_compatible;
    p.cpu_compatible_len = host.cpu_compatible_len;
    p.cpu_clock_frequency = host.cpu_clock_frequency;
    p.ipa_bits = ipa_bits;
    for (uint32_t i = 0; i < spec.shm_count && p.shm_count < kGuestDtMaxShm; ++i)
        p.shm[p.shm_count++] = GuestShmRegion{GuestRange{spec.shm[i].guest, spec.shm[i].host.size},
                                              spec.shm[i].id};
    return p;
}

void format_domain_summary(FmtBuffer& out, const DomainSpec& spec, const GuestRamBanks& ram,
                           const GuestLoadPlan& plan)
{
    format_to(out, "{} vCPU{}, {} MiB at {:#x}", spec.vcpus, spec.vcpus == 1 ? "" : "s",
              ram.total() >> 20, ram.bank[0].base.raw());
    for (size_t i = 1; i < ram.count; ++i) format_to(out, " + {:#x}", ram.bank[i].base.raw());
    format_to(out, ", kernel {:#x}, initrd ", plan.kernel.base.raw());
    if (plan.initrd.size != 0) {
        format_to(out, "{:#x}", plan.initrd.base.raw());
    } else {
        format_to(out, "none");
    }
    format_to(out, ", dtb {:#x}", plan.dtb.base.raw());
}

}  // namespace keel
