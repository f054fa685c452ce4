// SPDX-License-Identifier: MIT
//
// core/boot/dt_address.cpp
// Owns the reg / ranges / interrupt readers of dt_address.hpp. Every walk up
// the tree or along interrupt-parent phandles is bounded (kMaxHops), so a
// cyclic or absurdly deep tree gives an error, not a hang.
#include "core/boot/dt_address.hpp"

#include "core/boot/dt_parse.hpp"
#include "lib/cstr.hpp"

namespace keel::dt {
namespace {

constexpr int kMaxHops = 64;
constexpr uint32_t kBadCells = 0xffffffff;
constexpr uint32_t kPciSpaceMask = 0x03000000;  // phys.hi "ss": 0 config, 1 I/O, 2 mem32, 3 mem64

uint32_t inherited_cells(const Fdt& fdt, int bus, const char* name, uint32_t fallback)
{
    int n = bus;
    for (int hops = 0; n >= 0 && hops < kMaxHops; ++hops, n = fdt.parent(n)) {
        FdtProperty p;
        if (fdt.property(n, name, p)) return p.len == 4 ? p.u32_at(0) : kBadCells;
    }
    return n < 0 ? fallback : kBadCells;
}

// The cells of [cell, cell + n) as one number; n is 0..2 (the caller checked).
uint64_t read_cells(const FdtProperty& p, size_t cell, uint32_t n)
{
    uint64_t v = 0;
    for (uint32_t i = 0; i < n; ++i) v = (v << 32) | p.u32_at(cell + i);
    return v;
}

}  // namespace

uint32_t child_address_cells(const Fdt& fdt, int bus)
{
    return inherited_cells(fdt, bus, "#address-cells", 2);
}

uint32_t child_size_cells(const Fdt& fdt, int bus)
{
    return inherited_cells(fdt, bus, "#size-cells", 1);
}

bool is_pci_bus(const Fdt& fdt, int node) { return string_property_is(fdt, node, "device_type", "pci"); }

BusAddr read_bus_addr(const FdtProperty& p, size_t cell, uint32_t ncells)
{
    BusAddr a;
    if (ncells == 3) {
        a.hi = p.u32_at(cell);
        a.lo = read_cells(p, cell + 1, 2);
    } else {
        a.lo = read_cells(p, cell, ncells);
    }
    return a;
}

Result<uint64_t> translate_to_root(const Fdt& fdt, int bus, BusAddr addr, uint64_t size,
                                   int node, const char* prop, DtDiagnostic& why)
{
    int b = bus;
    for (int hops = 0; hops < kMaxHops; ++hops) {
        if (b == fdt.root()) {
            if (addr.hi != 0)
                return fail(why, Errno::Inval, "{} \"{}\": address {:#x}.{:#x} does not fit 64 bits",
                            NodePath{fdt, node}.c_str(), prop, addr.hi, addr.lo);
            return addr.lo;
        }
        const int pb = fdt.parent(b);
        if (pb < 0) break;
        FdtProperty r;
        if (!fdt.property(b, "ranges", r)) return Errno::NoEnt;  // not a memory-mapped bus
        const uint32_t na = child_address_cells(fdt, b);
        const uint32_t pna = child_address_cells(fdt, pb);
        const uint32_t ns = child_size_cells(fdt, b);
        if (r.len == 0) {  // identity
            if (pna < 3) addr.hi = 0;
            b = pb;
            continue;
        }
        if (na < 1 || na > kMaxAddressCells || pna < 1 || pna > kMaxAddressCells || ns < 1 ||
            ns > kMaxSizeCells)
            return fail(why, Errno::Inval,
                        "{} \"{}\": \"ranges\" of {} has cells {}/{}/{} (keel reads 1..3/1..3/1..2)",
                        NodePath{fdt, node}.c_str(), prop, NodePath{fdt, b}.c_str(), na, pna, ns);
        const uint32_t entry = na + pna + ns;
        if (r.len % (entry * 4) != 0)
            return fail(why, Errno::Inval, "{}: \"ranges\" is {} bytes, not a multiple of {}",
                        NodePath{fdt, b}.c_str(), r.len, entry * 4);
        const bool pci = na == 3 && is_pci_bus(fdt, b);
        bool found = false;
        for (size_t e = 0; e < r.len / (entry * 4); ++e) {
            const size_t at = e * entry;
            const BusAddr child = read_bus_addr(r, at, na);
            const BusAddr parent = read_bus_addr(r, at + na, pna);
            const uint64_t rsize = read_cells(r, at + na + pna, ns);
            const bool space = pci ? ((child.hi ^ addr.hi) & kPciSpaceMask) == 0 : child.hi == addr.hi;
            if (!space || addr.lo < child.lo || addr.lo - child.lo >= rsize) continue;
            addr = BusAddr{parent.hi, parent.lo + (addr.lo - child.lo)};
            found = true;
            break;
        }
        if (!found)
            return fail(why, Errno::Inval, "{} \"{}\": address {:#x} (size {:#x}) is in no \"ranges\" entry of {}",
                        NodePath{fdt, node}.c_str(), prop, addr.lo, size, NodePath{fdt, b}.c_str());
        b = pb;
    }
    return fail(why, Errno::Inval, "{} \"{}\": tree too deep to translate",
                NodePath{fdt, node}.c_str(), prop);
}

namespace {

struct RegCells {
    uint32_t na = 0;
    uint32_t ns = 0;
    int bus = -1;
};

Result<RegCells> reg_cells(const Fdt& fdt, int node, DtDiagnostic& why)
{
    RegCells c;
    c.bus = fdt.parent(node);
    c.na = child_address_cells(fdt, c.bus);
    c.ns = child_size_cells(fdt, c.bus);
    if (c.na < 1 || c.na > kMaxAddressCells || c.ns > kMaxSizeCells)
        return fail(why, Errno::Inval, "{} \"reg\": #address-cells {} / #size-cells {} (keel reads 1..3 / 0..2)",
                    NodePath{fdt, node}.c_str(), c.na, c.ns);
    return c;
}

}  // namespace

Result<size_t> reg_entries(const Fdt& fdt, int node, DtDiagnostic& why)
{
    FdtProperty reg;
    if (node == fdt.root() || !fdt.property(node, "reg", reg)) return size_t{0};
    auto cells = reg_cells(fdt, node, why);
    if (!cells.ok()) return cells.error();
    const uint32_t entry = (cells.value().na + cells.value().ns) * 4;
    if (reg.len % entry != 0)
        return fail(why, Errno::Inval, "{} \"reg\" is {} bytes, not a multiple of {}",
                    NodePath{fdt, node}.c_str(), reg.len, entry);
    return size_t{reg.len / entry};
}

Result<PhysRange> reg_entry(const Fdt& fdt, int node, size_t index, DtDiagnostic& why)
{
    auto count = reg_entries(fdt, node, why);
    if (!count.ok()) return count.error();
    if (index >= count.value())
        return fail(why, Errno::Inval, "{} \"reg\" has no entry {}", NodePath{fdt, node}.c_str(), index);
    const RegCells c = reg_cells(fdt, node, why).value();
    FdtProperty reg;
    fdt.property(node, "reg", reg);
    const size_t at = index * (c.na + c.ns);
    const BusAddr addr = read_bus_addr(reg, at, c.na);
    const uint64_t size = read_cells(reg, at + c.na, c.ns);
    if (c.na == 3 && is_pci_bus(fdt, c.bus) && (addr.hi & kPciSpaceMask) == 0)
        return PhysRange{};  // PCI configuration space: reached through the bridge's ECAM
    if (size == 0) return PhysRange{};
    auto base = translate_to_root(fdt, c.bus, addr, size, node, "reg", why);
    if (!base.ok()) {
        if (base.error() == Errno::NoEnt) return PhysRange{};  // I2C, SPI, MDIO...: not MMIO
        return base.error();
    }
    if (range_wraps(base.value(), size))
        return fail(why, Errno::Inval, "{} \"reg\" [{:#x}, +{:#x}) wraps the address space",
                    NodePath{fdt, node}.c_str(), base.value(), size);
    return PhysRange{PhysAddr{base.value()}, size};
}

Result<int> interrupt_parent(const Fdt& fdt, int node, DtDiagnostic& why)
{
    int cur = node;
    for (int hops = 0; hops < kMaxHops; ++hops) {
        FdtProperty ip;
        int p = -1;
        if (fdt.property(cur, "interrupt-parent", ip)) {
            if (ip.len != 4)
                return fail(why, Errno::Inval, "{} \"interrupt-parent\" is {} bytes, not 4",
                            NodePath{fdt, cur}.c_str(), ip.len);
            p = fdt.node_by_phandle(ip.u32_at(0));
            if (p < 0)
                return fail(why, Errno::Inval, "{} \"interrupt-parent\" <{:#x}> names no node",
                            NodePath{fdt, cur}.c_str(), ip.u32_at(0));
        } else {
            p = fdt.parent(cur);
        }
        if (p < 0) return -1;
        if (fdt.has_property(p, "#interrupt-cells")) return p;
        cur = p;
    }
    return fail(why, Errno::Inval, "{}: interrupt parent chain too long (a loop?)",
                NodePath{fdt, node}.c_str());
}

namespace {

Result<uint32_t> interrupt_cells(const Fdt& fdt, int controller, int node, DtDiagnostic& why)
{
    FdtProperty p;
    const uint32_t n = fdt.property(controller, "#interrupt-cells", p) && p.len == 4 ? p.u32_at(0) : 0;
    if (n < 1 || n > kMaxInterruptCells)
        return fail(why, Errno::Inval, "{}: its interrupt controller {} has a bad \"#interrupt-cells\"",
                    NodePath{fdt, node}.c_str(), NodePath{fdt, controller}.c_str());
    return n;
}

// Walks "interrupts-extended" up to entry `want` (or to the end when want is
// past it): fills *spec for entry `want`, returns the entry count seen.
Result<size_t> walk_extended(const Fdt& fdt, int node, const FdtProperty& p, size_t want,
                             IrqSpec* spec, DtDiagnostic& why)
{
    size_t cell = 0;
    size_t count = 0;
    const size_t total = p.len / 4;
    if (p.len % 4 != 0)
        return fail(why, Errno::Inval, "{} \"interrupts-extended\" is {} bytes, not a multiple of 4",
                    NodePath{fdt, node}.c_str(), p.len);
    while (cell < total) {
        const uint32_t ph = p.u32_at(cell);
        const int ctl = fdt.node_by_phandle(ph);
        if (ctl < 0)
            return fail(why, Errno::Inval, "{} \"interrupts-extended\" <{:#x}> names no node",
                        NodePath{fdt, node}.c_str(), ph);
        auto n = interrupt_cells(fdt, ctl, node, why);
        if (!n.ok()) return n.error();
        if (total - cell - 1 < n.value())
            return fail(why, Errno::Inval, "{} \"interrupts-extended\" ends inside entry {}",
                        NodePath{fdt, node}.c_str(), count);
        if (count == want && spec != nullptr) {
            spec->controller = ctl;
            spec->ncells = n.value();
            for (uint32_t i = 0; i < n.value(); ++i) spec->cell[i] = p.u32_at(cell + 1 + i);
        }
        cell += 1 + n.value();
        ++count;
    }
    return count;
}

}  // namespace

Result<size_t> irq_count(const Fdt& fdt, int node, DtDiagnostic& why)
{
    FdtProperty p;
    if (fdt.property(node, "interrupts-extended", p))
        return walk_extended(fdt, node, p, ~size_t{0}, nullptr, why);
    if (!fdt.property(node, "interrupts", p)) return size_t{0};
    auto parent = interrupt_parent(fdt, node, why);
    if (!parent.ok()) return parent.error();
    if (parent.value() < 0) return size_t{0};  // no controller: nothing to route (as Xen)
    auto n = interrupt_cells(fdt, parent.value(), node, why);
    if (!n.ok()) return n.error();
    if (p.len % (n.value() * 4) != 0)
        return fail(why, Errno::Inval, "{} \"interrupts\" is {} bytes, not a multiple of {}",
                    NodePath{fdt, node}.c_str(), p.len, n.value() * 4);
    return size_t{p.len / (n.value() * 4)};
}

Result<IrqSpec> irq_at(const Fdt& fdt, int node, size_t index, DtDiagnostic& why)
{
    IrqSpec spec;
    FdtProperty p;
    if (fdt.property(node, "interrupts-extended", p)) {
        auto count = walk_extended(fdt, node, p, index, &spec, why);
        if (!count.ok()) return count.error();
        if (index >= count.value())
            return fail(why, Errno::Inval, "{} has no interrupt {}", NodePath{fdt, node}.c_str(), index);
        return spec;
    }
    auto count = irq_count(fdt, node, why);
    if (!count.ok()) return count.error();
    if (index >= count.value())
        return fail(why, Errno::Inval, "{} has no interrupt {}", NodePath{fdt, node}.c_str(), index);
    spec.controller = interrupt_parent(fdt, node, why).value();
    spec.ncells = interrupt_cells(fdt, spec.controller, node, why).value();
    fdt.property(node, "interrupts", p);
    for (uint32_t i = 0; i < spec.ncells; ++i) spec.cell[i] = p.u32_at(index * spec.ncells + i);
    return spec;
}

}  // namespace keel::dt
