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

#include "arch/arm64/hw/sysreg.hpp"
#include "arch/arm64/mmu/stage2_control.hpp"
#include "arch/arm64/vcpu/id_reg_trap.hpp"
#include "arch/arm64/vcpu/initial_state.hpp"
#include "arch/arm64/vgic/vgic.hpp"
#include "core/boot/boot_state.hpp"
#include "core/boot/dom0less.hpp"
#include "core/boot/domain_builder_dt.hpp"
#include "core/boot/domain_links.hpp"
#include "core/boot/guest_dt.hpp"
#include "core/boot/guest_layout.hpp"
#include "core/console/log.hpp"
#include "core/console/vpl011.hpp"
#include "core/domain/domain.hpp"
#include "core/domain/domain_table.hpp"
#include "core/domain/lifecycle.hpp"
#include "core/domain/vcpu.hpp"
#include "core/hypercall/version_info.hpp"
#include "core/event/event_channel.hpp"
#include "core/memory/boot_memory.hpp"
#include "core/memory/guest_copy.hpp"
#include "core/grant/grant_table.hpp"
#include "core/memory/memory_op.hpp"
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

// ModuleReader: host memory that keel does not map (boot modules), read through
// a transient map one page at a time.
bool read_host_memory(void*, PhysAddr at, void* dst, size_t len)
{
    auto* out = static_cast<uint8_t*>(dst);
    for (size_t done = 0; done < len;) {
        const PhysAddr pa = at + done;
        if (memory().frames().find(Mfn::of(pa)) == nullptr) return false;  // not RAM
        const size_t in_page = static_cast<size_t>(kPageSize - pa.page_offset());
        const size_t chunk = len - done < in_page ? len - done : in_page;
        const VirtAddr va = map_transient(pa.align_down(kPageSize), kGuestCopySrcSlot);
        const auto* src = reinterpret_cast<const uint8_t*>(va.raw()) + pa.page_offset();
        for (size_t i = 0; i < chunk; ++i) out[done + i] = src[i];
        unmap_transient(kGuestCopySrcSlot);
        done += chunk;
    }
    return true;
}

struct Failure {
    const char* step = "";
    Errno error = Errno::Inval;
};

// True (and `f` says which step) when `r` failed.
template <typename T>
bool failed(const Result<T>& r, const char* step, Failure& f)
{
    if (r.ok()) return false;
    f = Failure{step, r.error()};
    return true;
}

struct Built {
    GuestRamBanks ram;
    GuestLoadPlan plan;
};

// The guest DT for `spec` into `buf`; its size.
Result<size_t> write_guest_dt(const DomainSpec& spec, const GuestRamBanks& ram, GuestRange initrd,
                              const HostDtFacts& host, void* buf)
{
    const unsigned ipa_bits = arm64::vtcr_ipa_bits(p2m_vtcr());
    const GuestDtParams params = dom0less_dt_params(spec, ram, initrd, host, ipa_bits);
    return build_guest_dt(params, buf, kPageSize << kDtOrder);
}

