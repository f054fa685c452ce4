// SPDX-License-Identifier: MIT
//
// core/boot/domain_builder.cpp
// Owns the order of building one dom0less domain and what is logged about it:
// parse (with keel's forbidden ranges and an Image-header reader), create the
// domain and its vCPUs, stage 2 and RAM, vGIC and vPL011, place and load the
// images and the guest DT, vCPU 0's entry state, start. On any failure the
// domain is destroyed again (domain_destroy_unstarted) and the next one built.
// Target only.
#include "core/boot/domain_builder.hpp"

#include "core/boot/boot_state.hpp"
#include "core/boot/build_steps.hpp"
#include "core/boot/dom0less.hpp"
#include "core/boot/domain_builder_dt.hpp"
#include "core/boot/domain_links.hpp"
#include "core/boot/guest_dt.hpp"
#include "core/boot/guest_layout.hpp"
#include "core/console/log.hpp"
#include "core/console/vpl011.hpp"
#include "core/domain/arch_domain.hpp"
#include "core/domain/domain.hpp"
#include "core/domain/domain_table.hpp"
#include "core/domain/lifecycle.hpp"
#include "core/domain/vcpu.hpp"
#include "core/hypercall/version_info.hpp"
#include "core/memory/boot_memory.hpp"
#include "core/memory/p2m.hpp"
#include "lib/fdt.hpp"
#include "lib/fmt.hpp"

