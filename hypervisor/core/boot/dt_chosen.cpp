// SPDX-License-Identifier: MIT
//
// core/boot/dt_chosen.cpp
// Owns what keel reads from /chosen: its own command line ("xen,xen-bootargs",
// else "bootargs") and the boot modules, both directly under /chosen and under
// /chosen nodes compatible "xen,domain" (dom0less). Bindings: Xen's
// docs/misc/arm/device-tree/booting.txt ("Multiboot modules", "dom0less").
#include "core/boot/dom0less_links.hpp"
#include "core/boot/dt_parse.hpp"
#include "lib/cstr.hpp"

namespace keel::dt {
namespace {

// Xen's module compatibles and the kind each one means; "multiboot,module"
// alone says only "a module" (Xen then guesses by order; keel leaves it Other).
struct ModuleCompat {
    const char* compat;
    ModuleKind kind;
};
constexpr ModuleCompat kModuleCompats[] = {
    {"multiboot,kernel", ModuleKind::Kernel},
    {"xen,linux-zimage", ModuleKind::Kernel},
    {"multiboot,ramdisk", ModuleKind::Ramdisk},
    {"xen,linux-initrd", ModuleKind::Ramdisk},
    {"xen,xsm-policy", ModuleKind::Xsm},
    {"multiboot,device-tree", ModuleKind::DeviceTree},
    {"multiboot,module", ModuleKind::Other},
    {"xen,multiboot-module", ModuleKind::Other},  // the binding's older, deprecated name
};

bool module_kind(const Fdt& fdt, int node, ModuleKind& kind)
{
    for (const ModuleCompat& m : kModuleCompats) {
        if (fdt.is_compatible(node, m.compat)) {
            kind = m.kind;
            return true;
        }
    }
    return false;
}

// `lenient`: a module without a usable reg is left out rather than fatal (dom0's
// modules: the dom0 parser reports it and keel boots without dom0).
Result<void> add_module(const Fdt& fdt, int node, int parent, ModuleKind kind, BootInfo& out,
                        DtDiagnostic& diag, bool lenient = false)
{
    uint64_t base = 0;
    uint64_t size = 0;
    // reg uses the parent's #address-cells/#size-cells (Xen's booting.txt asks for them).
    const bool have_reg = fdt.reg(node, 0, base, size);
    if (lenient && (!have_reg || size == 0 || range_wraps(base, size))) return {};
    if (!have_reg)
        return fail(diag, Errno::Inval, "boot module {} has no usable \"reg\"",
                    NodePath{fdt, node}.c_str());
    if (range_wraps(base, size))
        return fail(diag, Errno::Inval, "boot module {} [{:#x} size {:#x}] wraps around",
                    NodePath{fdt, node}.c_str(), base, size);
    if (out.module_count == kMaxBootModules)
        return fail(diag, Errno::NoSpc, "more than {} boot modules (at {})", kMaxBootModules,
                    NodePath{fdt, node}.c_str());
    BootModule& m = out.modules[out.module_count++];
    m.kind = kind;
    m.range = PhysRange{PhysAddr{base}, size};
    FdtProperty args;
    m.bootargs = fdt.property(node, "bootargs", args) ? args.as_string() : nullptr;
    m.node = node;
    m.parent = parent;
    return {};
}

Result<void> read_cmdline(const Fdt& fdt, int chosen, BootInfo& out, DtDiagnostic& diag)
{
    static constexpr const char* kSources[] = {"xen,xen-bootargs", "bootargs"};
    for (const char* source : kSources) {
        FdtProperty p;
        if (!fdt.property(chosen, source, p)) continue;
        const char* s = p.as_string();
        if (s == nullptr)
            return fail(diag, Errno::Inval, "/chosen \"{}\" is not a NUL-terminated string",
                        source);
        out.cmdline = s;
        out.cmdline_source = source;
        return {};
    }
    return {};
}

// Static shared memory (xen,shared-mem) is host RAM no allocator may hand out:
// each distinct range joins the reserved ranges once. A malformed node is left
// to the dom0less parser, which reports it.
void reserve_shared_memory(const Fdt& fdt, int node, BootInfo& out)
{
    PhysRange r;
    if (!static_shm_host_range(fdt, node, r)) return;
    for (size_t i = 0; i < out.reserved_count; ++i)
        if (out.reserved[i].base == r.base && out.reserved[i].size == r.size) return;
    if (out.reserved_count < kMaxReservedRanges) out.reserved[out.reserved_count++] = r;
}

// /chosen/linux,initrd-start/-end (QEMU's -initrd, most bootloaders): dom0's
// ramdisk, kept from the allocators like any module. A malformed pair is left
// to the dom0 parser, which reports it.
void add_chosen_initrd(const Fdt& fdt, int chosen, BootInfo& out)
{
    FdtProperty s;
    FdtProperty e;
    if (!fdt.property(chosen, "linux,initrd-start", s) ||
        !fdt.property(chosen, "linux,initrd-end", e))
        return;
    auto value = [](const FdtProperty& p, uint64_t& v) {
        if (p.len == 4) v = p.u32_at(0);
        else if (p.len == 8) v = p.cells_at(0, 2);
        else return false;
        return true;
    };
    uint64_t start = 0;
    uint64_t end = 0;
    if (!value(s, start) || !value(e, end) || end <= start || out.module_count == kMaxBootModules)
        return;
    BootModule& m = out.modules[out.module_count++];
    m.kind = ModuleKind::Ramdisk;
    m.range = PhysRange{PhysAddr{start}, end - start};
    m.node = chosen;
    m.parent = chosen;
}

}  // namespace

Result<void> parse_chosen(const Fdt& fdt, BootInfo& out, DtDiagnostic& diag)
{
    const int chosen = fdt.path_offset("/chosen");
    if (chosen < 0) return {};
    if (auto r = read_cmdline(fdt, chosen, out, diag); !r.ok()) return r;
    add_chosen_initrd(fdt, chosen, out);

    for (int c = fdt.first_child(chosen); c >= 0; c = fdt.next_sibling(c)) {
        ModuleKind kind = ModuleKind::Other;
        if (module_kind(fdt, c, kind)) {
            if (auto r = add_module(fdt, c, chosen, kind, out, diag, true); !r.ok()) return r;
            continue;
        }
        if (!fdt.is_compatible(c, "xen,domain")) continue;
        for (int m = fdt.first_child(c); m >= 0; m = fdt.next_sibling(m)) {
            if (fdt.is_compatible(m, "xen,domain-shared-memory-v1")) {
                reserve_shared_memory(fdt, m, out);
                continue;
            }
            if (!module_kind(fdt, m, kind)) continue;
            if (auto r = add_module(fdt, m, c, kind, out, diag); !r.ok()) return r;
        }
    }
    return {};
}

}  // namespace keel::dt
