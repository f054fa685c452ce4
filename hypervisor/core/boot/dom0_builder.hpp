// SPDX-License-Identifier: MIT
//
// core/boot/dom0_builder.hpp
// Owns building and starting dom0 from the host device tree, as Xen 4.17's
// create_dom0()/construct_dom0() do (docs: xen-dom0-abi.md §1): domain 0,
// "Domain-0", privileged and direct-mapped; its RAM 1:1 from the domain pool
// (dom0_mem=); every host device keel does not keep mapped 1:1 with its SPIs
// routed as hardware-linked virtual interrupts; the vGIC at the host's
// addresses; the event-channel PPI (lowest free); the grant-table window over
// keel's own image (as Xen uses its .text); the dom0 DT from the host's; the
// kernel, DTB and initrd in bank 0; vCPU 0 at the kernel entry with x0 = the
// DTB, the other vCPUs waiting for PSCI CPU_ON. Without a dom0 kernel module it
// does nothing; a dom0 that cannot be built is one line
// "keel: d0: not created: <step>: <errno>" and keel carries on (the dom0less
// domUs still start). Target only (boot CPU); the decisions are pure
// (dom0_spec, p2m_direct, dom0_devices, dom0_dt, guest_layout).
#pragma once

namespace keel {

struct Domain;

/// Boot CPU, once, after sched_init() and before build_dom0less_domains():
/// builds dom0 and starts it (it runs once the CPUs enter the scheduler).
/// Returns dom0, or nullptr when there is none.
Domain* build_dom0();

}  // namespace keel