namespace keel {

namespace {

// Large and used once, on the boot CPU: static rather than on a 16 KiB stack.
constinit DomainSpec g_specs[kMaxDom0lessDomains];
constinit Dom0lessDiagnostics g_diag;

// The guest DT buffer: heap-pool pages, 2^kDtOrder of them.
constexpr unsigned kDtOrder = 4;
static_assert((kPageSize << kDtOrder) >= kGuestDtMaxSize);

struct Built {
    GuestRamBanks ram;
    GuestLoadPlan plan;
};

// The guest DT for `spec` into `buf`; its size.
Result<size_t> write_guest_dt(const DomainSpec& spec, const GuestRamBanks& ram, GuestRange initrd,
                              const HostDtFacts& host, void* buf)
{
    const unsigned ipa_bits = arch_guest_ipa_bits();
    const GuestDtParams params = dom0less_dt_params(spec, ram, initrd, host, ipa_bits);
    return build_guest_dt(params, buf, kPageSize << kDtOrder);
}

// Everything after create_domain(); step "" on success.
BuildFailure build(Domain& d, const DomainSpec& spec, const HostDtFacts& host, void* dt_buf,
                   Built& out)
{
    BuildFailure f = build_xen_base(d);
    if (f.failed()) return f;
    auto ram = split_guest_ram(spec.memory_bytes());
    if (step_failed(ram, "guest RAM layout", f)) return f;
    out.ram = ram.value();
    for (size_t i = 0; i < out.ram.count; ++i) {
        const GuestRange& bank = out.ram.bank[i];
        if (step_failed(p2m_populate_ram(d, bank.base, bank.size), "guest RAM", f)) return f;
    }

    if (step_failed(vgic_domain_init(d), "vGIC", f)) return f;
    f = build_cpu_and_events(d, spec.sve_bits);
    if (f.failed()) return f;
    if (spec.vpl011) {
        if (!vpl011_init(d)) return BuildFailure{"vPL011", Errno::NoSpc};
        d.has_vpl011 = true;
    }

    // The DT's size depends only on whether there is an initrd, not on where it
    // goes: write it once to learn the size, place, then write the real one.
    const uint64_t initrd_size = spec.ramdisk.present() ? spec.ramdisk.range.size : 0;
    const GuestRange probe{GuestPhysAddr{kGuestRam0Base}, initrd_size};
    auto dt_size = write_guest_dt(spec, out.ram, probe, host, dt_buf);
    if (step_failed(dt_size, "guest device tree", f)) return f;
    if (!spec.image_checked) return BuildFailure{"kernel Image header", Errno::Inval};
    auto plan = place_dom0less_images(out.ram, spec.image, dt_size.value(), initrd_size);
    if (step_failed(plan, "image placement", f)) return f;
    out.plan = plan.value();
    auto final_size = write_guest_dt(spec, out.ram, out.plan.initrd, host, dt_buf);
    if (step_failed(final_size, "guest device tree", f)) return f;
    KEEL_CHECK(final_size.value() == dt_size.value());

    ImageSources src;
    src.kernel = spec.kernel.range;
    src.initrd = PhysRange{spec.ramdisk.range.base, initrd_size};
    src.dtb = dt_buf;
    src.dtb_size = final_size.value();
    return load_images(d, src, out.plan);
}

// Builds one domain without starting it; nullptr when it could not be built.
Domain* build_one(const DomainSpec& spec, const HostDtFacts& host, void* dt_buf)
{
    log("keel: d{} ({}): building: domain pool {} frames free\n", spec.domid, spec.name,
        free_domain_frames());
    const uint64_t heap_before = free_heap_frames();  // [bench]: per-domain overhead
    auto created = create_domain(spec.name, spec.domid, spec.vcpus);
    if (!created.ok()) {
        log("keel: d{} ({}): not created: create_domain: {}\n", spec.domid, spec.name,
            errno_name(created.error()));
        return nullptr;
    }
    Domain& d = *created.value();
    Built built;
    const BuildFailure f = build(d, spec, host, dt_buf, built);
    if (f.failed()) {
        log("keel: d{} ({}): not created: {}: {}\n", spec.domid, spec.name, f.step,
            errno_name(f.error));
        const uint64_t before = d.frames_before_create;
        domain_destroy_unstarted(d);
        log("keel: d{} ({}): released; domain pool {} frames free (before: {})\n", spec.domid,
            spec.name, free_domain_frames(), before);
        return nullptr;
    }
    char line[kLogLineMax - 40];
    FmtBuffer summary{line, sizeof line};
    format_domain_summary(summary, spec, built.ram, built.plan);
    log("keel: d{} ({}): {}\n", spec.domid, spec.name, summary.c_str());
    if (spec.enhanced != XenEnhanced::Disabled) {
        // What the guest will find in /sys/hypervisor/properties/features.
        log("keel: d{} ({}): xen,enhanced \"{}\": /hypervisor node; Xen features {:08x}{}\n",
            spec.domid, spec.name, xen_enhanced_name(spec.enhanced),
            xen_feature_submap0(DomainFeatures{.hardware_domain = false}),
            spec.enhanced == XenEnhanced::Enabled ? " (no xenstore yet: as \"no-xenstore\")" : "");
    }
    // [bench] (bench/memory.sh, the boot benchmark's emulated-time figure): keel's own
    // memory for this domain and where its virtual counter starts.
    log("keel: d{} ({}): overhead: heap pool {} frames; sizeof Domain {} B, Vcpu {} B x {}; "
        "cntvoff {}\n", spec.domid, spec.name, heap_before - free_heap_frames(), sizeof(Domain),
        sizeof(Vcpu), spec.vcpus, d.cntvoff);
    domain_built(d);
    return &d;
}

}  // namespace

size_t build_dom0less_domains()
{
    const BootInfo& info = boot_info();
    const Fdt fdt{reinterpret_cast<const void*>(info.dtb.base.raw()), info.dtb.size};
    ForbiddenRange forbidden[kKeelForbiddenRanges];
    keel_forbidden_ranges(forbidden);
    Dom0lessLimits limits;
    limits.max_vcpus = static_cast<uint32_t>(kMaxVcpusPerDomain);
    limits.forbidden = forbidden;
    limits.forbidden_count = sizeof forbidden / sizeof forbidden[0];
    limits.read_module = read_host_memory;

    const size_t n = parse_dom0less(fdt, info, limits, g_specs, kMaxDom0lessDomains, g_diag);
    for (size_t i = 0; i < g_diag.count(); ++i) log("keel: {}\n", g_diag.line(i));
    if (g_diag.dropped() != 0)
        log("keel: dom0less: {} more diagnostic line(s) not shown\n", g_diag.dropped());
    if (g_diag.domains_seen() == 0) return 0;
    if (n == 0) {
        log("keel: dom0less: no domain to start\n");
        return 0;
    }

    auto dt_frames = memory().heap().alloc(kDtOrder);
    if (!dt_frames.ok()) {
        log("keel: dom0less: no heap memory for the guest device trees: {}\n",
            errno_name(dt_frames.error()));
        return 0;
    }
    void* dt_buf = memory().heap_ptr(dt_frames.value().addr());
    const HostDtFacts host = read_host_dt_facts(fdt, info.timer.frequency_hz);

    // Xen's order: every domain is built, then the static links between them are
    // made (alloc_static_evtchn(), shared memory), then they all start.
    Domain* built[kMaxDom0lessDomains] = {};
    for (size_t i = 0; i < n; ++i) built[i] = build_one(g_specs[i], host, dt_buf);
    memory().heap().free(dt_frames.value(), kDtOrder);
    link_dom0less_domains(g_specs, built, n);
    size_t started = 0;
    for (size_t i = 0; i < n; ++i) {
        if (built[i] == nullptr) continue;
        domain_start(*built[i]);
        ++started;
    }
    log("keel: dom0less: {} of {} domain(s) started\n", started, g_diag.domains_seen());
    return started;
}

}  // namespace keel