// Everything after create_domain(); Failure{} (step "") on success.
Failure build(Domain& d, const DomainSpec& spec, const HostDtFacts& host, void* dt_buf,
              Built& out)
{
    // Guest virtual time starts at 0 (vgic_domain_init keeps a value already set).
    d.cntvoff = arm64::CntpctEl0::read();

    Failure f;
    if (failed(p2m_init(d), "stage-2", f)) return f;
    if (failed(memory_domain_init(d), "shared_info", f)) return f;
    if (failed(grant_domain_init(d), "grant table", f)) return f;
    auto ram = split_guest_ram(spec.memory_bytes());
    if (failed(ram, "guest RAM layout", f)) return f;
    out.ram = ram.value();
    for (size_t i = 0; i < out.ram.count; ++i) {
        const GuestRange& bank = out.ram.bank[i];
        if (failed(p2m_populate_ram(d, bank.base, bank.size), "guest RAM", f)) return f;
    }

    if (failed(arm64::cpu_features_domain_init(d, spec.sve_bits), "SVE", f)) return f;
    if (failed(vgic_domain_init(d), "vGIC", f)) return f;
    for (uint32_t i = 0; i < d.vcpu_count; ++i) vgic_vcpu_init(*d.vcpus[i]);
    if (failed(evtchn_domain_init(d), "event channels", f)) return f;
    if (spec.vpl011) {
        if (!vpl011_init(d)) return Failure{"vPL011", Errno::NoSpc};
        d.has_vpl011 = true;
    }

    // The DT's size depends only on whether there is an initrd, not on where it
    // goes: write it once to learn the size, place, then write the real one.
    const uint64_t initrd_size = spec.ramdisk.present() ? spec.ramdisk.range.size : 0;
    const GuestRange probe{GuestPhysAddr{kGuestRam0Base}, initrd_size};
    auto dt_size = write_guest_dt(spec, out.ram, probe, host, dt_buf);
    if (failed(dt_size, "guest device tree", f)) return f;
    if (!spec.image_checked) return Failure{"kernel Image header", Errno::Inval};
    auto plan = place_dom0less_images(out.ram, spec.image, dt_size.value(), initrd_size);
    if (failed(plan, "image placement", f)) return f;
    out.plan = plan.value();
    auto final_size = write_guest_dt(spec, out.ram, out.plan.initrd, host, dt_buf);
    if (failed(final_size, "guest device tree", f)) return f;
    KEEL_CHECK(final_size.value() == dt_size.value());

    const auto kernel = copy_phys_to_guest(d, out.plan.kernel.base, spec.kernel.range.base,
                                           spec.kernel.range.size);
    if (failed(kernel, "kernel load", f)) return f;
    if (initrd_size != 0) {
        const auto initrd = copy_phys_to_guest(d, out.plan.initrd.base, spec.ramdisk.range.base,
                                               initrd_size);
        if (failed(initrd, "initrd load", f)) return f;
    }
    const auto dtb = copy_to_guest_phys(d, out.plan.dtb.base, dt_buf, final_size.value());
    if (failed(dtb, "guest DT load", f)) return f;
    sync_guest_code();

    // vCPU 0 at the kernel entry, x0 = the DTB (Linux booting.rst; Xen's
    // dom0less vCPU 0 state); the others wait for PSCI CPU_ON.
    Vcpu& v0 = *d.vcpus[0];
    arm64::reset_vcpu_context(v0.regs, v0.sysregs, out.plan.entry.raw(),
                              out.plan.dtb.base.raw());
    return Failure{};
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
    const Failure f = build(d, spec, host, dt_buf, built);
    if (f.step[0] != '\0') {
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
    const arm64::El2MapSpec& map = memory().map_spec();
    const PhysRange image{map.text.base, map.data.end() - map.text.base};
    const ForbiddenRange forbidden[] = {
        {image, "keel's image"},
        {memory().layout().heap, "keel's heap pool"},
        {info.dtb, "the device tree"},
    };
    Dom0lessLimits limits;
    limits.max_vcpus = static_cast<uint32_t>(kMaxVcpusPerDomain);
    limits.forbidden = forbidden;
    limits.forbidden_count = sizeof forbidden / sizeof forbidden[0];
    limits.read_module = read_host_memory;

    const size_t n = parse_dom0less(fdt, info, limits, g_specs, kMaxDom0lessDomains, g_diag);
    for (size_t i = 0; i < g_diag.count(); ++i) log("keel: {}\n", g_diag.line(i));
    if (g_diag.dropped() != 0)
        log("keel: dom0less: {} more diagnostic line(s) not shown\n", g_diag.dropped());
    if (dom0less_has_dom0(fdt))
        log("keel: dom0less: a dom0 kernel is given under /chosen; keel has no dom0 yet, "
            "ignored\n");
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
