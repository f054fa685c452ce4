// SPDX-License-Identifier: MIT
//
// core/boot/dom0_builder.cpp
// Owns the order of building dom0 and what is logged about it (see
// dom0_builder.hpp): configuration, domain, Xen interfaces, direct-mapped RAM,
// host devices (MMIO 1:1, SPIs routed), vGIC in the host layout, event
// channels and the upcall PPI, dom0's DT, images, start. On any failure the
// domain is destroyed again (domain_destroy_unstarted). Target only.
#include "core/boot/dom0_builder.hpp"

#include "build_config.hpp"
#include "core/boot/boot_state.hpp"
#include "core/boot/build_steps.hpp"
#include "core/boot/dom0_devices.hpp"
#include "core/boot/dom0_dt.hpp"
#include "core/boot/dom0_spec.hpp"
#include "core/console/console_mux.hpp"
#include "core/console/log.hpp"
#include "core/domain/arch_domain.hpp"
#include "core/domain/domain.hpp"
#include "core/domain/domain_table.hpp"
#include "core/domain/lifecycle.hpp"
#include "core/domain/vcpu.hpp"
#include "core/grant/grant_table.hpp"
#include "core/hypercall/hvm_params.hpp"
#include "core/memory/boot_memory.hpp"
#include "core/memory/p2m.hpp"
#include "core/memory/p2m_direct.hpp"
#include "core/percpu.hpp"
#include "lib/fdt.hpp"
#include "lib/fmt.hpp"

