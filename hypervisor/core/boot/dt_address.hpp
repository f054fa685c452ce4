// SPDX-License-Identifier: MIT
//
// core/boot/dt_address.hpp
// Owns reading device addresses and interrupts out of a host device tree the
// way the Devicetree specification (v0.4, "Address Translation", "Interrupts
// and Interrupt Mapping") and Linux / Xen read them: #address-cells and
// #size-cells looked up the tree, "reg" translated through every parent's
// "ranges" (empty = identity, PCI 3-cell child addresses matched by space),
// the interrupt parent (interrupt-parent inherited, interrupts-extended).
// Pure; every failure names the node and property in one line.
#pragma once
#include <cstddef>
#include <cstdint>

#include "core/boot/dt_boot_info.hpp"
#include "lib/fdt.hpp"
#include "lib/result.hpp"

namespace keel::dt {

inline constexpr uint32_t kMaxAddressCells = 3;  // PCI child addresses
inline constexpr uint32_t kMaxSizeCells = 2;
inline constexpr uint32_t kMaxInterruptCells = 4;

// An address on some bus: up to 3 cells. For a PCI bus `hi` is phys.hi (space
// code in bits 24-25) and `lo` the 64-bit address; otherwise hi must be 0.
struct BusAddr {
    uint32_t hi = 0;
    uint64_t lo = 0;
};

// #address-cells / #size-cells of the children of `bus` (its own property,
// else inherited from its ancestors, else 2 / 1 as Linux and Xen do).
uint32_t child_address_cells(const Fdt& fdt, int bus);
uint32_t child_size_cells(const Fdt& fdt, int bus);
bool is_pci_bus(const Fdt& fdt, int node);  // device_type = "pci"

// Reads `ncells` cells at `cell` of `p` as a BusAddr (ncells 1..3).
BusAddr read_bus_addr(const FdtProperty& p, size_t cell, uint32_t ncells);

// Translates `addr`, an address on the bus `bus` (a node's parent), up to the
// root: Errno::Inval with `why` set when a bus on the way has no "ranges", no
// range covers it, or a "ranges" is malformed. `node`/`prop` name what is
// being translated for the message.
Result<uint64_t> translate_to_root(const Fdt& fdt, int bus, BusAddr addr, uint64_t size,
                                   int node, const char* prop, DtDiagnostic& why);

// Number of entries of node's "reg" and entry i translated to a host physical
// range. Errno::Inval (why set) for bad cells, a length that is not a
// multiple of the entry, or an untranslatable address. A PCI config-space
// entry (space code 0) under a PCI bus is not MMIO: size 0 is returned.
Result<size_t> reg_entries(const Fdt& fdt, int node, DtDiagnostic& why);
Result<PhysRange> reg_entry(const Fdt& fdt, int node, size_t index, DtDiagnostic& why);

// One interrupt specifier with its controller.
struct IrqSpec {
    int controller = -1;
    uint32_t ncells = 0;
    uint32_t cell[kMaxInterruptCells] = {};
};

// The interrupt parent of `node` (Linux of_irq_find_parent: "interrupt-parent"
// or else the tree parent, repeated until a node with #interrupt-cells).
// -1 when there is none; Errno::Inval (why set) for a phandle to nothing.
Result<int> interrupt_parent(const Fdt& fdt, int node, DtDiagnostic& why);

// Number of interrupts of `node` ("interrupts-extended" if present, else
// "interrupts") and interrupt i. Errno::Inval (why set) for lengths that are
// not a multiple of the parent's #interrupt-cells, bad phandles, or
// #interrupt-cells outside 1..4.
Result<size_t> irq_count(const Fdt& fdt, int node, DtDiagnostic& why);
Result<IrqSpec> irq_at(const Fdt& fdt, int node, size_t index, DtDiagnostic& why);

}  // namespace keel::dt
