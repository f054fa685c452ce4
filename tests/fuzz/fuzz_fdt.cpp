// SPDX-License-Identifier: MIT
//
// tests/fuzz/fuzz_fdt.cpp
// Harness 1: the input is a device-tree blob from outside keel's trust. Drives
// Fdt::check, then (whatever check said, since the accessors promise bounds
// checks on any blob) walks every node and property through every reader
// entry point, then the DT → BootInfo parser (parse_boot_info, boot summary,
// command line) and the dom0less parser (parse_dom0less with a fake module
// reader, the static event-channel / shared-memory links, the guest-DT
// parameters derived from each domain). ASan catches any read outside the
// blob; the parsers' own KEEL_CHECKs abort. The blob is copied into one buffer
// reused across inputs whose bytes past the input are ASan-poisoned (as exact
// as a fresh heap copy, without a new allocation per input).
#include <cstdio>
#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include <sanitizer/asan_interface.h>

#include "core/boot/boot_info.hpp"
#include "core/boot/cmdline.hpp"
#include "core/boot/dom0less.hpp"
#include "core/boot/dom0less_links.hpp"
#include "core/boot/domain_builder_dt.hpp"
#include "core/boot/dt_boot_info.hpp"
#include "core/boot/guest_dt.hpp"
#include "lib/fdt.hpp"
#include "lib/fmt.hpp"

using namespace keel;