namespace keel {
namespace {

constexpr DomId kDom0 = 0;
constexpr const char* kDom0Name = "Domain-0";

// Large and used once, on the boot CPU: static rather than on a 16 KiB stack.
constinit Dom0Spec g_spec;
constinit Dom0lessDiagnostics g_diag;
constinit Dom0Devices g_devices;

struct Dom0Built {
    DirectRamBanks ram;
    GuestLoadPlan plan;
    size_t mmio_mapped = 0;
    size_t mmio_skipped = 0;  // beyond the stage-2 input size
    size_t spis = 0;
    uint32_t evtchn_ppi = 0;
    PhysRange gnttab;
};

void log_device_line(void*, const char* text) { log("keel: {}\n", text); }

// The dom0 device tree for `ram` with the initrd at `initrd` (size 0: none).
Result<size_t> write_dt(const Fdt& host, Dom0DtParams& p, const Dom0Built& b, PhysRange initrd,
                        void* buf, size_t capacity)
{
    p.initrd = initrd;
    p.ram_count = 0;
    for (size_t i = 0; i < b.ram.count && i < kDom0MaxRamBanks; ++i)
        p.ram[p.ram_count++] = PhysRange{PhysAddr{b.ram.bank[i].base.raw()}, b.ram.bank[i].size};
    DtDiagnostic diag;
    auto size = build_dom0_dt(host, p, buf, capacity, &diag);
    if (!size.ok() && !diag.empty()) log("keel: d0: dom0 device tree: {}\n", diag.message());
    return size;
}

// Maps one device window 1:1; a window that shares a page with one mapped
// before is mapped page by page around it.
Result<void> map_device(Domain& d, const PhysRange& r)
{
    auto m = p2m_map_mmio(d, GuestPhysAddr{r.base.raw()}, r.base, r.size);
    if (m.ok() || m.error() != Errno::Busy) return m;
    for (uint64_t off = 0; off < r.size; off += kPageSize) {
        if (p2m_type_of(d, (r.base.raw() + off) >> kPageShift).ok()) continue;
        KEEL_TRY(p2m_map_mmio(d, GuestPhysAddr{r.base.raw() + off}, r.base + off, kPageSize));
    }
    return {};
}

bool overlaps_host_ram(const PhysRange& r)
{
    const BootInfo& info = boot_info();
    for (size_t i = 0; i < info.memory_count && i < kMaxMemoryBanks; ++i)
        if (info.memory[i].overlaps(r)) return true;
    return false;
}

BuildFailure map_devices(Domain& d, Dom0Built& out)
{
    BuildFailure f;
    const uint64_t ipa_limit = uint64_t{1} << p2m_env().ipa_bits();
    for (size_t i = 0; i < g_devices.mmio_count; ++i) {
        const PhysRange& r = g_devices.mmio[i];
        if (r.base.raw() >= ipa_limit || r.size > ipa_limit - r.base.raw()) {
            // QEMU virt's 512 GiB PCIe window at 0x80_0000_0000 is beyond keel's 39-bit IPA.
            log("keel: d0: MMIO [{:#x}-{:#x}) is above the {}-bit guest physical space; not "
                "mapped\n",
                r.base.raw(), r.end().raw(), p2m_env().ipa_bits());
            ++out.mmio_skipped;
            continue;
        }
        if (overlaps_host_ram(r)) {
            // A device "reg" over RAM (a bad host DT) would hand dom0 keel's or another
            // domain's memory: never mapped (Xen does not check).
            log("keel: d0: MMIO [{:#x}-{:#x}) overlaps host RAM; not mapped\n", r.base.raw(),
                r.end().raw());
            ++out.mmio_skipped;
            continue;
        }
        if (step_failed(map_device(d, r), "device MMIO", f)) return f;
        ++out.mmio_mapped;
    }
    for (size_t i = 0; i < g_devices.irq_count; ++i) {
        const Dom0Irq& irq = g_devices.irq[i];
        if (step_failed(vgic_route_hw_spi(d, irq.intid, irq.edge), "SPI routing", f)) return f;
        ++out.spis;
    }
    return f;
}

BuildFailure build(Domain& d, const Fdt& host, Dom0Built& out)
{
    BuildFailure f = build_xen_base(d);
    if (f.failed()) return f;
    // Xen's bootscrub=0: dom0's boot-time RAM (no domain has held it) is not zeroed.
    const bool scrub = bootscrub_enabled(boot_options());
    auto ram = p2m_populate_direct(d.p2m, p2m_env(), g_spec.memory_bytes, scrub);
    if (step_failed(ram, "dom0 RAM", f)) return f;
    out.ram = ram.value();

    DtDiagnostic diag;
    Dom0DeviceFilter filter;
    filter.keel_uart = boot_info().uart.base;
    const Dom0Log dlog{log_device_line, nullptr};
    if (auto r = collect_dom0_devices(host, filter, g_devices, diag, dlog); !r.ok()) {
        log("keel: d0: host devices: {}\n", diag.message());
        return BuildFailure{"host devices", r.error()};
    }
    out.evtchn_ppi = dom0_evtchn_ppi(g_devices);
    if (out.evtchn_ppi == 0) return BuildFailure{"event-channel PPI", Errno::NoSpc};
    d.evtchn_ppi = static_cast<uint8_t>(out.evtchn_ppi);
    hvm_param_init(d.hc.hvm, xen::HvmParam::CallbackIrq, hvm_callback_irq_ppi(out.evtchn_ppi));

    auto layout = vgic_host_layout(d.vcpu_count);
    if (step_failed(layout, "vGIC host layout", f)) return f;
    if (step_failed(vgic_domain_init(d, layout.value()), "vGIC", f)) return f;
    f = build_cpu_and_events(d, 0);
    if (f.failed()) return f;
    f = map_devices(d, out);
    if (f.failed()) return f;

    // The grant-table window: keel's own image, as Xen uses its .text; never
    // dom0 RAM or a device. Linux maps up to the frames GNTTABOP_query_size gives.
    const arm64::El2MapSpec& map = memory().map_spec();
    out.gnttab = PhysRange{map.text.base, uint64_t{kGrantMaxFrames} << kPageShift};

    Dom0DtParams p;
    p.vcpus = d.vcpu_count;
    p.bootargs = g_spec.bootargs;
    p.gnttab = out.gnttab;
    p.evtchn_ppi = out.evtchn_ppi;
    p.filter = filter;
    p.xen_major = config::kXenMajor;
    p.xen_minor = config::kXenMinor;
    const uint64_t initrd_size = g_spec.ramdisk.present() ? g_spec.ramdisk.range.size : 0;
    const PhysRange first_bank{PhysAddr{out.ram.bank[out.ram.first].base.raw()},
                               out.ram.bank[out.ram.first].size};
    p.ram_count = 1;
    p.ram[0] = first_bank;
    const size_t capacity = dom0_dt_capacity(host, p);
    unsigned order = 0;
    while ((kPageSize << order) < capacity) ++order;
    auto frames = memory().heap().alloc(order);
    if (step_failed(frames, "dom0 device tree buffer", f)) return f;
    void* buf = memory().heap_ptr(frames.value().addr());
    const size_t cap = kPageSize << order;

    // As for the domUs: the DT's size does not depend on where the initrd goes.
    auto probe = write_dt(host, p, out, PhysRange{first_bank.base, initrd_size}, buf, cap);
    if (!step_failed(probe, "dom0 device tree", f)) {
        GuestRamBanks bank0;
        bank0.bank[0] = GuestRange{GuestPhysAddr{first_bank.base.raw()}, first_bank.size};
        bank0.count = 1;
        auto plan = place_dom0less_images(bank0, g_spec.image, probe.value(), initrd_size);
        if (!step_failed(plan, "image placement", f)) {
            out.plan = plan.value();
            const PhysRange initrd{PhysAddr{out.plan.initrd.base.raw()}, initrd_size};
            auto final_size = write_dt(host, p, out, initrd, buf, cap);
            if (!step_failed(final_size, "dom0 device tree", f)) {
                KEEL_CHECK(final_size.value() == probe.value());
                ImageSources src;
                src.kernel = g_spec.kernel.range;
                src.initrd = PhysRange{g_spec.ramdisk.range.base, initrd_size};
                src.dtb = buf;
                src.dtb_size = final_size.value();
                f = load_images(d, src, out.plan);
            }
        }
    }
    memory().heap().free(frames.value(), order);
    return f;
}

void log_built(const Domain& d, const Dom0Built& b)
{
    char line[kLogLineMax - 40];
    FmtBuffer s{line, sizeof line};
    format_to(s, "{} vCPU{}{}, {} MiB direct-mapped:", d.vcpu_count, d.vcpu_count == 1 ? "" : "s",
              g_spec.vcpus_pinned ? " (pinned)" : "", b.ram.total() >> 20);
    for (size_t i = 0; i < b.ram.count; ++i)
        format_to(s, " BANK[{}] {:#x}-{:#x} ({} MiB)", i, b.ram.bank[i].base.raw(),
                  b.ram.bank[i].end().raw(), b.ram.bank[i].size >> 20);
    log("keel: d0 ({}): {}\n", d.name, s.c_str());
    FmtBuffer k{line, sizeof line};
    format_to(k, "kernel {:#x}, initrd ", b.plan.kernel.base.raw());
    if (b.plan.initrd.size != 0)
        format_to(k, "{:#x}", b.plan.initrd.base.raw());
    else
        format_to(k, "none");
    format_to(k, ", dtb {:#x}; bootargs ({}) \"{}\"", b.plan.dtb.base.raw(), g_spec.bootargs_source,
              g_spec.bootargs != nullptr ? g_spec.bootargs : "");
    log("keel: d0 ({}): {}\n", d.name, k.c_str());
    log("keel: d0 ({}): devices: {} MMIO range(s) mapped 1:1{}, {} SPI(s) routed; event-channel "
        "PPI {}; grant table at {:#x} ({} frames)\n",
        d.name, b.mmio_mapped, b.mmio_skipped != 0 ? " (some not mapped, see above)" : "",
        b.spis, b.evtchn_ppi, b.gnttab.base.raw(), b.gnttab.size >> kPageShift);
}

}  // namespace

Domain* build_dom0()
{
    const BootInfo& info = boot_info();
    const Fdt fdt{reinterpret_cast<const void*>(info.dtb.base.raw()), info.dtb.size};
    ForbiddenRange forbidden[kKeelForbiddenRanges];
    keel_forbidden_ranges(forbidden);
    Dom0lessLimits limits;
    limits.forbidden = forbidden;
    limits.forbidden_count = kKeelForbiddenRanges;
    limits.read_module = read_host_memory;
    const BootOptions& o = boot_options();
    Dom0Options opts;
    opts.dom0_mem = o.dom0_mem;
    opts.dom0_max_vcpus = o.dom0_max_vcpus;
    opts.vcpus_pin = o.dom0_vcpus_pin;
    opts.online_cpus = static_cast<uint32_t>(online_cpu_count());
    opts.max_vcpus = static_cast<uint32_t>(kMaxVcpusPerDomain);

    const Dom0Config cfg = parse_dom0(fdt, info, limits, opts, g_spec, g_diag);
    for (size_t i = 0; i < g_diag.count(); ++i) log("keel: {}\n", g_diag.line(i));
    if (cfg == Dom0Config::None) return nullptr;
    if (cfg == Dom0Config::Invalid) {
        log("keel: d0: not created: configuration: {}\n", errno_name(Errno::Inval));
        return nullptr;
    }
    const uint64_t free_bytes = free_domain_frames() << kPageShift;
    if (g_spec.memory_bytes > free_bytes) {
        log("keel: d0: dom0_mem: {} MiB is more than the domain pool's {} MiB free\n",
            g_spec.memory_bytes >> 20, free_bytes >> 20);
        log("keel: d0: not created: dom0 RAM: {}\n", errno_name(Errno::NoMem));
        return nullptr;
    }

    log("keel: d0 ({}): building: domain pool {} frames free\n", kDom0Name, free_domain_frames());
    auto created = create_domain(kDom0Name, kDom0, g_spec.vcpus);
    if (!created.ok()) {
        log("keel: d0: not created: create_domain: {}\n", errno_name(created.error()));
        return nullptr;
    }
    Domain& d = *created.value();
    d.privileged = true;
    d.hardware = true;
    d.direct_map = true;
    if (g_spec.vcpus_pinned) {
        // dom0_vcpus_pin: vCPU i only on CPU i (i mod the CPUs when there are more vCPUs).
        for (uint32_t i = 0; i < d.vcpu_count; ++i) {
            d.vcpus[i]->processor = static_cast<CpuIndex>(i % opts.online_cpus);
            d.vcpus[i]->pinned = true;
        }
    }
    Dom0Built built;
    const BuildFailure f = build(d, fdt, built);
    if (f.failed()) {
        log("keel: d0: not created: {}: {}\n", f.step, errno_name(f.error));
        const uint64_t before = d.frames_before_create;
        domain_destroy_unstarted(d);
        log("keel: d0 ({}): released; domain pool {} frames free (before: {})\n", kDom0Name,
            free_domain_frames(), before);
        return nullptr;
    }
    log_built(d, built);
    console_input_attach_hwdom(d);  // dom0 first in the Ctrl-A rotation, with the focus
    domain_built(d);
    domain_start(d);
    return &d;
}

}  // namespace keel
