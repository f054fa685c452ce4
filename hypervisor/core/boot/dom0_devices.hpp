// SPDX-License-Identifier: MIT
//
// core/boot/dom0_devices.hpp
// Owns the decision which host devices dom0 gets, as Xen 4.17 handle_node()
// and handle_device() take it (xen/arch/arm/domain_build.c): per host DT node
// an action (copied, copied disabled for xen,passthrough, left out with its
// children, or replaced by keel's GIC / timer node), and for the copied nodes
// the MMIO ranges (host physical, page-rounded: mapped 1:1) and the SPIs
// (routed 1:1, with their trigger) dom0 is given, plus the PPIs already in use
// so the caller can pick dom0's event-channel PPI. A node keel cannot read (bad
// cells, "ranges", phandles) is left out with one log line; only an unusable
// GIC or timer, or more devices than the arrays hold, fails the whole step.
// Pure: the host tests and fuzzers run it; build_dom0_dt() applies the same
// per-node rules (dom0_node_action) so the DT and the mappings agree.
#pragma once
#include <cstddef>
#include <cstdint>

#include "core/boot/dt_boot_info.hpp"
#include "lib/addr.hpp"
#include "lib/fdt.hpp"
#include "lib/result.hpp"

namespace keel {

inline constexpr size_t kDom0MaxMmio = 128;
inline constexpr size_t kDom0MaxIrqs = 288;
inline constexpr uint32_t kDom0FirstPpi = 16;  // GIC: PPIs are INTIDs 16..31
inline constexpr uint32_t kDom0FirstSpi = 32;  // SPIs from INTID 32

// One SPI given to dom0: INTID (virtual == physical) and trigger from the DT
// flags cell (edge for 1/2, level for 4/8 and anything else).
struct Dom0Irq {
    uint32_t intid = 0;
    bool edge = false;
};

struct Dom0Devices {
    PhysRange mmio[kDom0MaxMmio];  // page-aligned base and size, in DT order
    size_t mmio_count = 0;
    Dom0Irq irq[kDom0MaxIrqs];     // each SPI once, in DT order
    size_t irq_count = 0;
    uint32_t ppis_used = 0;        // bit n: INTID 16 + n is taken (the host timer's four)
    size_t nodes_copied = 0;       // nodes copied into dom0's DT (root and /chosen included)
    size_t nodes_dropped = 0;      // nodes left out because keel could not read them
};

// What keel keeps for itself beyond the GIC and the timer.
struct Dom0DeviceFilter {
    PhysAddr keel_uart{};  // MMIO base of keel's console UART (BootInfo::uart.base); 0: none
};

// What a host node becomes in dom0's device tree.
enum class Dom0NodeAction : uint8_t {
    Copy,          // copied with its properties; its MMIO/SPIs go to dom0; children visited
    Passthrough,   // "xen,passthrough": copied with status "disabled", nothing mapped/routed
    Skip,          // left out with all its children
    ReplaceGic,    // the primary GIC: keel writes its own node here
    ReplaceTimer,  // the architected timer: keel writes its own node here
};
const char* dom0_node_action_name(Dom0NodeAction a);

// Nodes nested deeper than this are left out (keel's DT writer nests 32).
inline constexpr int kDom0MaxDepth = 16;
inline constexpr size_t kDom0MaxKept = 8;

// The host nodes the rules refer to, found once.
struct Dom0Host {
    int gic = -1;                // the primary "arm,gic-v3" (enabled)
    uint32_t gic_phandle = 0;    // its phandle; a free one when it has none
    bool gic_phandle_new = false;
    uint32_t gic_cells = 3;      // its #interrupt-cells (3 or 4)
    uint32_t gic_redist_regions = 1;  // its #redistributor-regions (reg has GICD + these)
    int timer = -1;              // the first enabled "arm,armv8-timer" / "arm,armv7-timer"
    uint32_t timer_ppi[4] = {};  // INTIDs: secure phys, non-secure phys, virt, hyp
    PhysAddr keel_uart{};
    PhysRange kept[kDom0MaxKept];  // MMIO keel keeps (GIC reg, its UART): no dom0 range may overlap
    size_t kept_count = 0;
};

// Where per-device warnings go (one line each, no '\n'), e.g.
// "dom0: /virtio_mmio@a000000 left out: \"reg\" is 12 bytes, not a multiple of 16".
// A null `line` drops them.
struct Dom0Log {
    void (*line)(void* ctx, const char* text) = nullptr;
    void* ctx = nullptr;
};

/// Finds the primary GIC and the timer and reads the timer's PPIs. Errors
/// (no GICv3, bad #interrupt-cells, timer missing or without 4 PPIs) are fatal.
Result<Dom0Host> find_dom0_host(const Fdt& host, const Dom0DeviceFilter& filter,
                                DtDiagnostic& diag);

/// The action for `node` under Xen's rules (its ancestors are assumed copied).
/// Checks the node fully (reg translation, interrupts, PCI ranges and
/// interrupt-map): a node keel cannot read gives Errno::Inval with the reason
/// in `why` (the node is to be left out with its children). `why` may also
/// hold a line to log for a Skip (a host node at a path keel writes itself);
/// it is empty otherwise. When `out` is given and the action is Copy, the
/// node's MMIO and SPIs are added to it; Errno::NoSpc if they do not fit (then
/// `out` is unchanged for this node).
Result<Dom0NodeAction> dom0_node_action(const Fdt& host, int node, const Dom0Host& h,
                                        Dom0Devices* out, DtDiagnostic& why);

/// Walks the whole host tree: fills `out` (cleared first). Fails with `diag`
/// set when the GIC or timer are unusable (find_dom0_host) or when the MMIO or
/// IRQ arrays overflow (Errno::NoSpc); a defective device is left out and
/// reported through `log`.
Result<void> collect_dom0_devices(const Fdt& host, const Dom0DeviceFilter& filter,
                                  Dom0Devices& out, DtDiagnostic& diag, Dom0Log log = {});

/// The node after `node`'s subtree in document order (-1 at the end); `depth`
/// is node's on entry and the returned node's on return (as Fdt::next_node).
int dom0_skip_subtree(const Fdt& host, int node, int& depth);

/// Xen 4.17 evtchn_allocate(): the lowest PPI INTID >= 16 not in
/// devices.ppis_used (16 on QEMU virt); 0 when all are taken.
uint32_t dom0_evtchn_ppi(const Dom0Devices& devices);

}  // namespace keel
