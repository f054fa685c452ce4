// SPDX-License-Identifier: MIT
//
// arch/arm64/vgic/vgic.cpp
// Owns the domain side of the vGIC declared in vgic.hpp: a domain's emulated
// GICD/GICR windows (MMIO handlers over vgic_dist/vgic_redist, with the
// once-per-domain reports), vCPU reset, injection and the guest's SGIs. Getting
// new state into list registers is vgic_cpu.cpp's.
#include "arch/arm64/vgic/vgic.hpp"

#include "arch/arm64/gic/gic.hpp"
#include "arch/arm64/timer/hyp_timer.hpp"
#include "arch/arm64/timer/vtimer.hpp"
#include "arch/arm64/vgic/vgic_cpu.hpp"
#include "arch/arm64/vgic/vgic_hw_spi.hpp"
#include "arch/arm64/vgic/vgic_irq.hpp"
#include "arch/arm64/vgic/vgic_mmio.hpp"
#include "arch/arm64/vgic/vgic_sgi.hpp"
#include "core/boot/boot_state.hpp"
#include "core/boot/guest_layout.hpp"
#include "core/console/log.hpp"
#include "core/domain/domain.hpp"
#include "core/domain/vcpu.hpp"

namespace keel::arm64 {
namespace {

constinit bool g_ready = false;  // written once by the boot CPU before any vCPU runs

void global_init_once()
{
    if (g_ready) return;
    const uint32_t virt = boot_info().timer.virt_intid;
    const uint32_t pintid = (virt >= 16 && virt < 32) ? virt : kGuestTimerVirtPpi;
    vgic::cpu_interface_init(pintid);
    vtimer_global_init(pintid);
    g_ready = true;
}

uint32_t vcpu_bit(uint8_t who) { return who < kMaxVcpusPerDomain ? uint32_t{1} << who : 0; }

// Runs an emulated-register access under the domain lock, reports the first
// unimplemented register and the first refused access of the domain, and
// updates whoever the access may have made something deliverable for.
bool mmio_common(Vcpu& v, Domain& d, MmioAccess& a, const char* frame,
                 vgic::MmioOutcome (*access)(Domain&, MmioAccess&))
{
    vgic::MmioOutcome o;
    bool report = false;
    {
        LockGuard guard{d.vgic.lock};
        if (!a.write && v.domain == &d) vgic::refresh_for_read(d, v);
        o = access(d, a);
        vgic::hw_spi_apply(d, o.hw);  // the physical side of hardware-linked SPIs
        if (o.status == vgic::MmioStatus::Unimplemented && !d.vgic.logged_unimplemented) {
            d.vgic.logged_unimplemented = report = true;
        } else if (o.status == vgic::MmioStatus::BadAccess && !d.vgic.logged_bad_access) {
            d.vgic.logged_bad_access = report = true;
        }
    }
    if (report) {
        log("keel: d{} {}: {} offset {:#x} ({}-byte {}), reported once\n", d.id, frame,
            o.status == vgic::MmioStatus::BadAccess ? "bad access at" : "unimplemented register at",
            a.offset, a.size, a.write ? "write" : "read");
    }
    if (o.update != 0) vgic::update_vcpus(d, o.update);
    return o.status != vgic::MmioStatus::BadAccess;
}

bool gicd_mmio(Vcpu& v, MmioAccess& a, void* ctx)
{
    return mmio_common(v, *static_cast<Domain*>(ctx), a, "vGICD", vgic::vgicd_access);
}

bool gicr_mmio(Vcpu& v, MmioAccess& a, void* ctx)
{
    return mmio_common(v, *static_cast<Domain*>(ctx), a, "vGICR", vgic::vgicr_access);
}

}  // namespace

Result<void> vgic_domain_init(Domain& d, const VgicLayout& layout)
{
    if (!vgic_layout_valid(layout, d.vcpu_count)) return Errno::Inval;
    global_init_once();
    {
        LockGuard guard{d.vgic.lock};
        d.vgic.nr_spis = static_cast<uint16_t>(layout.nr_spis);
        vgic::reset_domain(d);
    }
    if (d.cntvoff == 0) d.cntvoff = timer::now();
    const MmioRegion gicd{layout.gicd_base, kVgicDistSize, gicd_mmio, &d, "vGICD"};
    const MmioRegion gicr{layout.gicr_base, layout.gicr_size, gicr_mmio, &d, "vGICR"};
    if (!d.mmio.add(gicd) || !d.mmio.add(gicr)) return Errno::Busy;
    return {};
}

Result<void> vgic_domain_init(Domain& d) { return vgic_domain_init(d, vgic_domu_layout()); }

Result<VgicLayout> vgic_host_layout(uint32_t nr_vcpus)
{
    const uint32_t intids = gic::intid_count();
    const HostSpis s = vgic_host_spis(intids);
    if (s.capped) {
        log("keel: host GIC has {} SPIs; dom0's vGIC shows the first {} (keel's maximum)\n",
            intids > 32 ? intids - 32 : 0, s.spis);
    }
    return vgic_host_layout_of(boot_info().gic, intids, nr_vcpus);
}

void vgic_vcpu_init(Vcpu& v)
{
    Domain& d = *v.domain;
    {
        LockGuard guard{d.vgic.lock};
        vgic::reset_vcpu(v);
        vgic::recompute_targets(d);
    }
    vtimer_vcpu_init(v);
}

void vgic_inject(Vcpu& v, uint32_t intid)
{
    Domain& d = *v.domain;
    uint8_t who;
    {
        LockGuard guard{d.vgic.lock};
        who = vgic::mark_pending(d, &v, intid);
    }
    vgic::update_vcpus(d, vcpu_bit(who));
}

void vgic_inject_spi(Domain& d, uint32_t intid)
{
    uint8_t who;
    {
        LockGuard guard{d.vgic.lock};
        who = vgic::mark_pending(d, nullptr, intid);
    }
    vgic::update_vcpus(d, vcpu_bit(who));
}

void vgic_set_line(Domain& d, Vcpu* v, uint32_t intid, bool high)
{
    uint8_t who;
    {
        LockGuard guard{d.vgic.lock};
        who = vgic::set_line(d, v, intid, high);
    }
    vgic::update_vcpus(d, vcpu_bit(who));
}

void vgic_handle_sgi1r(Vcpu& v, uint64_t value)
{
    Domain& d = *v.domain;
    uint32_t targets;
    {
        LockGuard guard{d.vgic.lock};
        const vgic::SgiTargets t = vgic::decode_sgi1r(d, v, value);
        targets = t.vcpus;
        for (uint32_t i = 0; i < kMaxVcpusPerDomain; ++i) {
            if (targets & (uint32_t{1} << i)) (void)vgic::mark_pending(d, d.vcpus[i], t.intid);
        }
    }
    vgic::update_vcpus(d, targets);
}

}  // namespace keel::arm64
