// SPDX-License-Identifier: MIT
//
// core/boot/dt_boot_info.cpp
// Owns parse_boot_info's order of steps and the RAM-shaped parts of BootInfo:
// memory banks (every device_type = "memory" node, sorted, overlap-checked),
// reserved ranges (/memreserve/ and /reserved-memory children) and the CPU list
// (/cpus children with device_type = "cpu"). Devices are dt_devices.cpp's,
// /chosen is dt_chosen.cpp's.
#include "core/boot/dt_boot_info.hpp"

#include "core/boot/dt_parse.hpp"
#include "lib/cstr.hpp"

namespace keel {

namespace dt {

bool node_enabled(const Fdt& fdt, int node)
{
    FdtProperty p;
    if (!fdt.property(node, "status", p)) return true;
    const char* s = p.as_string();
    return s != nullptr && (cstr_eq(s, "okay") || cstr_eq(s, "ok"));
}

int find_enabled_compatible(const Fdt& fdt, const char* compat)
{
    for (int n = fdt.first_compatible(compat); n >= 0; n = fdt.first_compatible(compat, n))
        if (node_enabled(fdt, n)) return n;
    return -1;
}

bool string_property_is(const Fdt& fdt, int node, const char* name, const char* value)
{
    FdtProperty p;
    if (!fdt.property(node, name, p)) return false;
    const char* s = p.as_string();
    return s != nullptr && cstr_eq(s, value);
}

Result<void> parse_memory(const Fdt& fdt, BootInfo& out, DtDiagnostic& diag)
{
    for (int n = fdt.root(); n >= 0; n = fdt.next_node(n, nullptr)) {
        if (!string_property_is(fdt, n, "device_type", "memory") || !node_enabled(fdt, n)) continue;
        const size_t entries = fdt.reg_count(n);
        for (size_t i = 0; i < entries; ++i) {
            uint64_t base = 0;
            uint64_t size = 0;
            if (!fdt.reg(n, i, base, size) || size == 0) continue;
            if (range_wraps(base, size))
                return fail(diag, Errno::Inval, "memory bank {:#x} size {:#x} in {} wraps around",
                            base, size, NodePath{fdt, n}.c_str());
            if (out.memory_count == kMaxMemoryBanks)
                return fail(diag, Errno::NoSpc, "more than {} memory banks (at {})",
                            kMaxMemoryBanks, NodePath{fdt, n}.c_str());
            out.memory[out.memory_count++] = PhysRange{PhysAddr{base}, size};
        }
    }
    if (out.memory_count == 0)
        return fail(diag, Errno::NoEnt, "no /memory node with a non-empty \"reg\"");

    // Insertion sort by base: a handful of banks.
    for (size_t i = 1; i < out.memory_count; ++i) {
        const PhysRange r = out.memory[i];
        size_t j = i;
        for (; j > 0 && out.memory[j - 1].base > r.base; --j) out.memory[j] = out.memory[j - 1];
        out.memory[j] = r;
    }
    for (size_t i = 0; i + 1 < out.memory_count; ++i) {
        const PhysRange& a = out.memory[i];
        const PhysRange& b = out.memory[i + 1];
        if (a.overlaps(b))
            return fail(diag, Errno::Inval, "memory banks overlap: [{:#x},{:#x}) and [{:#x},{:#x})",
                        a.base.raw(), a.end().raw(), b.base.raw(), b.end().raw());
    }
    return {};
}

namespace {
Result<void> add_reserved(BootInfo& out, uint64_t base, uint64_t size, const char* where,
                          DtDiagnostic& diag)
{
    if (size == 0) return {};
    if (range_wraps(base, size))
        return fail(diag, Errno::Inval, "reserved range {:#x} size {:#x} in {} wraps around", base,
                    size, where);
    if (out.reserved_count == kMaxReservedRanges)
        return fail(diag, Errno::NoSpc, "more than {} reserved ranges (at {})", kMaxReservedRanges,
                    where);
    out.reserved[out.reserved_count++] = PhysRange{PhysAddr{base}, size};
    return {};
}
}  // namespace

Result<void> parse_reserved(const Fdt& fdt, BootInfo& out, DtDiagnostic& diag)
{
    const size_t entries = fdt.memreserve_count();
    for (size_t i = 0; i < entries; ++i) {
        uint64_t base = 0;
        uint64_t size = 0;
        if (!fdt.memreserve(i, base, size)) break;
        if (auto r = add_reserved(out, base, size, "/memreserve/", diag); !r.ok()) return r;
    }
    // Children of /reserved-memory with a static "reg" (dynamic "size" ones have no place yet).
    const int rm = fdt.path_offset("/reserved-memory");
    for (int c = fdt.first_child(rm); c >= 0; c = fdt.next_sibling(c)) {
        const size_t n = fdt.reg_count(c);
        for (size_t i = 0; i < n; ++i) {
            uint64_t base = 0;
            uint64_t size = 0;
            if (!fdt.reg(c, i, base, size)) break;
            if (auto r = add_reserved(out, base, size, NodePath{fdt, c}.c_str(), diag); !r.ok())
                return r;
        }
    }
    return {};
}

// Linux bindings arm/cpus.yaml: each cpu node's "reg" is its MPIDR affinity
// fields, in #address-cells (1 or 2) of /cpus; #size-cells is 0.
Result<void> parse_cpus(const Fdt& fdt, BootInfo& out, DtDiagnostic& diag)
{
    const int cpus = fdt.path_offset("/cpus");
    if (cpus < 0) return fail(diag, Errno::NoEnt, "no /cpus node");
    for (int c = fdt.first_child(cpus); c >= 0; c = fdt.next_sibling(c)) {
        if (!string_property_is(fdt, c, "device_type", "cpu") || !node_enabled(fdt, c)) continue;
        const uint32_t ac = fdt.address_cells_for(c);
        if (ac < 1 || ac > 2)
            return fail(diag, Errno::Inval, "/cpus has #address-cells = {} (expected 1 or 2)", ac);
        uint64_t mpidr = 0;
        uint64_t unused = 0;
        if (!fdt.reg(c, 0, mpidr, unused))
            return fail(diag, Errno::Inval, "{} has no \"reg\" (its MPIDR)",
                        NodePath{fdt, c}.c_str());
        for (size_t i = 0; i < out.cpu_count; ++i)
            if (out.cpu_mpidr[i] == mpidr)
                return fail(diag, Errno::Inval, "two CPUs have MPIDR {:#x} (second: {})", mpidr,
                            NodePath{fdt, c}.c_str());
        if (out.cpu_count == kMaxDtCpus)
            return fail(diag, Errno::NoSpc, "more than {} CPUs in /cpus", kMaxDtCpus);
        out.cpu_mpidr[out.cpu_count++] = mpidr;
    }
    if (out.cpu_count == 0)
        return fail(diag, Errno::NoEnt, "no CPUs in /cpus (no child with device_type = \"cpu\")");
    return {};
}

}  // namespace dt

Result<void> check_device_tree(const void* blob, size_t available, DtDiagnostic& diag)
{
    FdtCheckReport report;
    if (Fdt::check(blob, available, &report) == FdtError::None) return {};
    FmtBuffer b{diag.text, sizeof diag.text};
    b.put("device tree: ");
    format_fdt_check_report(report, b);
    return report.error == FdtError::BadMagic ? Errno::NoDev : Errno::Inval;
}

void append_node_path(const Fdt& fdt, int node, FmtBuffer& out)
{
    constexpr size_t kMaxDepth = 16;
    int chain[kMaxDepth];
    size_t depth = 0;
    int n = node;
    for (; n > 0 && depth < kMaxDepth; n = fdt.parent(n)) chain[depth++] = n;
    if (n > 0) out.put("/...");  // deeper than any real tree; the innermost part is what matters
    if (depth == 0) out.put('/');
    while (depth > 0) {
        out.put('/');
        out.put(fdt.node_name(chain[--depth]));
    }
}

Result<void> parse_boot_info(const Fdt& fdt, PhysAddr dtb_base, BootInfo& out, DtDiagnostic& diag)
{
    out = BootInfo{};
    diag = DtDiagnostic{};
    if (auto r = check_device_tree(fdt.data(), fdt.available(), diag); !r.ok()) return r;
    out.dtb = PhysRange{dtb_base, fdt.total_size()};

    DtDiagnostic no_uart;  // a missing console is not an error: the caller falls back
    int uart_node = -1;
    if (!find_stdout_uart(fdt, out.uart, out.uart_path, no_uart, &uart_node)) {
        out.uart = PhysRange{};
        out.uart_path = nullptr;
    } else {
        out.uart_intid = dt::first_gic_intid(fdt, uart_node);  // console input (console mux)
    }

    using Step = Result<void> (*)(const Fdt&, BootInfo&, DtDiagnostic&);
    constexpr Step kSteps[] = {dt::parse_memory, dt::parse_reserved, dt::parse_cpus,
                               dt::parse_gic,    dt::parse_timer,    dt::parse_psci,
                               dt::parse_chosen};
    for (Step step : kSteps)
        if (auto r = step(fdt, out, diag); !r.ok()) return r;
    return {};
}

}  // namespace keel