namespace {

void fuzz_assert(bool ok, const char* what)
{
    if (!ok) {
        std::fprintf(stderr, "fuzz_fdt: invariant broken: %s\n", what);
        __builtin_trap();
    }
}

// Reads every byte a property claims to have, so ASan sees a bad length.
uint32_t touch(const FdtProperty& p)
{
    uint32_t sum = 0;
    for (uint32_t i = 0; i < p.len; ++i) sum += p.data[i];
    if (p.name != nullptr) sum += static_cast<uint32_t>(std::strlen(p.name));
    const char* s = p.as_string();
    if (s != nullptr) sum += static_cast<uint32_t>(std::strlen(s));
    for (size_t i = 0; i < 4; ++i) {
        const char* e = p.string_at(i);
        if (e == nullptr) break;
        sum += static_cast<uint32_t>(std::strlen(e));
    }
    sum += p.u32_at(0) + p.u32_at(p.len / 4) + static_cast<uint32_t>(p.cells_at(0, 2));
    return sum;
}

void walk(const Fdt& fdt)
{
    (void)fdt.total_size();
    uint64_t base = 0;
    uint64_t size = 0;
    const size_t nrsv = fdt.memreserve_count();
    for (size_t i = 0; i < nrsv && i < 64; ++i) (void)fdt.memreserve(i, base, size);

    int depth = 0;
    int steps = 0;
    for (int node = fdt.root(); node >= 0 && steps < 4096; node = fdt.next_node(node, &depth), ++steps) {
        const char* name = fdt.node_name(node);
        if (name != nullptr) (void)std::strlen(name);
        (void)fdt.first_child(node);
        (void)fdt.next_sibling(node);
        FdtProperty p;
        int props = 0;
        for (int off = fdt.next_property(node, -1, p); off >= 0 && props < 256;
             off = fdt.next_property(node, off, p), ++props) {
            (void)touch(p);
        }
        // parent() and everything built on it (cells, reg, paths) walk from the
        // root: exercised on the first nodes only, so a big tree stays fast.
        if (steps >= 12) continue;
        const int parent = fdt.parent(node);
        (void)fdt.address_cells_for(node);
        (void)fdt.size_cells_for(node);
        const size_t nreg = fdt.reg_count(node);
        for (size_t i = 0; i < nreg && i < 4; ++i) (void)fdt.reg(node, i, base, size);
        (void)fdt.reg(node, nreg, base, size);
        if (fdt.property(node, "compatible", p)) {
            const char* c = p.string_at(0);
            if (c != nullptr) {
                fuzz_assert(fdt.is_compatible(node, c), "a node is compatible with its own first string");
                (void)fdt.first_compatible(c);
            }
        }
        if (fdt.property(node, "phandle", p) && p.len == 4) (void)fdt.node_by_phandle(p.u32_at(0));
        if (name != nullptr) (void)fdt.subnode(parent >= 0 ? parent : 0, name, std::strlen(name));

        char path[256];
        FmtBuffer out{path, sizeof path};
        append_node_path(fdt, node, out);
        (void)fdt.path_offset(out.c_str());
        (void)fdt.path_offset(out.c_str(), out.size() / 2);
    }
    (void)fdt.path_offset("/chosen");
    (void)fdt.path_offset("serial0");
    (void)fdt.path_offset("serial0/x");
    (void)fdt.path_offset("");
}

bool read_module(void* ctx, PhysAddr at, void* dst, size_t len)
{
    // Module bytes come from the fuzzer's input too (the tail of it), wrapped.
    const auto* src = static_cast<const std::vector<uint8_t>*>(ctx);
    auto* d = static_cast<uint8_t*>(dst);
    if ((at.raw() & 0xfff) == 0xbad) return false;
    for (size_t i = 0; i < len; ++i)
        d[i] = src->empty() ? 0 : (*src)[(at.raw() + i) % src->size()];
    return true;
}

void boot_and_dom0less(const Fdt& fdt, const uint8_t* data, size_t size)
{
    BootInfo boot;
    DtDiagnostic diag;
    const bool booted = parse_boot_info(fdt, PhysAddr{0x48000000}, boot, diag).ok();
    fuzz_assert(booted || !diag.empty(), "a refused tree comes with a diagnostic");
    fuzz_assert(std::strlen(diag.message()) < kDtDiagnosticMax, "diagnostic terminated");
    char line[256];
    for (size_t i = 0; i < 64; ++i) {
        FmtBuffer out{line, sizeof line};
        if (!format_boot_info_line(boot, i, out)) break;
    }
    BootOptions opts;
    UnknownOptions unknown;
    parse_cmdline(boot.cmdline, opts, unknown);
    {
        FmtBuffer out{line, sizeof line};
        format_unknown_options(unknown, out);
    }
    PhysRange uart;
    const char* upath = nullptr;
    DtDiagnostic why;
    (void)find_stdout_uart(fdt, uart, upath, why);

    if (!booted) {
        // Still give the dom0less parser a go with a plausible host.
        boot = BootInfo{};
        boot.memory[0] = PhysRange{PhysAddr{0x40000000}, 0x80000000};
        boot.memory_count = 1;
    }
    std::vector<uint8_t> modules(data, data + (size < 256 ? size : 256));
    static const ForbiddenRange forbidden[] = {
        {PhysRange{PhysAddr{0x40000000}, 0x200000}, "keel image"},
        {PhysRange{PhysAddr{0x48000000}, 0x100000}, "the device tree"},
    };
    Dom0lessLimits limits;
    limits.forbidden = forbidden;
    limits.forbidden_count = 2;
    limits.read_module = read_module;
    limits.reader_ctx = &modules;
    static DomainSpec specs[kMaxDom0lessDomains];
    for (auto& s : specs) s = DomainSpec{};
    Dom0lessDiagnostics dd;
    (void)dom0less_has_dom0(fdt);
    const size_t n = parse_dom0less(fdt, boot, limits, specs, kMaxDom0lessDomains, dd);
    fuzz_assert(n <= kMaxDom0lessDomains, "domain count bounded");
    for (size_t i = 0; i < dd.count(); ++i) (void)std::strlen(dd.line(i));
    (void)check_static_shm_ids(specs, n, dd);

    const HostDtFacts host = read_host_dt_facts(fdt, boot.timer.frequency_hz);
    for (size_t i = 0; i < n; ++i) {
        const DomainSpec& s = specs[i];
        fuzz_assert(s.vcpus >= 1 && s.vcpus <= kGuestMaxVcpus, "parsed vCPU count in range");
        fuzz_assert(s.evtchn_count <= kMaxStaticEvtchns && s.shm_count <= kMaxStaticShms,
                    "link counts bounded");
        for (uint32_t e = 0; e < s.evtchn_count; ++e)
            fuzz_assert(s.evtchn[e].local_port != 0 && s.evtchn[e].local_port < kStaticEvtchnPortLimit,
                        "static port in range");
        if (s.name != nullptr) (void)std::strlen(s.name);
        if (s.bootargs != nullptr) (void)std::strlen(s.bootargs);
        auto ram = split_guest_ram(s.memory_bytes());
        if (!ram.ok()) continue;
        GuestDtParams p = dom0less_dt_params(s, ram.value(), GuestRange{GuestPhysAddr{0x48200000}, 0x1000},
                                             host, 40);
        static uint8_t buf[kGuestDtMaxSize];
        auto written = build_guest_dt(p, buf, sizeof buf);
        if (written.ok())
            fuzz_assert(Fdt::check(buf, written.value()) == FdtError::None,
                        "the guest DT built from a parsed domain is valid");
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size == 0) return 0;
    // An exact-size copy: everything past `size` in the reused buffer is
    // poisoned, so ASan flags even a one-byte overread. Inputs larger than the
    // buffer get a heap copy of their own.
    constexpr size_t kBlobCap = 64 * 1024;
    static uint8_t* blob_buf = static_cast<uint8_t*>(std::malloc(kBlobCap));
    std::vector<uint8_t> big;
    uint8_t* b = blob_buf;
    if (size > kBlobCap) {
        big.assign(data, data + size);
        b = big.data();
    } else {
        ASAN_UNPOISON_MEMORY_REGION(blob_buf, size);
        ASAN_POISON_MEMORY_REGION(blob_buf + size, kBlobCap - size);
        std::memcpy(blob_buf, data, size);
    }

    FdtCheckReport report;
    const FdtError err = Fdt::check(b, size, &report);
    char line[256];
    FmtBuffer out{line, sizeof line};
    format_fdt_check_report(report, out);
    (void)fdt_error_name(err);
    // A truncated view must never be accepted when the full blob is not.
    if (size > 1) (void)Fdt::check(b, size - 1);

    Fdt fdt{b, size};
    walk(fdt);
    if (err == FdtError::None) boot_and_dom0less(fdt, b, size);
    return 0;
}
