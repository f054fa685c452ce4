// SPDX-License-Identifier: MIT
//
// core/boot/dom0_dt.cpp
// Owns build_dom0_dt(): the host tree walked in document order (the same
// per-node decision as collect_dom0_devices, dom0_node_action), each copied
// node written with its properties as Xen 4.17 write_properties() filters
// them, the GIC and timer replaced in place (make_gic_node /
// gicv3_make_hwdom_dt_node, make_timer_node), then the nodes handle_node()
// appends to the root: /hypervisor, /psci, /cpus, /memory (and the host's
// reserved-memory ranges as a second memory node). Interrupt specifiers as
// Xen's set_interrupt(): <1 (ppi - 16) 0xf08> for a level-low PPI on all CPUs.
#include "core/boot/dom0_dt.hpp"

#include "core/boot/domain_builder_dt.hpp"
#include "core/boot/dt_address.hpp"
#include "core/boot/dt_parse.hpp"
#include "core/boot/guest_dt.hpp"
#include "core/boot/guest_layout.hpp"
#include "lib/cstr.hpp"
#include "lib/fdt_writer.hpp"
#include "lib/fmt.hpp"

namespace keel {
namespace {

using dt::fail;

constexpr uint32_t kAllCpusLevelLow = (0xf << 8) | 0x8;  // cpumask 0xf, DT_IRQ_TYPE_LEVEL_LOW
constexpr uint32_t kGicTypePpi = 1;
constexpr uint64_t kGicrFrameSize = 2 * 64 * 1024;  // GICV3_GICR_SIZE: RD_base + SGI_base
constexpr size_t kMaxReservedBanks = kMaxReservedRanges;
static_assert(kMaxReservedBanks >= kDom0MaxRamBanks, "write_memory() sizes its reg for both");

// write_properties(): /chosen properties Xen drops (it re-adds bootargs and the initrd).
constexpr const char* kChosenDropped[] = {
    "xen,xen-bootargs",        "xen,dom0-bootargs",     "bootargs",
    "linux,initrd-start",      "linux,initrd-end",      "stdout-path",
    "linux,uefi-system-table", "linux,uefi-mmap-start", "linux,uefi-mmap-size",
    "linux,uefi-mmap-desc-size", "linux,uefi-mmap-desc-ver",
};
// Dropped from every copied node: Xen's passthrough marker, and the IOMMU
// links (keel offers dom0 no IOMMU; Xen strips them for IOMMU-protected nodes).
constexpr const char* kAlwaysDropped[] = {"xen,passthrough", "iommus", "iommu-map", "iommu-map-mask"};

template <size_t N>
bool in_list(const char* name, const char* const (&list)[N])
{
    for (const char* s : list)
        if (cstr_eq(name, s)) return true;
    return false;
}

void ppi_specifier(uint32_t* cells, uint32_t intid)
{
    cells[0] = kGicTypePpi;
    cells[1] = intid - kDom0FirstPpi;
    cells[2] = kAllCpusLevelLow;
}

struct Ctx {
    const Fdt& fdt;
    const Dom0DtParams& p;
    const Dom0Host& h;
    uint32_t root_acells;
    uint32_t root_scells;
};

// (address, size) pairs in the root's cells; Errno::Range when one does not fit.
Result<size_t> encode_reg(const Ctx& c, const PhysRange* ranges, size_t count, uint32_t* out)
{
    size_t n = 0;
    for (size_t i = 0; i < count; ++i) {
        const uint64_t v[2] = {ranges[i].base.raw(), ranges[i].size};
        for (size_t k = 0; k < 2; ++k) {
            const uint32_t cells = k == 0 ? c.root_acells : c.root_scells;
            if (cells == 1 && v[k] > 0xffffffffu) return Errno::Range;
            if (cells == 2) out[n++] = static_cast<uint32_t>(v[k] >> 32);
            out[n++] = static_cast<uint32_t>(v[k]);
        }
    }
    return n;
}

Result<void> write_chosen_extras(FdtWriter& w, const Dom0DtParams& p)
{
    if (p.bootargs != nullptr) KEEL_TRY(w.property_string("bootargs", p.bootargs));
    if (p.initrd.size != 0) {
        KEEL_TRY(w.property_u64("linux,initrd-start", p.initrd.base.raw()));
        KEEL_TRY(w.property_u64("linux,initrd-end", p.initrd.end().raw()));
    }
    return {};
}

Result<void> copy_node(FdtWriter& w, const Ctx& c, int node, bool passthrough)
{
    const bool chosen = node != c.fdt.root() && c.fdt.parent(node) == c.fdt.root() &&
                        cstr_eq(c.fdt.node_name(node), "chosen");
    KEEL_TRY(w.begin_node(node == c.fdt.root() ? "" : c.fdt.node_name(node)));
    FdtProperty status;
    bool has_status = false;
    FdtProperty p;
    for (int off = c.fdt.next_property(node, -1, p); off >= 0; off = c.fdt.next_property(node, off, p)) {
        if (p.name == nullptr) continue;
        if (chosen && in_list(p.name, kChosenDropped)) continue;
        if (in_list(p.name, kAlwaysDropped)) continue;
        if (cstr_eq(p.name, "status")) {  // re-emitted last, as Xen does
            status = p;
            has_status = true;
            continue;
        }
        KEEL_TRY(w.property(p.name, p.data, p.len));
    }
    if (passthrough)
        KEEL_TRY(w.property_string("status", "disabled"));
    else if (has_status)
        KEEL_TRY(w.property("status", status.data, status.len));
    if (chosen) KEEL_TRY(write_chosen_extras(w, c.p));
    return {};
}

// make_gic_node() + gicv3_make_hwdom_dt_node(): the host GICD and as many
// redistributor regions as dom0's vCPUs need (128 KiB per vCPU), host sizes.
Result<void> write_gic(FdtWriter& w, const Ctx& c)
{
    const Fdt& fdt = c.fdt;
    const int gic = c.h.gic;
    FdtProperty p;
    const uint32_t host_regions = c.h.gic_redist_regions;  // checked by find_dom0_host
    DtDiagnostic why;
    uint32_t regions = 0;
    uint64_t first_cpu = 0;
    while (regions < host_regions) {
        auto r = dt::reg_entry(fdt, gic, 1 + regions, why);
        if (!r.ok()) return Errno::Inval;
        ++regions;
        first_cpu += r.value().size / kGicrFrameSize;
        if (first_cpu >= c.p.vcpus) break;
    }
    const uint32_t cells = dt::child_address_cells(fdt, fdt.parent(gic)) + dt::child_size_cells(fdt, fdt.parent(gic));
    FdtProperty reg;
    fdt.property(gic, "reg", reg);
    const size_t reg_len = size_t{cells} * 4 * (1 + regions);
    if (reg_len > reg.len) return Errno::Inval;

    KEEL_TRY(w.begin_node("interrupt-controller"));
    KEEL_TRY(w.property_u32("phandle", c.h.gic_phandle));
    if (fdt.property(gic, "#address-cells", p)) KEEL_TRY(w.property("#address-cells", p.data, p.len));
    if (fdt.property(gic, "#size-cells", p)) KEEL_TRY(w.property("#size-cells", p.data, p.len));
    KEEL_TRY(w.property_u32("#interrupt-cells", 3));
    KEEL_TRY(w.property_empty("interrupt-controller"));
    if (fdt.property(gic, "compatible", p)) KEEL_TRY(w.property("compatible", p.data, p.len));
    KEEL_TRY(w.property_u32("#redistributor-regions", regions));
    KEEL_TRY(w.property("reg", reg.data, reg_len));
    return w.end_node();
}

// make_timer_node(): secure phys, non-secure phys, virt (not the hypervisor timer).
Result<void> write_timer(FdtWriter& w, const Ctx& c)
{
    uint32_t irqs[9];
    for (size_t i = 0; i < 3; ++i) ppi_specifier(irqs + 3 * i, c.h.timer_ppi[i]);
    KEEL_TRY(w.begin_node("timer"));
    KEEL_TRY(w.property_string("compatible", "arm,armv8-timer"));
    KEEL_TRY(w.property_cells("interrupts", irqs, 9));
    KEEL_TRY(w.property_u32("interrupt-parent", c.h.gic_phandle));
    FdtProperty p;
    if (c.fdt.property(c.h.timer, "clock-frequency", p) && p.len == 4)
        KEEL_TRY(w.property_u32("clock-frequency", p.u32_at(0)));
    return w.end_node();
}

// make_hypervisor_node(): grant-table window only (no extended regions).
Result<void> write_hypervisor(FdtWriter& w, const Ctx& c)
{
    char version[32];
    FmtBuffer vb{version, sizeof version};
    format_to(vb, "xen,xen-{}.{}", c.p.xen_major, c.p.xen_minor);
    const char* compat[] = {vb.c_str(), "xen,xen"};
    KEEL_TRY(w.begin_node("hypervisor"));
    KEEL_TRY(w.property_strings("compatible", compat, 2));
    uint32_t reg[4];
    auto n = encode_reg(c, &c.p.gnttab, 1, reg);
    if (!n.ok()) return n.error();
    KEEL_TRY(w.property_cells("reg", reg, n.value()));
    uint32_t irq[3];
    ppi_specifier(irq, c.p.evtchn_ppi);
    KEEL_TRY(w.property_cells("interrupts", irq, 3));
    KEEL_TRY(w.property_u32("interrupt-parent", c.h.gic_phandle));
    return w.end_node();
}

// make_cpus_node(): compatible and clock-frequency of the host's first CPU.
Result<void> write_cpus(FdtWriter& w, const Ctx& c)
{
    static constexpr char kDefaultCompat[] = "arm,armv8";
    const HostDtFacts host = read_host_dt_facts(c.fdt, 0);
    const void* compat = host.cpu_compatible != nullptr ? host.cpu_compatible : kDefaultCompat;
    const size_t compat_len = host.cpu_compatible != nullptr ? host.cpu_compatible_len : sizeof kDefaultCompat;
    KEEL_TRY(w.begin_node("cpus"));
    KEEL_TRY(w.property_u32("#address-cells", 1));
    KEEL_TRY(w.property_u32("#size-cells", 0));
    for (uint32_t cpu = 0; cpu < c.p.vcpus; ++cpu) {
        const uint64_t aff = vcpu_mpidr_affinity(cpu);
        char name[24];
        FmtBuffer nb{name, sizeof name};
        format_to(nb, "cpu@{:x}", aff);
        KEEL_TRY(w.begin_node(nb.c_str()));
        KEEL_TRY(w.property("compatible", compat, compat_len));
        KEEL_TRY(w.property_string("device_type", "cpu"));
        KEEL_TRY(w.property_u32("reg", static_cast<uint32_t>(aff)));
        if (host.cpu_clock_frequency != 0) KEEL_TRY(w.property_u32("clock-frequency", host.cpu_clock_frequency));
        KEEL_TRY(w.property_string("enable-method", "psci"));
        KEEL_TRY(w.end_node());
    }
    return w.end_node();
}

// make_memory_node(): one node named after the first bank, every bank in "reg".
Result<void> write_memory(FdtWriter& w, const Ctx& c, const PhysRange* banks, size_t count)
{
    char name[32];
    FmtBuffer nb{name, sizeof name};
    format_to(nb, "memory@{:x}", banks[0].base.raw());
    KEEL_TRY(w.begin_node(nb.c_str()));
    KEEL_TRY(w.property_string("device_type", "memory"));
    uint32_t reg[4 * kMaxReservedBanks];
    auto n = encode_reg(c, banks, count, reg);
    if (!n.ok()) return n.error();
    KEEL_TRY(w.property_cells("reg", reg, n.value()));
    return w.end_node();
}

// The host's /reserved-memory children (Xen's bootinfo.reserved_mem).
Result<size_t> host_reserved(const Fdt& fdt, PhysRange* out, size_t cap)
{
    const int rm = fdt.path_offset("/reserved-memory");
    if (rm < 0 || fdt.parent(rm) != fdt.root()) return size_t{0};
    size_t n = 0;
    DtDiagnostic why;
    for (int child = fdt.first_child(rm); child >= 0; child = fdt.next_sibling(child)) {
        auto count = dt::reg_entries(fdt, child, why);
        if (!count.ok()) continue;  // unreadable: collect_dom0_devices reports it
        for (size_t i = 0; i < count.value(); ++i) {
            auto r = dt::reg_entry(fdt, child, i, why);
            if (!r.ok() || r.value().size == 0) continue;
            if (n == cap) return Errno::TooBig;
            out[n++] = r.value();
        }
    }
    return n;
}

bool params_valid(const Dom0DtParams& p)
{
    if (p.vcpus == 0 || p.vcpus > kDom0MaxVcpus) return false;
    if (p.ram_count == 0 || p.ram_count > kDom0MaxRamBanks) return false;
    for (size_t i = 0; i < p.ram_count; ++i)
        if (p.ram[i].size == 0 || dt::range_wraps(p.ram[i].base.raw(), p.ram[i].size)) return false;
    if (p.initrd.size != 0 && dt::range_wraps(p.initrd.base.raw(), p.initrd.size)) return false;
    if (p.gnttab.size == 0 || dt::range_wraps(p.gnttab.base.raw(), p.gnttab.size)) return false;
    if (p.evtchn_ppi < kDom0FirstPpi || p.evtchn_ppi >= kDom0FirstSpi) return false;
    return true;
}

Result<void> write_tree(FdtWriter& w, const Ctx& c)
{
    const Fdt& fdt = c.fdt;
    bool chosen_seen = false;
    DtDiagnostic why;
    int depth = 0;
    int node = fdt.root();
    while (node >= 0) {
        while (w.depth() > static_cast<size_t>(depth)) KEEL_TRY(w.end_node());
        Dom0NodeAction action = Dom0NodeAction::Skip;
        if (depth <= kDom0MaxDepth) {
            auto a = dom0_node_action(fdt, node, c.h, nullptr, why);
            if (a.ok()) action = a.value();  // an unreadable node is left out, as collected
        }
        switch (action) {
        case Dom0NodeAction::Copy:
        case Dom0NodeAction::Passthrough:
            if (depth == 1 && cstr_eq(fdt.node_name(node), "chosen")) chosen_seen = true;
            KEEL_TRY(copy_node(w, c, node, action == Dom0NodeAction::Passthrough));
            node = fdt.next_node(node, &depth);
            continue;
        case Dom0NodeAction::ReplaceGic: KEEL_TRY(write_gic(w, c)); break;
        case Dom0NodeAction::ReplaceTimer: KEEL_TRY(write_timer(w, c)); break;
        case Dom0NodeAction::Skip: break;
        }
        node = dom0_skip_subtree(fdt, node, depth);
    }
    while (w.depth() > 1) KEEL_TRY(w.end_node());
    if (!chosen_seen) {
        KEEL_TRY(w.begin_node("chosen"));
        KEEL_TRY(write_chosen_extras(w, c.p));
        KEEL_TRY(w.end_node());
    }
    KEEL_TRY(write_hypervisor(w, c));
    KEEL_TRY(write_guest_psci_node(w));
    KEEL_TRY(write_cpus(w, c));
    KEEL_TRY(write_memory(w, c, c.p.ram, c.p.ram_count));
    PhysRange reserved[kMaxReservedBanks];
    auto nres = host_reserved(fdt, reserved, kMaxReservedBanks);
    if (!nres.ok()) return nres.error();
    if (nres.value() != 0) KEEL_TRY(write_memory(w, c, reserved, nres.value()));
    return w.end_node();
}

}  // namespace

size_t dom0_dt_capacity(const Fdt& host, const Dom0DtParams& p)
{
    const size_t args = p.bootargs != nullptr ? cstr_len(p.bootargs) + 1 : 0;
    // The header's totalsize only up to what is there: a hostile header may claim 4 GiB.
    const size_t blob = host.total_size() < host.available() ? host.total_size() : host.available();
    return blob + kDom0DtSlack + args;
}

Result<size_t> build_dom0_dt(const Fdt& fdt, const Dom0DtParams& p, void* buf, size_t capacity,
                             DtDiagnostic* diag)
{
    DtDiagnostic local;
    DtDiagnostic& d = diag != nullptr ? *diag : local;
    if (!params_valid(p)) return fail(d, Errno::Inval, "dom0: bad device-tree parameters");
    FdtCheckReport report;
    if (Fdt::check(fdt.data(), fdt.available(), &report) != FdtError::None) {
        FmtBuffer b{d.text, sizeof d.text};
        b.put("device tree: dom0: the host tree is malformed: ");
        format_fdt_check_report(report, b);
        return Errno::Inval;
    }
    const uint32_t acells = dt::child_address_cells(fdt, fdt.root());
    const uint32_t scells = dt::child_size_cells(fdt, fdt.root());
    if (acells < 1 || acells > 2 || scells < 1 || scells > 2)
        return fail(d, Errno::Inval, "dom0: root #address-cells {} / #size-cells {} (must be 1 or 2)",
                    acells, scells);
    auto host = find_dom0_host(fdt, p.filter, d);
    if (!host.ok()) return Errno::Inval;
    const Ctx c{fdt, p, host.value(), acells, scells};
    FdtWriter w{buf, capacity};
    const auto written = write_tree(w, c);
    if (!written.ok()) {
        const Errno e = w.failed() ? w.error() : written.error();
        return fail(d, e, "dom0: writing the device tree failed ({})", errno_name(e));
    }
    return w.finish();
}

}  // namespace keel
