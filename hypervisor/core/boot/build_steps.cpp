// SPDX-License-Identifier: MIT
//
// core/boot/build_steps.cpp
// Owns the builder steps shared by dom0 and the dom0less domUs (build_steps.hpp).
// Target only.
#include "core/boot/build_steps.hpp"

#include "core/boot/boot_state.hpp"
#include "core/domain/arch_domain.hpp"
#include "core/domain/domain.hpp"
#include "core/domain/vcpu.hpp"
#include "core/event/event_channel.hpp"
#include "core/grant/grant_table.hpp"
#include "core/memory/boot_memory.hpp"
#include "core/memory/guest_copy.hpp"
#include "core/memory/memory_op.hpp"
#include "core/memory/p2m.hpp"

namespace keel {

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

void keel_forbidden_ranges(ForbiddenRange (&out)[kKeelForbiddenRanges])
{
    const arm64::El2MapSpec& map = memory().map_spec();
    out[0] = {PhysRange{map.text.base, map.data.end() - map.text.base}, "keel's image"};
    out[1] = {memory().layout().heap, "keel's heap pool"};
    out[2] = {boot_info().dtb, "the device tree"};
}

BuildFailure build_xen_base(Domain& d)
{
    // Guest virtual time starts at 0 (vgic_domain_init keeps a value already set).
    d.cntvoff = arch_counter_now();
    BuildFailure f;
    if (step_failed(p2m_init(d), "stage-2", f)) return f;
    if (step_failed(memory_domain_init(d), "shared_info", f)) return f;
    if (step_failed(grant_domain_init(d), "grant table", f)) return f;
    return f;
}

BuildFailure build_cpu_and_events(Domain& d, int32_t sve_bits)
{
    BuildFailure f;
    if (step_failed(cpu_features_domain_init(d, sve_bits), "SVE", f)) return f;
    for (uint32_t i = 0; i < d.vcpu_count; ++i) vgic_vcpu_init(*d.vcpus[i]);
    if (step_failed(evtchn_domain_init(d), "event channels", f)) return f;
    return f;
}

BuildFailure load_images(Domain& d, const ImageSources& src, const GuestLoadPlan& plan)
{
    BuildFailure f;
    if (step_failed(copy_phys_to_guest(d, plan.kernel.base, src.kernel.base, src.kernel.size),
                    "kernel load", f))
        return f;
    if (src.initrd.size != 0 &&
        step_failed(copy_phys_to_guest(d, plan.initrd.base, src.initrd.base, src.initrd.size),
                    "initrd load", f))
        return f;
    if (step_failed(copy_to_guest_phys(d, plan.dtb.base, src.dtb, src.dtb_size), "guest DT load",
                    f))
        return f;
    sync_guest_code();
    // vCPU 0 at the kernel entry, x0 = the DTB (Linux booting.rst; Xen's vCPU 0
    // state); the others wait for PSCI CPU_ON.
    Vcpu& v0 = *d.vcpus[0];
    reset_vcpu_context(v0.regs, v0.sysregs, plan.entry.raw(), plan.dtb.base.raw());
    return f;
}

}  // namespace keel
