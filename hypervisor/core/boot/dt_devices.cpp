// SPDX-License-Identifier: MIT
//
// core/boot/dt_devices.cpp
// Owns the device parts of BootInfo: the GICv3 (distributor and redistributor
// regions), the architected timer's four PPIs, the PSCI conduit and the
// console PL011 named by /chosen/stdout-path.
#include "core/boot/dt_parse.hpp"
#include "lib/cstr.hpp"

namespace keel {

namespace dt {
namespace {

constexpr uint32_t kGicSpiType = 0;   // GIC binding: interrupt specifier cell 0, 0 = SPI
constexpr uint32_t kGicPpiType = 1;   // GIC binding: interrupt specifier cell 0, 1 = PPI
constexpr uint32_t kPpiBase = 16;     // GICv3 spec (IHI 0069): PPIs are INTIDs 16..31
constexpr uint32_t kSpiBase = 32;     // GICv3 spec (IHI 0069): SPIs are INTIDs 32..1019
constexpr uint32_t kSpiCount = 988;
constexpr uint32_t kPpiCount = 16;
constexpr size_t kTimerIrqs = 4;      // arm,arch_timer binding: secure, non-secure, virtual, hyp

// The node whose #interrupt-cells describe node's "interrupts": the nearest
// "interrupt-parent" up the tree (Devicetree spec, "Interrupts and Interrupt Mapping").
int interrupt_parent(const Fdt& fdt, int node)
{
    for (int n = node; n >= 0; n = fdt.parent(n)) {
        FdtProperty p;
        if (fdt.property(n, "interrupt-parent", p) && p.len >= 4)
            return fdt.node_by_phandle(p.u32_at(0));
    }
    return -1;
}

}  // namespace

// Linux bindings interrupt-controller/arm,gic-v3.yaml: "interrupts" cells are
// <type number flags> (type 0 SPI, 1 PPI). Only the first interrupt is read.
uint32_t first_gic_intid(const Fdt& fdt, int node)
{
    const int ic = interrupt_parent(fdt, node);
    FdtProperty cells;
    const uint32_t ncells =
        ic >= 0 && fdt.property(ic, "#interrupt-cells", cells) ? cells.u32_at(0) : 3;
    FdtProperty irqs;
    if (ncells < 3 || ncells > 4 || !fdt.property(node, "interrupts", irqs) ||
        irqs.len < ncells * 4)
        return 0;
    const uint32_t type = irqs.u32_at(0);
    const uint32_t num = irqs.u32_at(1);
    if (type == kGicSpiType && num < kSpiCount) return kSpiBase + num;
    if (type == kGicPpiType && num < kPpiCount) return kPpiBase + num;
    return 0;
}

// Linux bindings interrupt-controller/arm,gic-v3.yaml: reg = GICD, then
// #redistributor-regions GICR regions; optional "redistributor-stride" (u64).
Result<void> parse_gic(const Fdt& fdt, BootInfo& out, DtDiagnostic& diag)
{
    const int gic = find_enabled_compatible(fdt, "arm,gic-v3");
    if (gic < 0) return fail(diag, Errno::NoDev, "no GICv3 interrupt controller (\"arm,gic-v3\")");
    GicInfo& info = out.gic;
    uint64_t base = 0;
    uint64_t size = 0;
    if (!fdt.reg(gic, 0, base, size) || size == 0)
        return fail(diag, Errno::Inval, "GICv3 {} has no distributor in \"reg\"",
                    NodePath{fdt, gic}.c_str());
    info.dist = PhysRange{PhysAddr{base}, size};

    uint32_t regions = 1;
    FdtProperty p;
    if (fdt.property(gic, "#redistributor-regions", p)) regions = p.u32_at(0);
    if (regions < 1 || regions > kMaxRedistRegions)
        return fail(diag, Errno::Inval,
                    "GICv3 {} has #redistributor-regions = {} (keel reads 1..{})",
                    NodePath{fdt, gic}.c_str(), regions, kMaxRedistRegions);
    for (uint32_t i = 0; i < regions; ++i) {
        if (!fdt.reg(gic, 1 + i, base, size) || size == 0)
            return fail(
                diag, Errno::Inval,
                "GICv3 {} has no redistributor region {} in \"reg\" (#redistributor-regions = {})",
                NodePath{fdt, gic}.c_str(), i, regions);
        info.redist[i] = PhysRange{PhysAddr{base}, size};
    }
    info.redist_count = regions;
    if (fdt.property(gic, "redistributor-stride", p))
        info.redist_stride = p.len == 8 ? p.cells_at(0, 2) : p.u32_at(0);
    if (fdt.property(gic, "phandle", p) || fdt.property(gic, "linux,phandle", p))
        info.phandle = p.u32_at(0);
    info.version = 3;
    info.node = gic;
    return {};
}

// Linux bindings timer/arm,arch_timer.yaml: "interrupts" lists the secure
// physical, non-secure physical, virtual and hypervisor timers, in that order.
Result<void> parse_timer(const Fdt& fdt, BootInfo& out, DtDiagnostic& diag)
{
    int timer = find_enabled_compatible(fdt, "arm,armv8-timer");
    if (timer < 0) timer = find_enabled_compatible(fdt, "arm,armv7-timer");
    if (timer < 0) return fail(diag, Errno::NoDev, "no architected timer (\"arm,armv8-timer\")");
    const NodePath path{fdt, timer};

    int ic = interrupt_parent(fdt, timer);
    if (ic < 0) ic = out.gic.node;
    FdtProperty cells;
    const uint32_t ncells = fdt.property(ic, "#interrupt-cells", cells) ? cells.u32_at(0) : 3;
    if (ncells < 3 || ncells > 4)
        return fail(diag, Errno::Inval,
                    "timer {}: interrupt parent has #interrupt-cells = {} (expected 3)",
                    path.c_str(), ncells);

    FdtProperty irqs;
    if (!fdt.property(timer, "interrupts", irqs))
        return fail(diag, Errno::Inval, "timer {} has no \"interrupts\"", path.c_str());
    const size_t count = irqs.len / (ncells * 4);
    if (count < kTimerIrqs)
        return fail(
            diag, Errno::Inval,
            "timer {} lists {} interrupts; keel needs 4 (secure, non-secure, virtual, hypervisor)",
            path.c_str(), count);
    uint32_t intid[kTimerIrqs] = {};
    for (size_t i = 0; i < kTimerIrqs; ++i) {
        const uint32_t type = irqs.u32_at(i * ncells);
        const uint32_t num = irqs.u32_at(i * ncells + 1);
        if (type != kGicPpiType || num >= kPpiCount)
            return fail(diag, Errno::Inval, "timer {} interrupt {} is not a PPI (<{} {} ...>)",
                        path.c_str(), i, type, num);
        intid[i] = num + kPpiBase;
    }
    out.timer.secure_phys_intid = intid[0];
    out.timer.phys_intid = intid[1];
    out.timer.virt_intid = intid[2];
    out.timer.hyp_intid = intid[3];
    FdtProperty freq;
    if (fdt.property(timer, "clock-frequency", freq)) out.timer.frequency_hz = freq.u32_at(0);
    return {};
}

// Linux bindings arm/psci.yaml: "method" is "hvc" or "smc". Without PSCI a
// single CPU still boots; secondaries cannot be started.
Result<void> parse_psci(const Fdt& fdt, BootInfo& out, DtDiagnostic& diag)
{
    static constexpr const char* kCompatibles[] = {"arm,psci-1.0", "arm,psci-0.2", "arm,psci"};
    int psci = -1;
    for (const char* compat : kCompatibles) {
        psci = find_enabled_compatible(fdt, compat);
        if (psci >= 0) break;
    }
    if (psci < 0) {
        out.psci = PsciConduit::None;
        if (out.cpu_count > 1)
            return fail(
                diag, Errno::NoDev,
                "no PSCI node (\"arm,psci-0.2\") but {} CPUs listed: secondaries cannot start",
                out.cpu_count);
        return {};
    }
    FdtProperty p;
    const char* method = fdt.property(psci, "method", p) ? p.as_string() : nullptr;
    if (method != nullptr && cstr_eq(method, "hvc")) {
        out.psci = PsciConduit::Hvc;
    } else if (method != nullptr && cstr_eq(method, "smc")) {
        out.psci = PsciConduit::Smc;
    } else {
        return fail(diag, Errno::Inval, "PSCI {} has method \"{}\" (expected \"hvc\" or \"smc\")",
                    NodePath{fdt, psci}.c_str(), method != nullptr ? method : "");
    }
    return {};
}

}  // namespace dt

bool find_stdout_uart(const Fdt& fdt, PhysRange& uart, const char*& path, DtDiagnostic& why,
                      int* node_out)
{
    const int chosen = fdt.path_offset("/chosen");
    FdtProperty p;
    if (chosen < 0 || !(fdt.property(chosen, "stdout-path", p) ||
                        fdt.property(chosen, "linux,stdout-path", p))) {
        dt::fail(why, Errno::NoEnt, "no /chosen \"stdout-path\"");
        return false;
    }
    const char* s = p.as_string();
    if (s == nullptr) {
        dt::fail(why, Errno::Inval, "/chosen \"stdout-path\" is not a string");
        return false;
    }
    size_t len = 0;
    while (s[len] != '\0' && s[len] != ':') ++len;  // "serial0:115200n8": options follow ':'
    const int node = fdt.path_offset(s, len);
    if (node < 0) {
        dt::fail(why, Errno::NoEnt, "stdout-path \"{}\" names no node", s);
        return false;
    }
    if (!fdt.is_compatible(node, "arm,pl011")) {
        dt::fail(why, Errno::NoDev, "stdout-path \"{}\" is {}, not an \"arm,pl011\"", s,
                 dt::NodePath{fdt, node}.c_str());
        return false;
    }
    uint64_t base = 0;
    uint64_t size = 0;
    if (!fdt.reg(node, 0, base, size) || size == 0) {
        dt::fail(why, Errno::Inval, "console {} has no \"reg\"", dt::NodePath{fdt, node}.c_str());
        return false;
    }
    uart = PhysRange{PhysAddr{base}, size};
    path = s;
    if (node_out != nullptr) *node_out = node;
    return true;
}

}  // namespace keel
