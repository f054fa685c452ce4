// SPDX-License-Identifier: MIT
//
// core/boot/dom0_devices.cpp
// Owns the per-node rules of Xen 4.17 handle_node() (skip lists, GIC and timer
// replaced, nodes keel keeps, xen,passthrough) and handle_device() /
// map_device_children() (reg ranges, SPIs, a PCI host bridge's "ranges"
// windows and "interrupt-map" SPIs), and the walk that collects what dom0 is
// given. Interrupt specifiers follow the GIC binding: <type number flags>,
// type 0 SPI (INTID 32 + number), 1 PPI (INTID 16 + number); flags 1/2 edge,
// 4/8 level (interrupt-controller/arm,gic-v3.yaml).
#include "core/boot/dom0_devices.hpp"

#include "core/boot/dt_address.hpp"
#include "core/boot/dt_parse.hpp"
#include "lib/cstr.hpp"

namespace keel {
namespace {

using dt::fail;
using dt::NodePath;

constexpr uint32_t kSpiCount = 988;   // INTIDs 32..1019
constexpr uint32_t kPpiCount = 16;
constexpr uint32_t kGicTypeSpi = 0;
constexpr uint32_t kGicTypePpi = 1;
constexpr uint32_t kEdgeMask = 0x3;   // IRQ_TYPE_EDGE_RISING | IRQ_TYPE_EDGE_FALLING
constexpr size_t kTimerPpis = 4;

// handle_node() skip_matches (compatible part).
constexpr const char* kSkipCompatibles[] = {
    "xen,xen",           "xen,multiboot-module", "multiboot,module",   "arm,psci",
    "arm,psci-0.2",      "arm,psci-1.0",         "arm,cortex-a7-pmu",  "arm,cortex-a15-pmu",
    "arm,cortex-a53-edac", "arm,armv8-pmuv3",    "arm,armv7-timer-mem",
};
// DEVICE_GIC class (DT_MATCH_GIC_V2, DT_MATCH_GIC_V3) and DT_MATCH_TIMER.
constexpr const char* kGicCompatibles[] = {"arm,gic-v3", "arm,cortex-a15-gic", "arm,cortex-a7-gic",
                                           "arm,gic-400"};
constexpr const char* kTimerCompatibles[] = {"arm,armv8-timer", "arm,armv7-timer"};
// handle_node() reserved_matches: root children keel writes itself.
constexpr const char* kReservedNames[] = {"psci", "memory", "hypervisor"};

template <size_t N>
bool any_compatible(const Fdt& fdt, int node, const char* const (&list)[N])
{
    for (const char* c : list)
        if (fdt.is_compatible(node, c)) return true;
    return false;
}

bool is_root_child_named(const Fdt& fdt, int node, const char* name)
{
    return fdt.parent(node) == fdt.root() && cstr_eq(fdt.node_name(node), name);
}

uint32_t node_phandle(const Fdt& fdt, int node)
{
    FdtProperty p;
    if ((fdt.property(node, "phandle", p) || fdt.property(node, "linux,phandle", p)) && p.len == 4)
        return p.u32_at(0);
    return 0;
}

// A GIC interrupt specifier decoded.
struct GicIrq {
    uint32_t intid = 0;
    bool ppi = false;
    bool edge = false;
};

Result<GicIrq> decode_gic(const Fdt& fdt, int node, const char* prop, const uint32_t* cell,
                          uint32_t ncells, DtDiagnostic& why)
{
    if (ncells < 3)
        return fail(why, Errno::Inval, "{} \"{}\": GIC specifier of {} cells (needs 3)",
                    NodePath{fdt, node}.c_str(), prop, ncells);
    GicIrq irq;
    irq.edge = (cell[2] & kEdgeMask) != 0;
    if (cell[0] == kGicTypeSpi && cell[1] < kSpiCount) {
        irq.intid = kDom0FirstSpi + cell[1];
    } else if (cell[0] == kGicTypePpi && cell[1] < kPpiCount) {
        irq.intid = kDom0FirstPpi + cell[1];
        irq.ppi = true;
    } else {
        return fail(why, Errno::Inval, "{} \"{}\": <{} {} ...> is neither an SPI nor a PPI",
                    NodePath{fdt, node}.c_str(), prop, cell[0], cell[1]);
    }
    return irq;
}

// The node's own interrupts that go to the primary GIC; *has_ppi when one is a PPI.
Result<void> node_irqs(const Fdt& fdt, int node, const Dom0Host& h, GicIrq* list, size_t cap,
                       size_t& count, bool& has_ppi, DtDiagnostic& why)
{
    count = 0;
    has_ppi = false;
    auto n = dt::irq_count(fdt, node, why);
    if (!n.ok()) return n.error();
    for (size_t i = 0; i < n.value(); ++i) {
        auto spec = dt::irq_at(fdt, node, i, why);
        if (!spec.ok()) return spec.error();
        if (spec.value().controller != h.gic) continue;  // not the GIC: nothing to route (as Xen)
        auto irq = decode_gic(fdt, node, "interrupts", spec.value().cell, spec.value().ncells, why);
        if (!irq.ok()) return irq.error();
        if (irq.value().ppi) has_ppi = true;
        if (count == cap)
            return fail(why, Errno::NoSpc, "{} has more than {} interrupts",
                        NodePath{fdt, node}.c_str(), cap);
        list[count++] = irq.value();
    }
    return {};
}

Result<void> add_mmio(const Fdt& fdt, int node, const Dom0Host& h, PhysRange r,
                      Dom0Devices* out, DtDiagnostic& why)
{
    if (r.size == 0) return {};
    const PhysRange page{r.base.align_down(kPageSize),
                         align_up(r.base.raw() + r.size, kPageSize) - r.base.align_down(kPageSize).raw()};
    if (page.base.raw() + page.size < page.base.raw())
        return fail(why, Errno::Inval, "{}: range [{:#x}, +{:#x}) wraps the address space",
                    NodePath{fdt, node}.c_str(), r.base.raw(), r.size);
    for (size_t i = 0; i < h.kept_count; ++i)
        if (page.overlaps(h.kept[i]))
            return fail(why, Errno::Inval, "{}: [{:#x}, +{:#x}) overlaps keel's own device at {:#x}",
                        NodePath{fdt, node}.c_str(), r.base.raw(), r.size, h.kept[i].base.raw());
    if (out == nullptr) return {};
    for (size_t i = 0; i < out->mmio_count; ++i)
        if (out->mmio[i].base == page.base && out->mmio[i].size == page.size) return {};
    if (out->mmio_count == kDom0MaxMmio)
        return fail(why, Errno::NoSpc, "more than {} MMIO ranges for dom0 (at {})", kDom0MaxMmio,
                    NodePath{fdt, node}.c_str());
    out->mmio[out->mmio_count++] = page;
    return {};
}

Result<void> add_spi(const Fdt& fdt, int node, uint32_t intid, bool edge, Dom0Devices* out,
                     DtDiagnostic& why)
{
    if (out == nullptr) return {};
    for (size_t i = 0; i < out->irq_count; ++i)
        if (out->irq[i].intid == intid) return {};  // shared (e.g. a node and an interrupt-map entry)
    if (out->irq_count == kDom0MaxIrqs)
        return fail(why, Errno::NoSpc, "more than {} SPIs for dom0 (at {})", kDom0MaxIrqs,
                    NodePath{fdt, node}.c_str());
    out->irq[out->irq_count++] = Dom0Irq{intid, edge};
    return {};
}

// map_device_children(): every "ranges" window of a PCI host bridge.
Result<void> pci_windows(const Fdt& fdt, int node, const Dom0Host& h, Dom0Devices* out,
                         DtDiagnostic& why)
{
    FdtProperty r;
    if (!fdt.property(node, "ranges", r) || r.len == 0) return {};
    const int bus = fdt.parent(node);
    const uint32_t na = dt::child_address_cells(fdt, node);
    const uint32_t pna = dt::child_address_cells(fdt, bus);
    const uint32_t ns = dt::child_size_cells(fdt, node);
    if (na < 1 || na > dt::kMaxAddressCells || pna < 1 || pna > dt::kMaxAddressCells || ns < 1 ||
        ns > dt::kMaxSizeCells)
        return fail(why, Errno::Inval, "{} \"ranges\": cells {}/{}/{} (keel reads 1..3/1..3/1..2)",
                    NodePath{fdt, node}.c_str(), na, pna, ns);
    const uint32_t entry = na + pna + ns;
    if (r.len % (entry * 4) != 0)
        return fail(why, Errno::Inval, "{}: \"ranges\" is {} bytes, not a multiple of {}",
                    NodePath{fdt, node}.c_str(), r.len, entry * 4);
    for (size_t e = 0; e < r.len / (entry * 4); ++e) {
        const size_t at = e * entry;
        const dt::BusAddr parent = dt::read_bus_addr(r, at + na, pna);
        uint64_t size = 0;
        for (uint32_t i = 0; i < ns; ++i) size = (size << 32) | r.u32_at(at + na + pna + i);
        if (size == 0) continue;
        auto base = dt::translate_to_root(fdt, bus, parent, size, node, "ranges", why);
        if (!base.ok()) {
            if (base.error() == Errno::NoEnt) continue;  // the bridge's parent is not memory-mapped
            return base.error();
        }
        if (dt::range_wraps(base.value(), size))
            return fail(why, Errno::Inval, "{} \"ranges\" window [{:#x}, +{:#x}) wraps",
                        NodePath{fdt, node}.c_str(), base.value(), size);
        KEEL_TRY(add_mmio(fdt, node, h, PhysRange{PhysAddr{base.value()}, size}, out, why));
    }
    return {};
}

// map_device_children(): every SPI of a PCI host bridge's "interrupt-map"
// whose parent is the GIC. Entry: child unit address (node's #address-cells),
// child specifier (node's #interrupt-cells), parent phandle, parent unit
// address (the parent's own #address-cells, 0 when absent), parent specifier.
Result<void> pci_interrupt_map(const Fdt& fdt, int node, const Dom0Host& h, Dom0Devices* out,
                               DtDiagnostic& why)
{
    FdtProperty map;
    if (!fdt.property(node, "interrupt-map", map)) return {};
    FdtProperty p;
    const uint32_t child_addr = fdt.property(node, "#address-cells", p) && p.len == 4 ? p.u32_at(0) : 2;
    const uint32_t child_irq = fdt.property(node, "#interrupt-cells", p) && p.len == 4 ? p.u32_at(0) : 0;
    if (child_addr > dt::kMaxAddressCells || child_irq < 1 || child_irq > dt::kMaxInterruptCells ||
        map.len % 4 != 0)
        return fail(why, Errno::Inval, "{} \"interrupt-map\": bad #address-cells/#interrupt-cells or length {}",
                    NodePath{fdt, node}.c_str(), map.len);
    const size_t total = map.len / 4;
    size_t cell = 0;
    size_t entry = 0;
    while (cell < total) {
        const size_t ph_at = cell + child_addr + child_irq;
        if (ph_at >= total)
            return fail(why, Errno::Inval, "{} \"interrupt-map\" ends inside entry {}",
                        NodePath{fdt, node}.c_str(), entry);
        const int parent = fdt.node_by_phandle(map.u32_at(ph_at));
        if (parent < 0)
            return fail(why, Errno::Inval, "{} \"interrupt-map\" entry {}: phandle <{:#x}> names no node",
                        NodePath{fdt, node}.c_str(), entry, map.u32_at(ph_at));
        const uint32_t paddr = fdt.property(parent, "#address-cells", p) && p.len == 4 ? p.u32_at(0) : 0;
        const uint32_t pirq = fdt.property(parent, "#interrupt-cells", p) && p.len == 4 ? p.u32_at(0) : 0;
        if (paddr > dt::kMaxAddressCells || pirq < 1 || pirq > dt::kMaxInterruptCells)
            return fail(why, Errno::Inval, "{} \"interrupt-map\" entry {}: parent {} has bad cells",
                        NodePath{fdt, node}.c_str(), entry, NodePath{fdt, parent}.c_str());
        const size_t spec_at = ph_at + 1 + paddr;
        if (spec_at + pirq > total)
            return fail(why, Errno::Inval, "{} \"interrupt-map\" ends inside entry {}",
                        NodePath{fdt, node}.c_str(), entry);
        if (parent == h.gic) {
            uint32_t spec[dt::kMaxInterruptCells] = {};
            for (uint32_t i = 0; i < pirq; ++i) spec[i] = map.u32_at(spec_at + i);
            auto irq = decode_gic(fdt, node, "interrupt-map", spec, pirq, why);
            if (!irq.ok()) return irq.error();
            if (irq.value().ppi)  // map_dt_irq_to_domain(): "is not a SPI"
                return fail(why, Errno::Inval, "{} \"interrupt-map\" entry {} is a PPI",
                            NodePath{fdt, node}.c_str(), entry);
            KEEL_TRY(add_spi(fdt, node, irq.value().intid, irq.value().edge, out, why));
        }
        cell = spec_at + pirq;
        ++entry;
    }
    return {};
}

// handle_device(): reg ranges, SPIs, PCI windows and interrupt-map.
Result<void> node_devices(const Fdt& fdt, int node, const Dom0Host& h, const GicIrq* irqs,
                          size_t nirqs, Dom0Devices* out, DtDiagnostic& why)
{
    for (size_t i = 0; i < nirqs; ++i)
        KEEL_TRY(add_spi(fdt, node, irqs[i].intid, irqs[i].edge, out, why));
    auto nreg = dt::reg_entries(fdt, node, why);
    if (!nreg.ok()) return nreg.error();
    for (size_t i = 0; i < nreg.value(); ++i) {
        auto r = dt::reg_entry(fdt, node, i, why);
        if (!r.ok()) return r.error();
        KEEL_TRY(add_mmio(fdt, node, h, r.value(), out, why));
    }
    if (dt::is_pci_bus(fdt, node)) {
        KEEL_TRY(pci_windows(fdt, node, h, out, why));
        KEEL_TRY(pci_interrupt_map(fdt, node, h, out, why));
    }
    return {};
}

}  // namespace

const char* dom0_node_action_name(Dom0NodeAction a)
{
    switch (a) {
    case Dom0NodeAction::Copy: return "copy";
    case Dom0NodeAction::Passthrough: return "passthrough";
    case Dom0NodeAction::Skip: return "skip";
    case Dom0NodeAction::ReplaceGic: return "gic";
    case Dom0NodeAction::ReplaceTimer: return "timer";
    }
    return "?";
}

Result<Dom0Host> find_dom0_host(const Fdt& fdt, const Dom0DeviceFilter& filter, DtDiagnostic& diag)
{
    Dom0Host h;
    h.keel_uart = filter.keel_uart;
    h.gic = dt::find_enabled_compatible(fdt, "arm,gic-v3");
    if (h.gic < 0) return fail(diag, Errno::NoDev, "dom0: no GICv3 interrupt controller (\"arm,gic-v3\")");
    FdtProperty p;
    h.gic_cells = fdt.property(h.gic, "#interrupt-cells", p) && p.len == 4 ? p.u32_at(0) : 0;
    if (h.gic_cells < 3 || h.gic_cells > dt::kMaxInterruptCells)
        return fail(diag, Errno::Inval, "dom0: GIC {} has a bad \"#interrupt-cells\" (expected 3)",
                    NodePath{fdt, h.gic}.c_str());
    h.gic_phandle = node_phandle(fdt, h.gic);
    if (h.gic_phandle == 0) {  // nothing points at it yet: take a free phandle for keel's nodes
        uint32_t max = 0;
        for (int n = fdt.root(); n >= 0; n = fdt.next_node(n, nullptr)) {
            const uint32_t ph = node_phandle(fdt, n);
            if (ph != 0xffffffff && ph > max) max = ph;
        }
        if (max >= 0xfffffffe) return fail(diag, Errno::Inval, "dom0: no free phandle for the GIC");
        h.gic_phandle = max + 1;
        h.gic_phandle_new = true;
    }
    // The GIC's registers stay keel's: no device of dom0 may overlap them.
    DtDiagnostic why;
    auto nreg = dt::reg_entries(fdt, h.gic, why);
    if (!nreg.ok() || nreg.value() < 2)
        return fail(diag, Errno::Inval, "dom0: GIC {} \"reg\" unusable: {}", NodePath{fdt, h.gic}.c_str(),
                    why.empty() ? "needs GICD and a redistributor region" : why.message());
    if (fdt.property(h.gic, "#redistributor-regions", p))
        h.gic_redist_regions = p.len == 4 ? p.u32_at(0) : 0;
    if (h.gic_redist_regions < 1 || h.gic_redist_regions >= nreg.value())
        return fail(diag, Errno::Inval, "dom0: GIC {} has #redistributor-regions {} but {} \"reg\" entries",
                    NodePath{fdt, h.gic}.c_str(), h.gic_redist_regions, nreg.value());
    for (size_t i = 0; i < nreg.value() && h.kept_count < kDom0MaxKept - 1; ++i) {
        auto r = dt::reg_entry(fdt, h.gic, i, why);
        if (!r.ok()) return fail(diag, Errno::Inval, "dom0: GIC unusable: {}", why.message());
        h.kept[h.kept_count++] = r.value();
    }
    if (filter.keel_uart.raw() != 0) h.kept[h.kept_count++] = PhysRange{filter.keel_uart, kPageSize};

    for (const char* c : kTimerCompatibles) {
        h.timer = dt::find_enabled_compatible(fdt, c);
        if (h.timer >= 0) break;
    }
    if (h.timer < 0) return fail(diag, Errno::NoDev, "dom0: no architected timer (\"arm,armv8-timer\")");
    auto n = dt::irq_count(fdt, h.timer, why);
    if (!n.ok()) return fail(diag, Errno::Inval, "dom0: timer unusable: {}", why.message());
    if (n.value() < kTimerPpis)
        return fail(diag, Errno::Inval, "dom0: timer {} lists {} interrupts (needs 4 PPIs)",
                    NodePath{fdt, h.timer}.c_str(), n.value());
    for (size_t i = 0; i < kTimerPpis; ++i) {
        auto spec = dt::irq_at(fdt, h.timer, i, why);
        if (!spec.ok()) return fail(diag, Errno::Inval, "dom0: timer unusable: {}", why.message());
        if (spec.value().controller != h.gic)
            return fail(diag, Errno::Inval, "dom0: timer {} interrupt {} is not on the GIC",
                        NodePath{fdt, h.timer}.c_str(), i);
        auto irq = decode_gic(fdt, h.timer, "interrupts", spec.value().cell, spec.value().ncells, why);
        if (!irq.ok() || !irq.value().ppi)
            return fail(diag, Errno::Inval, "dom0: timer {} interrupt {} is not a PPI",
                        NodePath{fdt, h.timer}.c_str(), i);
        h.timer_ppi[i] = irq.value().intid;
    }
    return h;
}

Result<Dom0NodeAction> dom0_node_action(const Fdt& fdt, int node, const Dom0Host& h,
                                        Dom0Devices* out, DtDiagnostic& why)
{
    why.text[0] = '\0';
    if (node == fdt.root()) return Dom0NodeAction::Copy;
    if (any_compatible(fdt, node, kSkipCompatibles) || is_root_child_named(fdt, node, "cpus") ||
        dt::string_property_is(fdt, node, "device_type", "memory"))
        return Dom0NodeAction::Skip;
    if (any_compatible(fdt, node, kGicCompatibles))
        return node == h.gic ? Dom0NodeAction::ReplaceGic : Dom0NodeAction::Skip;
    if (any_compatible(fdt, node, kTimerCompatibles))
        return node == h.timer ? Dom0NodeAction::ReplaceTimer : Dom0NodeAction::Skip;
    if (h.keel_uart.raw() != 0) {  // used by keel: its console UART
        DtDiagnostic ignored;
        auto r = dt::reg_entry(fdt, node, 0, ignored);
        if (r.ok() && r.value().size != 0 && r.value().base == h.keel_uart) return Dom0NodeAction::Skip;
    }
    if (fdt.has_property(node, "#iommu-cells")) return Dom0NodeAction::Skip;  // DEVICE_IOMMU

    GicIrq irqs[64];
    size_t nirqs = 0;
    bool has_ppi = false;
    const auto irq_ok = node_irqs(fdt, node, h, irqs, 64, nirqs, has_ppi, why);
    if (!irq_ok.ok()) return Errno::Inval;  // the node is unreadable: left out (why says so)
    if (has_ppi) return Dom0NodeAction::Skip;  // the vGIC cannot route hardware PPIs
    for (const char* name : kReservedNames) {
        if (is_root_child_named(fdt, node, name)) {
            fail(why, Errno::Exist, "{} is a path keel writes itself; the host node is left out of dom0",
                 NodePath{fdt, node}.c_str());
            return Dom0NodeAction::Skip;
        }
    }
    const bool passthrough = fdt.has_property(node, "xen,passthrough");
    const size_t mmio_before = out != nullptr ? out->mmio_count : 0;
    const size_t irq_before = out != nullptr ? out->irq_count : 0;
    const auto dev = node_devices(fdt, node, h, irqs, nirqs, passthrough ? nullptr : out, why);
    if (!dev.ok()) {
        if (out != nullptr) {
            out->mmio_count = mmio_before;
            out->irq_count = irq_before;
        }
        return dev.error() == Errno::NoSpc ? Errno::NoSpc : Errno::Inval;
    }
    return passthrough ? Dom0NodeAction::Passthrough : Dom0NodeAction::Copy;
}

Result<void> collect_dom0_devices(const Fdt& fdt, const Dom0DeviceFilter& filter, Dom0Devices& out,
                                  DtDiagnostic& diag, Dom0Log log)
{
    out.mmio_count = 0;
    out.irq_count = 0;
    out.ppis_used = 0;
    out.nodes_copied = 0;
    out.nodes_dropped = 0;
    FdtCheckReport report;
    if (Fdt::check(fdt.data(), fdt.available(), &report) != FdtError::None) {
        FmtBuffer b{diag.text, sizeof diag.text};
        b.put("device tree: dom0: the host tree is malformed: ");
        format_fdt_check_report(report, b);
        return Errno::Inval;
    }
    auto host = find_dom0_host(fdt, filter, diag);
    if (!host.ok()) return host.error();
    const Dom0Host& h = host.value();
    for (uint32_t intid : h.timer_ppi) out.ppis_used |= uint32_t{1} << (intid - kDom0FirstPpi);

    DtDiagnostic why;
    int depth = 0;
    int node = fdt.root();
    while (node >= 0) {
        Dom0NodeAction action = Dom0NodeAction::Skip;
        bool dropped = false;
        if (depth > kDom0MaxDepth) {
            fail(why, Errno::Inval, "{} is nested deeper than {}", NodePath{fdt, node}.c_str(),
                 kDom0MaxDepth);
            dropped = true;
        } else {
            auto a = dom0_node_action(fdt, node, h, &out, why);
            if (!a.ok() && a.error() == Errno::NoSpc) {
                FmtBuffer{diag.text, sizeof diag.text}.put(why.message());
                return Errno::NoSpc;
            }
            if (a.ok())
                action = a.value();
            else
                dropped = true;
        }
        if (dropped) ++out.nodes_dropped;
        if (!why.empty() && log.line != nullptr) {
            char line[kDtDiagnosticMax + 32];
            FmtBuffer b{line, sizeof line};
            b.put(why.message());
            if (dropped) b.put("; left out of dom0");
            log.line(log.ctx, b.c_str());
        }
        if (action == Dom0NodeAction::Copy || action == Dom0NodeAction::Passthrough) {
            ++out.nodes_copied;
            node = fdt.next_node(node, &depth);
        } else {
            node = dom0_skip_subtree(fdt, node, depth);
        }
    }
    return {};
}

int dom0_skip_subtree(const Fdt& fdt, int node, int& depth)
{
    const int d0 = depth;
    int n = fdt.next_node(node, &depth);
    while (n >= 0 && depth > d0) n = fdt.next_node(n, &depth);
    return n;
}

uint32_t dom0_evtchn_ppi(const Dom0Devices& devices)
{
    for (uint32_t i = 0; i < kPpiCount; ++i)
        if ((devices.ppis_used & (uint32_t{1} << i)) == 0) return kDom0FirstPpi + i;
    return 0;
}

}  // namespace keel
