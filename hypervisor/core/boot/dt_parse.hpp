// SPDX-License-Identifier: MIT
//
// core/boot/dt_parse.hpp
// Owns what the dt_*.cpp parsers share and nobody else needs: the diagnostic
// writer, a printable node path, the "status" rule, and the per-part parse
// steps parse_boot_info() calls in order. Internal to core/boot/.
#pragma once
#include "core/boot/dt_boot_info.hpp"
#include "lib/fmt.hpp"

namespace keel::dt {

// Replaces diag with "device tree: <formatted>" and returns `e` for the caller to return.
template <typename... Args>
Errno fail(DtDiagnostic& diag, Errno e, const char* fmt, const Args&... args)
{
    FmtBuffer b{diag.text, sizeof diag.text};
    b.put("device tree: ");
    format_to(b, fmt, args...);
    return e;
}

// A node's full path as text, for messages.
struct NodePath {
    char text[96];
    NodePath(const Fdt& fdt, int node)
    {
        FmtBuffer b{text, sizeof text};
        append_node_path(fdt, node, b);
    }
    const char* c_str() const { return text; }
};

// Devicetree spec, "status": a node without it, or with "okay" ("ok" in old trees), is in use.
bool node_enabled(const Fdt& fdt, int node);
// The first enabled node compatible with `compat`, or -1.
int find_enabled_compatible(const Fdt& fdt, const char* compat);
// True when the string property `name` of node equals `value`.
bool string_property_is(const Fdt& fdt, int node, const char* name, const char* value);
// The first "interrupts" entry of `node` as a GIC INTID; 0 when absent or not an SPI/PPI.
uint32_t first_gic_intid(const Fdt& fdt, int node);
// base + size must not wrap past the end of the 64-bit address space.
inline bool range_wraps(uint64_t base, uint64_t size) { return size > ~base; }

Result<void> parse_memory(const Fdt& fdt, BootInfo& out, DtDiagnostic& diag);
Result<void> parse_reserved(const Fdt& fdt, BootInfo& out, DtDiagnostic& diag);
Result<void> parse_cpus(const Fdt& fdt, BootInfo& out, DtDiagnostic& diag);
Result<void> parse_gic(const Fdt& fdt, BootInfo& out, DtDiagnostic& diag);
Result<void> parse_timer(const Fdt& fdt, BootInfo& out, DtDiagnostic& diag);
Result<void> parse_psci(const Fdt& fdt, BootInfo& out, DtDiagnostic& diag);
Result<void> parse_chosen(const Fdt& fdt, BootInfo& out, DtDiagnostic& diag);

}  // namespace keel::dt
