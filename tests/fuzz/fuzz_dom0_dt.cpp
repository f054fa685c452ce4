// SPDX-License-Identifier: MIT
//
// tests/fuzz/fuzz_dom0_dt.cpp
// Harness: the dom0 device tree from a host tree outside keel's trust. The
// input is the host DTB (seeds: QEMU virt dumps and dom0_variants); its last
// bytes also choose the parameters (keel's UART, vCPUs, RAM banks, bootargs,
// initrd, event PPI, output capacity). Runs collect_dom0_devices(), then
// build_dom0_dt() into an exact-size buffer (ASan flags a write past it).
// Invariants: a refusal is one of the documented errors with a diagnostic;
// collected MMIO is page-aligned, non-empty, never over keel's GIC or UART;
// SPIs are 32..1019 and listed once; the event PPI is free; an accepted DT
// passes Fdt::check, has one cpu node per vCPU, /hypervisor and /chosen; a
// host tree collect refuses (GIC/timer unusable) is refused by build too.
#include <sanitizer/asan_interface.h>

#include <cstdio>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <vector>

#include "core/boot/dom0_devices.hpp"
#include "core/boot/dom0_dt.hpp"
#include "lib/fdt.hpp"

using namespace keel;

namespace {

void fuzz_assert(bool ok, const char* what)
{
    if (!ok) {
        std::fprintf(stderr, "fuzz_dom0_dt: invariant broken: %s\n", what);
        __builtin_trap();
    }
}

void on_line(void* ctx, const char* text)
{
    fuzz_assert(std::strlen(text) < kDtDiagnosticMax + 32, "log line bounded");
    ++*static_cast<size_t*>(ctx);
}

// Byte i from the end of the input (0 when shorter).
uint8_t tail(const uint8_t* data, size_t size, size_t i) { return i < size ? data[size - 1 - i] : 0; }

uint64_t tail64(const uint8_t* data, size_t size, size_t at)
{
    uint64_t v = 0;
    for (size_t i = 0; i < 8; ++i) v = (v << 8) | tail(data, size, at + i);
    return v;
}

size_t count_cpus(const Fdt& fdt)
{
    const int cpus = fdt.path_offset("/cpus");
    size_t n = 0;
    for (int c = cpus >= 0 ? fdt.first_child(cpus) : -1; c >= 0; c = fdt.next_sibling(c)) ++n;
    return n;
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    if (size == 0) return 0;
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
    const Fdt host{b, size};

    const uint8_t mode = tail(data, size, 0);
    Dom0DeviceFilter filter;
    if ((mode & 1) != 0) filter.keel_uart = PhysAddr{0x9000000};

    static Dom0Devices dev;
    DtDiagnostic diag;
    size_t lines = 0;
    const auto collected = collect_dom0_devices(host, filter, dev, diag, Dom0Log{on_line, &lines});
    if (!collected.ok()) {
        const Errno e = collected.error();
        fuzz_assert(e == Errno::Inval || e == Errno::NoDev || e == Errno::NoSpc, "collect errors");
        fuzz_assert(!diag.empty(), "a refusal has a diagnostic");
    } else {
        fuzz_assert(dev.mmio_count <= kDom0MaxMmio && dev.irq_count <= kDom0MaxIrqs, "counts bounded");
        fuzz_assert(lines >= dev.nodes_dropped, "every dropped node logged");
        DtDiagnostic hd;
        const auto h = find_dom0_host(host, filter, hd);
        fuzz_assert(h.ok(), "collect found the host GIC and timer");
        for (size_t i = 0; i < dev.mmio_count; ++i) {
            const PhysRange& r = dev.mmio[i];
            fuzz_assert(r.size != 0 && r.base.aligned(kPageSize) && r.size % kPageSize == 0, "MMIO page-aligned");
            fuzz_assert(r.base.raw() + r.size > r.base.raw() || r.base.raw() + r.size == 0, "MMIO does not wrap");
            for (size_t k = 0; k < h.value().kept_count; ++k)
                fuzz_assert(!r.overlaps(h.value().kept[k]), "MMIO never over keel's devices");
        }
        for (size_t i = 0; i < dev.irq_count; ++i) {
            fuzz_assert(dev.irq[i].intid >= 32 && dev.irq[i].intid < 1020, "SPI range");
            for (size_t k = 0; k < i; ++k) fuzz_assert(dev.irq[k].intid != dev.irq[i].intid, "SPI once");
        }
        const uint32_t ppi = dom0_evtchn_ppi(dev);
        fuzz_assert(ppi == 0 || (ppi >= 16 && ppi < 32 && (dev.ppis_used & (1u << (ppi - 16))) == 0),
                    "event PPI free");
    }

    Dom0DtParams p;
    const uint8_t v = tail(data, size, 1);
    p.vcpus = v < 200 ? 1u + v % 8 : v;  // up to 255: over the limit sometimes
    p.ram_count = 1 + tail(data, size, 2) % 3;
    for (size_t i = 0; i < p.ram_count; ++i) {
        const uint64_t at = tail64(data, size, 3 + 8 * i);
        p.ram[i] = PhysRange{PhysAddr{(mode & 2) != 0 ? at : 0x40000000 + (i << 32)}, (at >> 40) << 20 | 0x1000};
    }
    p.bootargs = (mode & 4) != 0 ? "console=hvc0 earlycon=xenboot" : nullptr;
    if ((mode & 8) != 0) p.initrd = PhysRange{PhysAddr{0x48000000}, tail64(data, size, 30) & 0xffffff};
    p.gnttab = PhysRange{PhysAddr{0x40200000}, (mode & 16) != 0 ? uint64_t{0} : uint64_t{0x40000}};
    p.evtchn_ppi = collected.ok() && dom0_evtchn_ppi(dev) != 0 ? dom0_evtchn_ppi(dev) : 16;
    p.filter = filter;
    const size_t full = dom0_dt_capacity(host, p);
    const size_t capacity = (mode & 32) != 0 ? full : (full * tail(data, size, 40)) / 256;
    std::vector<uint8_t> out(capacity);
    DtDiagnostic bd;
    const auto built = build_dom0_dt(host, p, out.data(), capacity, &bd);
    if (!built.ok()) {
        const Errno e = built.error();
        fuzz_assert(e == Errno::Inval || e == Errno::NoSpc || e == Errno::Range || e == Errno::TooBig,
                    "build errors");
        fuzz_assert(!bd.empty(), "a build refusal has a diagnostic");
        fuzz_assert(capacity < full || e != Errno::NoSpc, "dom0_dt_capacity is enough");
        return 0;
    }
    fuzz_assert(collected.ok() || collected.error() == Errno::NoSpc, "build refuses what collect refuses");
    const size_t n = built.value();
    fuzz_assert(n <= capacity, "size within capacity");
    fuzz_assert(Fdt::check(out.data(), n) == FdtError::None, "Fdt::check accepts dom0's tree");
    const Fdt fdt{out.data(), n};
    fuzz_assert(count_cpus(fdt) == p.vcpus, "one cpu node per vCPU");
    fuzz_assert(fdt.path_offset("/hypervisor") >= 0, "/hypervisor");
    fuzz_assert(fdt.path_offset("/chosen") >= 0, "/chosen");
    fuzz_assert(fdt.path_offset("/interrupt-controller") >= 0, "the GIC");
    return 0;
}
