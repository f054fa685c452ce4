// SPDX-License-Identifier: MIT
//
// core/boot/dt_boot_info.hpp
// Owns the translation of the host device tree into BootInfo (memory, reserved
// ranges, CPUs, GICv3, timer, PSCI, console UART, command line, boot modules)
// and the one-line diagnostic that says what is wrong with a tree keel cannot
// boot from. Pure: runs on the target with the MMU off and in the host tests.
// Bindings: Linux Documentation/devicetree/bindings (arm/cpus, arm/arch_timer,
// arm/psci, interrupt-controller/arm,gic-v3, reserved-memory) and Xen's
// docs/misc/arm/device-tree/booting.txt (multiboot modules, xen,domain).
#pragma once
#include <cstddef>

#include "core/boot/boot_info.hpp"
#include "lib/fdt.hpp"
#include "lib/result.hpp"

namespace keel {

class FmtBuffer;

inline constexpr size_t kDtDiagnosticMax = 200;

// One human-readable line (no '\n') naming what is wrong and where, e.g.
// "device tree: memory banks overlap: [0x40000000,0x60000000) and [0x50000000,0x70000000)".
struct DtDiagnostic {
    char text[kDtDiagnosticMax] = {};
    const char* message() const { return text; }
    bool empty() const { return text[0] == '\0'; }
};

/// Validates the blob (Fdt::check); on failure `diag` says why, e.g.
/// "device tree: bad magic 0x12345678 (expected 0xd00dfeed)".
Result<void> check_device_tree(const void* blob, size_t available, DtDiagnostic& diag);

/// The console UART named by /chosen "stdout-path" (or "linux,stdout-path"):
/// options after ':' are ignored, aliases are followed, and the node must be
/// "arm,pl011" with a "reg". false when there is none; `why` then says so.
/// `node`, when given, receives the UART's node offset.
bool find_stdout_uart(const Fdt& fdt, PhysRange& uart, const char*& path, DtDiagnostic& why,
                      int* node = nullptr);

/// Fills `out` from the tree (checked again here, so any blob is safe to pass).
/// `dtb_base` is where the blob lives; it becomes out.dtb. On error `diag`
/// holds the one line to print and `out` is incomplete.
Result<void> parse_boot_info(const Fdt& fdt, PhysAddr dtb_base, BootInfo& out, DtDiagnostic& diag);

/// Appends node's full path ("/cpus/cpu@0"; "/" for the root).
void append_node_path(const Fdt& fdt, int node, FmtBuffer& out);

/// Line `index` of a short human summary of `info` (memory, CPUs, GIC, timer,
/// PSCI, UART, command line, modules); false when there is no such line.
bool format_boot_info_line(const BootInfo& info, size_t index, FmtBuffer& out);

}  // namespace keel
