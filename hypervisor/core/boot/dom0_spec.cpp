// SPDX-License-Identifier: MIT
//
// core/boot/dom0_spec.cpp
// Owns parse_dom0() and parse_xen_size(). Facts: Xen 4.17
// xen/arch/arm/bootfdt.c (process_multiboot_node, process_chosen_node,
// boot_fdt_cmdline), domain_build.c (write_properties' bootargs choice,
// dom0_max_vcpus), xen/common/lib.c parse_size_and_unit(); summarised in
// xen-dom0-abi.md §1.1-1.2. Where keel differs (an error instead of a
// panic) the comment says so.
#include "core/boot/dom0_spec.hpp"

#include "core/boot/module_kind.hpp"
#include "lib/fdt.hpp"
#include "lib/fmt.hpp"

namespace keel {
namespace {

// StrRef → NUL-terminated text for the diagnostics (cut at 40 characters).
struct Word {
    char text[44] = {};
    explicit Word(StrRef s)
    {
        size_t n = s.len < 40 ? s.len : 40;
        for (size_t i = 0; i < n; ++i) text[i] = s.data[i];
        if (s.len > n) text[n] = text[n + 1] = text[n + 2] = '.';
    }
};

bool parse_digits(StrRef& s, uint64_t& out)
{
    unsigned base = 10;
    if (s.starts_with("0x") || s.starts_with("0X")) {
        base = 16;
        s = s.drop(2);
    }
    uint64_t n = 0;
    size_t i = 0;
    for (; i < s.len; ++i) {
        const char c = s.data[i];
        unsigned d = 0;
        if (c >= '0' && c <= '9')
            d = static_cast<unsigned>(c - '0');
        else if (base == 16 && c >= 'a' && c <= 'f')
            d = static_cast<unsigned>(c - 'a') + 10;
        else if (base == 16 && c >= 'A' && c <= 'F')
            d = static_cast<unsigned>(c - 'A') + 10;
        else
            break;
        if (n > (UINT64_MAX - d) / base) return false;
        n = n * base + d;
    }
    if (i == 0) return false;
    s = s.drop(i);
    out = n;
    return true;
}

const char* node_name(const Fdt& fdt, int node) { return node >= 0 ? fdt.node_name(node) : "?"; }

// A module node's reg as a range; an error line when it has none or it wraps.
bool module_range(const Fdt& fdt, int node, const char* kind, PhysRange& out,
                  Dom0lessDiagnostics& diag)
{
    uint64_t base = 0;
    uint64_t size = 0;
    if (!fdt.reg(node, 0, base, size)) {
        diag.error("dom0: {} {}: reg: missing or malformed", kind, node_name(fdt, node));
        return false;
    }
    if (size == 0 || base + size < base) {
        diag.error("dom0: {} {}: reg: {:#x}+{:#x} is empty or wraps around", kind,
                   node_name(fdt, node), base, size);
        return false;
    }
    out = PhysRange{PhysAddr{base}, size};
    return true;
}

// /chosen/linux,initrd-start and -end: 4 or 8 bytes each, end > start.
bool chosen_initrd(const Fdt& fdt, int chosen, PhysRange& out, Dom0lessDiagnostics& diag,
                   bool& ok)
{
    FdtProperty s;
    FdtProperty e;
    const bool has_s = fdt.property(chosen, "linux,initrd-start", s);
    const bool has_e = fdt.property(chosen, "linux,initrd-end", e);
    if (!has_s && !has_e) return false;
    auto value = [](const FdtProperty& p, uint64_t& v) {
        if (p.len == 4) v = p.u32_at(0);
        else if (p.len == 8) v = p.cells_at(0, 2);
        else return false;
        return true;
    };
    uint64_t start = 0;
    uint64_t end = 0;
    if (!has_s || !has_e || !value(s, start) || !value(e, end) || end <= start) {
        diag.error("dom0: /chosen linux,initrd-start/-end: missing, not 4 or 8 bytes, or end "
                   "not above start");
        ok = false;
        return false;
    }
    out = PhysRange{PhysAddr{start}, end - start};
    return true;
}

void check_range(const Fdt& fdt, const BootInfo& boot, const Dom0lessLimits& limits,
                 const DomainModule& m, const char* kind, Dom0lessDiagnostics& diag, bool& ok)
{
    const uint64_t b = m.range.base.raw();
    const uint64_t e = m.range.end().raw();
    const char* name = node_name(fdt, m.node);
    if (!covered_by_ram(boot, m.range)) {
        diag.error("dom0: {} {}: [{:#x}-{:#x}) is outside host RAM", kind, name, b, e);
        ok = false;
    }
    for (size_t f = 0; f < limits.forbidden_count && limits.forbidden != nullptr; ++f) {
        const ForbiddenRange& fr = limits.forbidden[f];
        if (!m.range.overlaps(fr.range)) continue;
        diag.error("dom0: {} {}: [{:#x}-{:#x}) overlaps {} [{:#x}-{:#x})", kind, name, b, e,
                   fr.what, fr.range.base.raw(), fr.range.end().raw());
        ok = false;
    }
}

void check_image(const Fdt& fdt, const Dom0lessLimits& limits, Dom0Spec& s,
                 Dom0lessDiagnostics& diag, bool& ok)
{
    if (limits.read_module == nullptr) return;
    const char* name = node_name(fdt, s.kernel.node);
    uint8_t header[kArm64ImageHeaderSize] = {};
    const size_t len = s.kernel.range.size < sizeof header ? static_cast<size_t>(s.kernel.range.size)
                                                           : sizeof header;
    if (!limits.read_module(limits.reader_ctx, s.kernel.range.base, header, len)) {
        diag.error("dom0: kernel {}: cannot read the Image header", name);
        ok = false;
        return;
    }
    char why[112];
    FmtBuffer wb{why, sizeof why};
    auto info = check_arm64_image(std::span<const uint8_t>{header, len}, s.kernel.range.size, &wb);
    if (!info.ok()) {
        diag.error("dom0: kernel {}: bad Image header: {}", name, wb.c_str());
        ok = false;
        return;
    }
    s.image = info.value();
    s.image_checked = true;
}

// Xen's command-line choice (boot_fdt_cmdline + write_properties): the kernel
// module's non-empty bootargs, else /chosen/xen,dom0-bootargs, else
// /chosen/bootargs when keel's own line came from xen,xen-bootargs or there is
// no Xen-specific property at all.
void choose_bootargs(const Fdt& fdt, int chosen, Dom0Spec& s)
{
    if (s.kernel.bootargs != nullptr && s.kernel.bootargs[0] != '\0') {
        s.bootargs = s.kernel.bootargs;
        s.bootargs_source = "kernel module";
        return;
    }
    FdtProperty p;
    if (fdt.property(chosen, "xen,dom0-bootargs", p)) {
        s.bootargs = p.as_string();
        s.bootargs_source = "xen,dom0-bootargs";
        return;
    }
    if (fdt.property(chosen, "xen,xen-bootargs", p) && fdt.property(chosen, "bootargs", p)) {
        s.bootargs = p.as_string();
        s.bootargs_source = "bootargs";
    }
}

void parse_memory_option(const Dom0Options& o, const BootInfo& boot, Dom0Spec& s,
                         Dom0lessDiagnostics& diag, bool& ok)
{
    if (!o.dom0_mem.present()) {
        diag.note("dom0: dom0_mem= not given: PLEASE SPECIFY dom0_mem; using {} MiB (as Xen)",
                  kDom0DefaultMemBytes >> 20);
        return;
    }
    const Word w{o.dom0_mem};
    StrRef rest;
    auto size = parse_xen_size(o.dom0_mem, &rest);
    if (!size.ok()) {
        diag.error("dom0: dom0_mem={}: not a size (e.g. 768M, 1G)", w.text);
        ok = false;
        return;
    }
    const uint64_t bytes = size.value() & ~(kPageSize - 1);
    if (bytes == 0) {
        diag.error("dom0: dom0_mem={}: zero", w.text);
        ok = false;
        return;
    }
    uint64_t host = 0;
    const size_t n = boot.memory_count < kMaxMemoryBanks ? boot.memory_count : kMaxMemoryBanks;
    for (size_t i = 0; i < n; ++i) host += boot.memory[i].size;
    if (bytes > host) {
        diag.error("dom0: dom0_mem={}: {} MiB is more than host RAM ({} MiB)", w.text, bytes >> 20,
                   host >> 20);
        ok = false;
        return;
    }
    s.memory_bytes = bytes;
    s.memory_default = false;
    // x86 syntax ("1024M,max:2048M"): Xen on Arm keeps the size and reports the rest.
    if (!rest.empty())
        diag.note("dom0: dom0_mem={}: only the first size is used on Arm; {} MiB", w.text,
                  bytes >> 20);
}

void parse_vcpus_option(const Dom0Options& o, Dom0Spec& s, Dom0lessDiagnostics& diag)
{
    uint64_t want = 0;
    if (o.dom0_max_vcpus.present()) {
        StrRef t = o.dom0_max_vcpus;
        uint64_t n = 0;
        if (parse_digits(t, n) && t.empty()) {
            want = n;
        } else {
            const Word w{o.dom0_max_vcpus};
            diag.note("dom0: dom0_max_vcpus={}: not a number; ignored", w.text);
        }
    }
    // dom0_max_vcpus(): 0 or absent → the CPUs of cpupool 0.
    if (want == 0) want = o.online_cpus != 0 ? o.online_cpus : 1;
    if (want > o.max_vcpus) {
        diag.note("dom0: dom0_max_vcpus={}: more than keel's {} vCPUs per domain; using {}", want,
                  o.max_vcpus, o.max_vcpus);
        want = o.max_vcpus;
    }
    s.vcpus = static_cast<uint32_t>(want);
    s.vcpus_pinned = o.vcpus_pin;
    if (s.vcpus_pinned && s.vcpus > o.online_cpus)
        diag.note("dom0: dom0_vcpus_pin: {} vCPUs but {} CPUs; vCPU i >= {} share CPU i mod {}",
                  s.vcpus, o.online_cpus, o.online_cpus, o.online_cpus);
}

}  // namespace

Result<uint64_t> parse_xen_size(StrRef text, StrRef* rest)
{
    StrRef t = text;
    uint64_t n = 0;
    if (!parse_digits(t, n)) return Errno::Inval;
    unsigned shift = 10;  // no suffix: KiB
    if (!t.empty()) {
        switch (t.data[0]) {
        case 'T': case 't': shift = 40; break;
        case 'G': case 'g': shift = 30; break;
        case 'M': case 'm': shift = 20; break;
        case 'K': case 'k': shift = 10; break;
        case 'B': case 'b': shift = 0; break;
        case ',': break;  // the rest is for the caller (rest)
        default: return Errno::Inval;
        }
        if (t.data[0] != ',') t = t.drop(1);
    }
    if (rest != nullptr && !t.empty() && t.data[0] == ',') {
        *rest = t;
        t = t.drop(t.len);
    }
    if (!t.empty()) return Errno::Inval;
    if (shift != 0 && n > (UINT64_MAX >> shift)) return Errno::Overflow;
    return n << shift;
}

Dom0Config parse_dom0(const Fdt& fdt, const BootInfo& boot, const Dom0lessLimits& limits,
                      const Dom0Options& opts, Dom0Spec& out, Dom0lessDiagnostics& diag)
{
    out = Dom0Spec{};
    const int chosen = fdt.path_offset("/chosen");
    if (chosen < 0) return Dom0Config::None;

    // The modules directly under /chosen (those under a xen,domain node are the domUs').
    bool ok = true;
    bool kernel_seen = false;
    uint32_t plain_seen = 0;
    PhysRange initrd;
    const bool chosen_rd = chosen_initrd(fdt, chosen, initrd, diag, ok);
    for (int c = fdt.first_child(chosen); c >= 0; c = fdt.next_sibling(c)) {
        const ModKind kind = guess_module_kind(classify_module(fdt, c), plain_seen);
        if (kind != ModKind::Kernel && kind != ModKind::Ramdisk) continue;
        DomainModule& slot = kind == ModKind::Kernel ? out.kernel : out.ramdisk;
        if (kind == ModKind::Kernel) kernel_seen = true;
        if (slot.present() || (kind == ModKind::Ramdisk && chosen_rd)) {
            // Xen takes the first module of a kind (boot_module_find_by_kind).
            diag.note("dom0: {} {}: a second {} module; ignored", module_kind_name(kind),
                      fdt.node_name(c), module_kind_name(kind));
            continue;
        }
        PhysRange r;
        if (!module_range(fdt, c, module_kind_name(kind), r, diag)) {
            ok = false;
            if (kind == ModKind::Kernel) slot.node = c;  // seen, but unusable
            continue;
        }
        slot.node = c;
        slot.range = r;
        FdtProperty args;
        if (fdt.property(c, "bootargs", args)) slot.bootargs = args.as_string();
    }
    if (!kernel_seen) return Dom0Config::None;
    if (chosen_rd) {
        out.ramdisk.node = chosen;
        out.ramdisk.range = initrd;
    }
    if (!ok) return Dom0Config::Invalid;

    choose_bootargs(fdt, chosen, out);
    bool ranges_ok = true;
    check_range(fdt, boot, limits, out.kernel, "kernel", diag, ranges_ok);
    if (out.ramdisk.present()) check_range(fdt, boot, limits, out.ramdisk, "ramdisk", diag, ranges_ok);
    if (out.ramdisk.present() && out.kernel.range.overlaps(out.ramdisk.range)) {
        diag.error("dom0: kernel {} and ramdisk {} overlap", fdt.node_name(out.kernel.node),
                   fdt.node_name(out.ramdisk.node));
        ranges_ok = false;
    }
    if (ranges_ok) check_image(fdt, limits, out, diag, ok);  // only RAM keel may read
    ok = ok && ranges_ok;
    parse_memory_option(opts, boot, out, diag, ok);
    parse_vcpus_option(opts, out, diag);
    return ok ? Dom0Config::Valid : Dom0Config::Invalid;
}

}  // namespace keel
