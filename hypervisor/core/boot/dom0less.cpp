// SPDX-License-Identifier: MIT
//
// core/boot/dom0less.cpp
// Owns parse_dom0less(): /chosen "xen,domain" nodes → DomainSpec, with one error
// line per problem and the bad domain skipped. Binding facts are from Xen's
// docs/misc/arm/device-tree/booting.txt and Xen 4.17's reader of it
// (xen/arch/arm/bootfdt.c process_multiboot_node(), domain_build.c
// create_domUs()/construct_domU(), kernel.c kernel_probe()); where keel is more
// lenient or stricter than Xen the comment says so.
#include "core/boot/dom0less.hpp"

#include "core/boot/module_kind.hpp"
#include "lib/cstr.hpp"
#include "lib/fdt.hpp"

namespace keel {
namespace {

// DOMID_FIRST_RESERVED (xen/include/public/xen.h): ids from here on are special.
constexpr uint32_t kMaxDomid = 0x7ff0;

struct Context {
    const Fdt& fdt;
    const BootInfo& boot;
    const Dom0lessLimits& limits;
    Dom0lessDiagnostics& diag;
    uint64_t host_ram;
    uint32_t max_vcpus;
};

}  // namespace

bool covered_by_ram(const BootInfo& boot, const PhysRange& r)
{
    const size_t n = boot.memory_count < kMaxMemoryBanks ? boot.memory_count : kMaxMemoryBanks;
    uint64_t cursor = r.base.raw();
    const uint64_t end = r.end().raw();
    // Each pass advances past one bank (banks may be adjacent), so n passes suffice.
    for (size_t pass = 0; pass < n && cursor < end; ++pass) {
        bool advanced = false;
        for (size_t i = 0; i < n; ++i) {
            const PhysRange& b = boot.memory[i];
            if (b.contains(PhysAddr{cursor})) {
                cursor = b.end().raw();
                advanced = true;
                break;
            }
        }
        if (!advanced) return false;
    }
    return cursor >= end;
}

namespace {

void parse_memory(Context& c, const char* dom, int node, DomainSpec& s, bool& ok)
{
    FdtProperty p;
    if (!c.fdt.property(node, "memory", p)) {
        c.diag.error("dom0less: {}: memory: missing", dom);
        ok = false;
        return;
    }
    // Xen reads "memory" as one 64-bit value whatever #size-cells says
    // (dt_property_read_u64). keel also takes a single cell, with a note.
    if (p.len == 8) {
        s.memory_kib = p.cells_at(0, 2);
    } else if (p.len == 4) {
        s.memory_kib = p.u32_at(0);
        c.diag.note("dom0less: {}: note: memory is one cell; Xen requires two (<0x0 KiB>)", dom);
    } else {
        c.diag.error("dom0less: {}: memory: {} bytes, expected 2 cells (KiB as a 64-bit value)",
                     dom, p.len);
        ok = false;
        return;
    }
    if (s.memory_kib == 0) {
        c.diag.error("dom0less: {}: memory: zero", dom);
        ok = false;
    } else if (s.memory_kib % (kPageSize / 1024) != 0) {
        c.diag.error("dom0less: {}: memory: {} KiB is not a multiple of 4 KiB", dom, s.memory_kib);
        ok = false;
    } else if (s.memory_kib > c.host_ram / 1024) {
        c.diag.error("dom0less: {}: memory: {} KiB is more than host RAM ({} KiB)", dom,
                     s.memory_kib, c.host_ram / 1024);
        ok = false;
    } else if (s.memory_kib > (kGuestRam0Size + kGuestRam1Size) / 1024) {
        c.diag.error("dom0less: {}: memory: {} KiB is more than the guest RAM banks hold", dom,
                     s.memory_kib);
        ok = false;
    }
}

void parse_cpus(Context& c, const char* dom, int node, DomainSpec& s, bool& ok)
{
    FdtProperty p;
    if (!c.fdt.property(node, "cpus", p)) {
        c.diag.error("dom0less: {}: cpus: missing", dom);
        ok = false;
        return;
    }
    if (p.len != 4) {
        c.diag.error("dom0less: {}: cpus: {} bytes, expected 1 cell", dom, p.len);
        ok = false;
        return;
    }
    s.vcpus = p.u32_at(0);
    if (s.vcpus == 0) {
        c.diag.error("dom0less: {}: cpus: zero", dom);
        ok = false;
    } else if (s.vcpus > c.max_vcpus) {
        c.diag.error("dom0less: {}: cpus: {} is more than the limit of {}", dom, s.vcpus,
                     c.max_vcpus);
        ok = false;
    }
}

// construct_domU(): dt_property_read_string() failing with -ENODATA (empty) or
// -EILSEQ (not a string) counts as "enabled", like the value "enabled".
XenEnhanced parse_enhanced(Context& c, const char* dom, int node)
{
    FdtProperty p;
    if (!c.fdt.property(node, "xen,enhanced", p)) return XenEnhanced::Disabled;
    const char* v = p.as_string();
    if (p.len == 0 || v == nullptr || cstr_eq(v, "enabled")) return XenEnhanced::Enabled;
    if (cstr_eq(v, "no-xenstore")) return XenEnhanced::NoXenstore;
    if (!cstr_eq(v, "disabled"))
        c.diag.note("dom0less: {}: note: xen,enhanced \"{}\" is unknown; PV interfaces disabled",
                    dom, v);
    return XenEnhanced::Disabled;
}

// Xen 4.18's "sve" (docs/misc/arm/device-tree/booting.txt): absent or 0 = no
// SVE; a number of bits, a multiple of 128 up to 2048 = that vector length;
// present without a value = the host's largest. Checked against the host when
// the domain is built (arch/arm64/vcpu/sve).
void parse_sve(Context& c, const char* dom, int node, DomainSpec& s, bool& ok)
{
    FdtProperty p;
    if (!c.fdt.property(node, "sve", p)) return;
    if (p.len == 0) {
        s.sve_bits = kSveHostMax;
        return;
    }
    if (p.len != 4) {
        c.diag.error("dom0less: {}: sve: {} bytes, expected none or 1 cell", dom, p.len);
        ok = false;
        return;
    }
    const uint32_t bits = p.u32_at(0);
    if (bits % 128 != 0 || bits > 2048) {
        c.diag.error("dom0less: {}: sve: {} is not a multiple of 128 bits up to 2048", dom, bits);
        ok = false;
        return;
    }
    s.sve_bits = static_cast<int32_t>(bits);
}

uint32_t optional_u32(const Fdt& fdt, int node, const char* name)
{
    FdtProperty p;
    return fdt.property(node, name, p) && p.len >= 4 ? p.u32_at(0) : 0;
}

void record_extras(Context& c, const char* dom, int node, DomainSpec& s)
{
    s.nr_spis = optional_u32(c.fdt, node, "nr_spis");
    s.p2m_mem_mb = optional_u32(c.fdt, node, "xen,domain-p2m-mem-mb");
    s.cpupool_phandle = optional_u32(c.fdt, node, "domain-cpupool");
    s.direct_map = c.fdt.has_property(node, "direct-map");
    s.static_mem = c.fdt.has_property(node, "xen,static-mem");
    if (s.direct_map)
        c.diag.note("dom0less: {}: note: direct-map is not supported yet; ignored", dom);
    if (s.static_mem)
        c.diag.note(
            "dom0less: {}: note: xen,static-mem is not supported yet; RAM comes from the heap",
            dom);
    if (c.fdt.has_property(node, "domain-cpupool"))
        c.diag.note("dom0less: {}: note: domain-cpupool is not supported yet; ignored", dom);
}

// Reads one module child into the slot for its kind.
void take_module(Context& c, const char* dom, int child, ModKind kind, DomainSpec& s, bool& ok)
{
    const char* mod = c.fdt.node_name(child);
    uint64_t base = 0;
    uint64_t size = 0;
    if (!c.fdt.reg(child, 0, base, size)) {
        c.diag.error("dom0less: {}: {}: reg: missing or malformed", dom, mod);
        ok = false;
        return;
    }
    if (size == 0) {
        c.diag.error("dom0less: {}: {}: reg: size is zero", dom, mod);
        ok = false;
        return;
    }
    if (base + size < base) {
        c.diag.error("dom0less: {}: {}: reg: {:#x}+{:#x} wraps around", dom, mod, base, size);
        ok = false;
        return;
    }
    DomainModule* slot = kind == ModKind::Kernel    ? &s.kernel
                         : kind == ModKind::Ramdisk ? &s.ramdisk
                                                    : &s.device_tree;
    if (slot->present()) {
        c.diag.error("dom0less: {}: more than one {} module ({} and {})", dom, module_kind_name(kind),
                     c.fdt.node_name(slot->node), mod);
        ok = false;
        return;
    }
    slot->node = child;
    slot->range = PhysRange{PhysAddr{base}, size};
    FdtProperty args;
    if (c.fdt.property(child, "bootargs", args)) slot->bootargs = args.as_string();
    if (kind == ModKind::DeviceTree)
        c.diag.note("dom0less: {}: note: {}: partial device tree recorded, not used yet", dom, mod);
}

// Returns whether a kernel module node was seen (even one rejected for its reg).
bool parse_children(Context& c, const char* dom, int node, DomainSpec& s, bool& ok)
{
    bool kernel_seen = false;
    uint32_t plain_seen = 0;
    for (int child = c.fdt.first_child(node); child >= 0; child = c.fdt.next_sibling(child)) {
        const ModKind raw = classify_module(c.fdt, child);
        if (raw == ModKind::None) {
            if (c.fdt.is_compatible(child, "xen,evtchn-v1") ||
                c.fdt.is_compatible(child, "xen,evtchn")) {
                ++s.evtchn_nodes;
                if (!parse_static_evtchn(c.fdt, dom, child, s, c.diag)) ok = false;
            } else if (c.fdt.is_compatible(child, "xen,domain-shared-memory-v1")) {
                ++s.shm_nodes;
                if (!parse_static_shm(c.fdt, dom, child, s, c.diag)) ok = false;
            }
            continue;
        }
        const ModKind kind = guess_module_kind(raw, plain_seen);
        if (kind == ModKind::Xsm || kind == ModKind::Plain) {
            c.diag.note("dom0less: {}: note: {}: {} ignored", dom, c.fdt.node_name(child),
                        kind == ModKind::Xsm ? "xen,xsm-policy module" : "third plain module");
            continue;
        }
        kernel_seen = kernel_seen || kind == ModKind::Kernel;
        take_module(c, dom, child, kind, s, ok);
    }
    return kernel_seen;
}

// Where each module sits: in host RAM, clear of what keel uses, clear of the
// domain's other modules. Different domains may share one module (the Xen
// anchor boots two domUs from one kernel and one initramfs).
bool check_module_ranges(Context& c, const char* dom, DomainSpec& s)
{
    struct Named {
        const DomainModule* m;
        const char* kind;
    };
    const Named mods[] = {
        {&s.kernel, "kernel"}, {&s.ramdisk, "ramdisk"}, {&s.device_tree, "device-tree"}};
    bool ok = true;
    for (size_t i = 0; i < 3; ++i) {
        const DomainModule& m = *mods[i].m;
        if (!m.present()) continue;
        const char* name = c.fdt.node_name(m.node);
        const uint64_t b = m.range.base.raw();
        const uint64_t e = m.range.end().raw();
        if (!covered_by_ram(c.boot, m.range)) {
            c.diag.error("dom0less: {}: {} {}: [{:#x}-{:#x}) is outside host RAM", dom,
                         mods[i].kind, name, b, e);
            ok = false;
        }
        for (size_t f = 0; f < c.limits.forbidden_count && c.limits.forbidden != nullptr; ++f) {
            const ForbiddenRange& fr = c.limits.forbidden[f];
            if (!m.range.overlaps(fr.range)) continue;
            c.diag.error("dom0less: {}: {} {}: [{:#x}-{:#x}) overlaps {} [{:#x}-{:#x})", dom,
                         mods[i].kind, name, b, e, fr.what, fr.range.base.raw(),
                         fr.range.end().raw());
            ok = false;
        }
        for (size_t j = i + 1; j < 3; ++j) {
            const DomainModule& o = *mods[j].m;
            if (!o.present() || !m.range.overlaps(o.range)) continue;
            c.diag.error("dom0less: {}: {} {}: [{:#x}-{:#x}) overlaps {} {}", dom, mods[i].kind,
                         name, b, e, mods[j].kind, c.fdt.node_name(o.node));
            ok = false;
        }
    }
    return ok;
}

// A static shared-memory region must be host RAM clear of what keel uses and
// of every boot module (dt_chosen.cpp reserves it from the allocators).
bool check_shm_ranges(Context& c, const char* dom, const DomainSpec& s)
{
    bool ok = true;
    for (uint32_t i = 0; i < s.shm_count; ++i) {
        const StaticShmSpec& m = s.shm[i];
        const uint64_t b = m.host.base.raw();
        const uint64_t e = m.host.end().raw();
        if (!covered_by_ram(c.boot, m.host)) {
            c.diag.error("dom0less: {}: xen,shared-mem \"{}\": [{:#x}-{:#x}) is outside host RAM",
                         dom, m.id, b, e);
            ok = false;
        }
        for (size_t f = 0; f < c.limits.forbidden_count && c.limits.forbidden != nullptr; ++f) {
            const ForbiddenRange& fr = c.limits.forbidden[f];
            if (!m.host.overlaps(fr.range)) continue;
            c.diag.error("dom0less: {}: xen,shared-mem \"{}\": [{:#x}-{:#x}) overlaps {}", dom, m.id,
                         b, e, fr.what);
            ok = false;
        }
        const size_t nmod = c.boot.module_count < kMaxBootModules ? c.boot.module_count
                                                                  : kMaxBootModules;
        for (size_t j = 0; j < nmod; ++j) {
            if (!m.host.overlaps(c.boot.modules[j].range)) continue;
            c.diag.error("dom0less: {}: xen,shared-mem \"{}\": [{:#x}-{:#x}) overlaps boot module {}",
                         dom, m.id, b, e, c.fdt.node_name(c.boot.modules[j].node));
            ok = false;
        }
    }
    return ok;
}

// Only called once the kernel range is known to be host RAM keel may read.
void check_kernel_image(Context& c, const char* dom, DomainSpec& s, bool& ok)
{
    if (c.limits.read_module == nullptr) return;
    const char* name = c.fdt.node_name(s.kernel.node);
    uint8_t header[kArm64ImageHeaderSize] = {};
    const size_t len = s.kernel.range.size < sizeof header
                           ? static_cast<size_t>(s.kernel.range.size)
                           : sizeof header;
    if (!c.limits.read_module(c.limits.reader_ctx, s.kernel.range.base, header, len)) {
        c.diag.error("dom0less: {}: kernel {}: cannot read the Image header", dom, name);
        ok = false;
        return;
    }
    char why[112];
    FmtBuffer wb{why, sizeof why};
    auto info = check_arm64_image(std::span<const uint8_t>{header, len}, s.kernel.range.size, &wb);
    if (!info.ok()) {
        c.diag.error("dom0less: {}: kernel {}: bad Image header: {}", dom, name, wb.c_str());
        ok = false;
        return;
    }
    s.image = info.value();
    s.image_checked = true;
}

bool parse_domain(Context& c, int node, DomainSpec& s)
{
    const char* dom = c.fdt.node_name(node);
    s.name = dom;
    s.node = node;
    bool ok = true;
    parse_memory(c, dom, node, s, ok);
    parse_cpus(c, dom, node, s, ok);
    parse_sve(c, dom, node, s, ok);
    s.vpl011 = c.fdt.has_property(node, "vpl011");
    s.enhanced = parse_enhanced(c, dom, node);
    record_extras(c, dom, node, s);
    const bool kernel_seen = parse_children(c, dom, node, s, ok);
    if (!kernel_seen) {
        c.diag.error("dom0less: {}: no kernel module (multiboot,kernel)", dom);
        ok = false;
    }
    s.bootargs = s.kernel.bootargs;
    if (!check_module_ranges(c, dom, s)) return false;
    if (!check_shm_ranges(c, dom, s)) return false;
    if (s.kernel.present()) check_kernel_image(c, dom, s, ok);
    return ok;
}

}  // namespace

const char* xen_enhanced_name(XenEnhanced e)
{
    switch (e) {
    case XenEnhanced::Disabled: return "disabled";
    case XenEnhanced::Enabled: return "enabled";
    case XenEnhanced::NoXenstore: return "no-xenstore";
    }
    return "?";
}

char* Dom0lessDiagnostics::next_line(bool is_error)
{
    if (count_ >= kMaxLines) {
        ++dropped_;
        return nullptr;
    }
    error_[count_] = is_error;
    return lines_[count_++];
}

bool Dom0lessDiagnostics::contains(const char* text) const
{
    const size_t n = cstr_len(text);
    for (size_t i = 0; i < count_; ++i) {
        const char* l = lines_[i];
        for (size_t at = 0; l[at] != '\0'; ++at) {
            size_t k = 0;
            while (k < n && l[at + k] == text[k]) ++k;
            if (k == n) return true;
        }
    }
    return false;
}

bool dom0less_has_dom0(const Fdt& fdt)
{
    const int chosen = fdt.path_offset("/chosen");
    if (chosen < 0) return false;
    uint32_t plain_seen = 0;
    for (int child = fdt.first_child(chosen); child >= 0; child = fdt.next_sibling(child)) {
        const ModKind raw = classify_module(fdt, child);
        if (raw != ModKind::None && guess_module_kind(raw, plain_seen) == ModKind::Kernel) return true;
    }
    return false;
}

size_t parse_dom0less(const Fdt& fdt, const BootInfo& boot, const Dom0lessLimits& limits,
                      DomainSpec* out, size_t max, Dom0lessDiagnostics& diag)
{
    const int chosen = fdt.path_offset("/chosen");
    if (chosen < 0) return 0;

    uint64_t host_ram = limits.host_ram_bytes;
    if (host_ram == 0) {
        const size_t n = boot.memory_count < kMaxMemoryBanks ? boot.memory_count : kMaxMemoryBanks;
        for (size_t i = 0; i < n; ++i) host_ram += boot.memory[i].size;
    }
    uint32_t max_vcpus = limits.max_vcpus;
    if (max_vcpus == 0 || max_vcpus > kGuestMaxVcpus) max_vcpus = kGuestMaxVcpus;
    Context c{fdt, boot, limits, diag, host_ram, max_vcpus};

    size_t stored = 0;
    uint32_t index = 0;
    for (int node = fdt.first_child(chosen); node >= 0; node = fdt.next_sibling(node)) {
        if (!fdt.is_compatible(node, "xen,domain")) continue;
        // create_domUs(): domain_create(++max_init_domid) in DT order, so a
        // domain keeps its id even when an earlier one is skipped.
        ++index;
        DomainSpec spec;
        spec.domid = static_cast<uint16_t>(index < kMaxDomid ? index : 0);
        bool ok = parse_domain(c, node, spec);
        if (ok && (out == nullptr || stored >= max || index >= kMaxDomid)) {
            diag.error("dom0less: {}: too many domains (at most {})", spec.name, max);
            ok = false;
        }
        if (ok)
            out[stored++] = spec;
        else
            diag.note("dom0less: {}: domain skipped", spec.name);
        diag.count_domain(!ok);
    }
    check_static_shm_ids(out, stored, diag);
    return stored;
}

}  // namespace keel
