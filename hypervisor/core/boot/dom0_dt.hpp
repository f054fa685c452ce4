// SPDX-License-Identifier: MIT
//
// core/boot/dom0_dt.hpp
// Owns build_dom0_dt(): dom0's device tree, made from the host's as Xen 4.17
// prepare_dtb_hwdom() / handle_node() writes it (xen/arch/arm/domain_build.c):
// every node dom0 gets copied with its properties (dom0_node_action decides),
// the primary GIC and the timer rewritten, /chosen filtered (bootargs and the
// initrd given here, no stdout-path), then /hypervisor, /psci, /cpus and
// /memory appended. Pure: writes into the caller's buffer.
#pragma once
#include <cstddef>
#include <cstdint>

#include "core/boot/boot_info.hpp"
#include "core/boot/dom0_devices.hpp"
#include "lib/addr.hpp"
#include "lib/fdt.hpp"
#include "lib/result.hpp"

namespace keel {

inline constexpr size_t kDom0MaxRamBanks = kMaxMemoryBanks;
inline constexpr uint32_t kDom0MaxVcpus = 128;  // Xen MAX_VIRT_CPUS on arm64
// Room beyond the host blob's size that the nodes keel adds can need (128
// vCPUs, every optional node); add the bootargs length to it.
inline constexpr size_t kDom0DtSlack = 64 * 1024;

struct Dom0DtParams {
    uint32_t vcpus = 1;                 // 1..kDom0MaxVcpus
    PhysRange ram[kDom0MaxRamBanks];    // dom0's banks (IPA == PA), in address order
    size_t ram_count = 0;               // 1..kDom0MaxRamBanks
    const char* bootargs = nullptr;     // /chosen "bootargs"; omitted when null
    PhysRange initrd;                   // /chosen linux,initrd-start/-end (8 bytes each); size 0: none
    PhysRange gnttab;                   // /hypervisor reg[0]: the grant-table window (size != 0)
    uint32_t evtchn_ppi = 16;           // INTID 16..31 (dom0_evtchn_ppi())
    Dom0DeviceFilter filter;            // what keel keeps (its console UART)
    uint32_t xen_major = 4;             // "xen,xen-<major>.<minor>"
    uint32_t xen_minor = 17;
};

/// What capacity is always enough for dom0's tree.
size_t dom0_dt_capacity(const Fdt& host, const Dom0DtParams& p);

/// Writes dom0's DTB; returns its size. Errno::Inval for bad parameters or a
/// host tree that does not check, whose root cells are not 1 or 2, or whose
/// GIC / timer are unusable; Errno::Range when a bank or the grant window does
/// not fit the root's 1-cell addresses; Errno::TooBig for more than 16 host
/// /reserved-memory ranges; Errno::NoSpc when `capacity` is too small (nothing
/// is written past it). `diag`, when given, says why. Nodes are kept or left
/// out exactly as collect_dom0_devices() decided with the same `p.filter`.
Result<size_t> build_dom0_dt(const Fdt& host, const Dom0DtParams& p, void* buf, size_t capacity,
                             DtDiagnostic* diag = nullptr);

}  // namespace keel
