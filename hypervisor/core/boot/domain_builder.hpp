// SPDX-License-Identifier: MIT
//
// core/boot/domain_builder.hpp
// Owns turning the dom0less configuration into running domains: the host DT's
// /chosen xen,domain nodes → DomainSpecs (core/boot/dom0less), then for each
// valid one a Domain with its vCPUs, its RAM in stage 2, its emulated GICv3 and
// vPL011, the kernel, initrd and guest DT loaded where Xen 4.17 puts them, and
// vCPU 0 made runnable at the kernel entry with x0 = the DTB's IPA. A domain
// that cannot be built is logged and left out; the others are still built.
// Target only (boot CPU); the decisions are pure (dom0less, guest_layout,
// guest_dt, domain_builder_dt).
#pragma once
#include <cstddef>

namespace keel {

/// Boot CPU, once, after bring-up (memory, GIC, secondaries, sched_init) and
/// before the CPUs enter the scheduler. Returns how many domains were started.
size_t build_dom0less_domains();

}  // namespace keel
