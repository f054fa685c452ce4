// SPDX-License-Identifier: MIT
//
// core/boot/domain_builder_dt.hpp
// Owns the pure decisions of the dom0less domain builder: what it copies from
// the host device tree into every guest's (the first CPU node's "compatible"
// and "clock-frequency", as Xen 4.17 make_cpus_node() does; the timer's
// "clock-frequency"), the guest DT parameters for one DomainSpec, and the one
// summary line keel logs per domain. Pure; the builder itself
// (domain_builder.cpp) puts them to work on the target.
#pragma once
#include <cstddef>
#include <cstdint>

#include "core/boot/dom0less.hpp"
#include "core/boot/guest_dt.hpp"
#include "core/boot/guest_layout.hpp"

namespace keel {

class Fdt;
class FmtBuffer;

struct HostDtFacts {
    const void* cpu_compatible = nullptr;  // points into the host DTB; null when absent
    size_t cpu_compatible_len = 0;
    uint32_t cpu_clock_frequency = 0;      // 0 when absent
    uint32_t timer_clock_frequency = 0;    // 0 when absent
};

/// From the first /cpus child with device_type "cpu" and from BootInfo's timer.
/// A "compatible" that is not a NUL-terminated string list is left out.
HostDtFacts read_host_dt_facts(const Fdt& fdt, uint32_t timer_clock_frequency);

/// The guest DT for `spec` with RAM `ram` and the initrd at `initrd` (size 0:
/// none), as Xen writes it for a dom0less domU; `ipa_bits` is keel's stage-2
/// input size (extended regions under /hypervisor).
GuestDtParams dom0less_dt_params(const DomainSpec& spec, const GuestRamBanks& ram,
                                 GuestRange initrd, const HostDtFacts& host, unsigned ipa_bits);

/// "2 vCPUs, 256 MiB at 0x40000000, kernel 0x40000000, initrd 0x48200000, dtb 0x48000000"
/// (two banks: "4096 MiB at 0x40000000 + 0x200000000"; no initrd: "initrd none").
void format_domain_summary(FmtBuffer& out, const DomainSpec& spec, const GuestRamBanks& ram,
                           const GuestLoadPlan& plan);

}  // namespace keel
