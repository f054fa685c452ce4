// SPDX-License-Identifier: MIT
//
// arch/arm64/vgic/vgic.cpp
// Owns the vGIC glue declared in vgic.hpp: the domain's MMIO windows, the
// per-CPU virtual CPU interface (list registers, ICH_HCR/VMCR/APRs) on vCPU
// switch, injection, the guest's SGIs and the maintenance interrupt.
//
// The virtual timer PPI is the one hardware-linked interrupt: whenever it sits
// in a list register, the physical PPI (INTID boot_info().timer.virt_intid) on
// this CPU is active, so the guest's deactivation deactivates it and a level
// that is still high fires again. keel makes it active when it places the LR
// (unless the EL2 handler already acknowledged it) and clears it at vgic_save.
#include "arch/arm64/vgic/vgic.hpp"

#include "arch/arm64/gic/gic.hpp"
#include "arch/arm64/gic/gic_regs.hpp"
#include "arch/arm64/gic/irq.hpp"
#include "arch/arm64/hw/sysreg.hpp"
#include "arch/arm64/timer/hyp_timer.hpp"
#include "arch/arm64/timer/vtimer.hpp"
#include "arch/arm64/vgic/vgic_hw.hpp"
#include "arch/arm64/vgic/vgic_irq.hpp"
#include "arch/arm64/vgic/vgic_lr.hpp"
#include "arch/arm64/vgic/vgic_mmio.hpp"
#include "arch/arm64/vgic/vgic_sgi.hpp"
#include "build_config.hpp"
#include "core/boot/boot_state.hpp"
#include "core/boot/guest_layout.hpp"
#include "core/console/log.hpp"
#include "core/domain/domain.hpp"
#include "core/domain/vcpu.hpp"
#include "core/sched/schedule.hpp"

namespace keel::arm64 {
namespace {

using vgic::LrFile;

// The GIC maintenance interrupt: PPI 9 = INTID 25 (Arm Base System Architecture,
// "PPI assignments"; QEMU virt's GIC node says the same).
constexpr uint32_t kMaintenanceIntid = 25;

struct VgicCpu {
    Vcpu* loaded = nullptr;  // whose ICH_* state this CPU holds
    uint32_t nr_lrs = 0;     // ICH_VTR_EL2.ListRegs + 1
    uint32_t nr_aprs = 0;    // ICH_AP0R<n>/AP1R<n> implemented
    bool ready = false;
};
constinit VgicCpu g_cpu[config::kMaxCpus];  // each entry touched only by its CPU

struct VgicGlobal {
    uint32_t timer_pintid = kGuestTimerVirtPpi;  // the host's virtual timer PPI
    bool ready = false;
};
constinit VgicGlobal g_vgic;  // written once by the boot CPU before any vCPU runs

VgicCpu& self() { return g_cpu[this_cpu().index]; }

// This CPU's share of the virtual CPU interface, the first time it loads a vCPU.
void cpu_init_once()
{
    VgicCpu& c = self();
    if (c.ready) return;
    const uint64_t vtr = IchVtrEl2::read();
    const uint32_t lrs = vtr_list_regs(vtr);
    c.nr_lrs = lrs < kVgicMaxLrs ? lrs : kVgicMaxLrs;
    c.nr_aprs = vtr_apr_count(vtr);
    // Guests use the system-register interface only (no legacy GICC): SRE, and
    // no IRQ/FIQ bypass (GICv3 spec, ICC_SRE_EL1; RAO/WI where legacy is absent).
    IccSreEl1::write(IccSre::Sre::make(true) | IccSre::Dfb::make(true) | IccSre::Dib::make(true));
    gic::enable(kMaintenanceIntid);
    c.ready = true;
}

bool loaded_here(const Vcpu& v)
{
    return v.vgic.loaded_cpu == static_cast<int32_t>(this_cpu().index);
}

vgic::HwLink timer_link() { return {kGuestTimerVirtPpi, g_vgic.timer_pintid}; }

void set_phys_timer_active(bool active)
{
    const uint32_t bit = uint32_t{1} << g_vgic.timer_pintid;
    if (active) {
        this_cpu().redist_sgi.write<gicr::Isactiver0>(bit);
    } else {
        this_cpu().redist_sgi.write<gicr::Icactiver0>(bit);
    }
}

LrFile read_used_lrs(const Vcpu& v)
{
    LrFile f;
    f.count = self().nr_lrs;
    for (uint32_t i = 0; i < f.count; ++i) {
        if (v.vgic.lr_used & (uint32_t{1} << i)) f.lr[i] = vgic::lr_read(i);
    }
    return f;
}

void write_dirty_lrs(const LrFile& f)
{
    for (uint32_t i = 0; i < f.count; ++i) {
        if (f.dirty & (uint32_t{1} << i)) vgic::lr_write(i, f.lr[i]);
    }
}

// Fills v's list registers (v loaded here, domain lock held) and asks for the
// underflow maintenance interrupt while something did not fit.
void place(Domain& d, Vcpu& v, LrFile& f)
{
    const vgic::FillResult r = vgic::lr_fill(d, v, f, timer_link());
    if (r.hw_placed != 0 && !v.vgic.phys_timer_active) {
        set_phys_timer_active(true);
        v.vgic.phys_timer_active = true;
    }
    write_dirty_lrs(f);
    const uint64_t hcr = IchHcr::En::make(true) | IchHcr::Uie::make(r.overflow);
    if (hcr != v.vgic.hcr) {
        IchHcrEl2::write(hcr);
        v.vgic.hcr = hcr;
    }
}

// Re-evaluates v's list registers now (v loaded here, domain lock held).
void flush_loaded(Domain& d, Vcpu& v)
{
    LrFile f = read_used_lrs(v);
    if (vgic::lr_sync(d, v, f).hw_released) v.vgic.phys_timer_active = false;
    place(d, v, f);
}

// vCPUs in `mask` may have something new: straight into the LRs of one loaded
// here, a kick for the others. Domain lock NOT held.
void update_vcpus(Domain& d, uint32_t mask)
{
    uint32_t kick = 0;
    {
        LockGuard guard{d.vgic.lock};
        for (uint32_t i = 0; i < kMaxVcpusPerDomain; ++i) {
            Vcpu* v = (mask & (uint32_t{1} << i)) ? d.vcpus[i] : nullptr;
            if (v == nullptr) continue;
            if (loaded_here(*v)) {
                flush_loaded(d, *v);
            } else {
                kick |= uint32_t{1} << i;
            }
        }
    }
    for (uint32_t i = 0; i < kMaxVcpusPerDomain; ++i) {
        if ((kick & (uint32_t{1} << i)) && d.vcpus[i] != nullptr) vcpu_kick(*d.vcpus[i]);
    }
}

uint32_t vcpu_bit(uint8_t who) { return who < kMaxVcpusPerDomain ? uint32_t{1} << who : 0; }

// Runs an emulated-register access under the domain lock, reports the first
// unimplemented register and the first refused access of the domain, and
// updates whoever the access may have made something deliverable for.
bool mmio_common(Domain& d, MmioAccess& a, const char* frame,
                 vgic::MmioOutcome (*access)(Domain&, MmioAccess&))
{
    vgic::MmioOutcome o;
    bool report = false;
    {
        LockGuard guard{d.vgic.lock};
        o = access(d, a);
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
    if (o.update != 0) update_vcpus(d, o.update);
    return o.status != vgic::MmioStatus::BadAccess;
}

bool gicd_mmio(Vcpu&, MmioAccess& a, void* ctx)
{
    return mmio_common(*static_cast<Domain*>(ctx), a, "vGICD", vgic::vgicd_access);
}

bool gicr_mmio(Vcpu&, MmioAccess& a, void* ctx)
{
    return mmio_common(*static_cast<Domain*>(ctx), a, "vGICR", vgic::vgicr_access);
}

// Maintenance interrupt (ICH_HCR_EL2.UIE): list registers freed up, refill.
void on_maintenance(uint32_t, void*)
{
    Vcpu* v = self().loaded;
    if (v == nullptr) {
        IchHcrEl2::write(0);  // nothing loaded: no virtual interface, no maintenance
        return;
    }
    Domain& d = *v->domain;
    LockGuard guard{d.vgic.lock};
    flush_loaded(d, *v);
}

void global_init_once()
{
    if (g_vgic.ready) return;
    const uint32_t virt = boot_info().timer.virt_intid;
    g_vgic.timer_pintid = (virt >= 16 && virt < 32) ? virt : kGuestTimerVirtPpi;
    register_irq(kMaintenanceIntid, on_maintenance, nullptr, "vgic-maintenance");
    vtimer_global_init(g_vgic.timer_pintid);
    g_vgic.ready = true;
}

}  // namespace

Result<void> vgic_domain_init(Domain& d)
{
    global_init_once();
    {
        LockGuard guard{d.vgic.lock};
        vgic::reset_domain(d);
    }
    if (d.cntvoff == 0) d.cntvoff = timer::now();
    const MmioRegion gicd{GuestPhysAddr{kGuestGicv3GicdBase}, kGuestGicv3GicdSize, gicd_mmio, &d,
                          "vGICD"};
    const MmioRegion gicr{GuestPhysAddr{kGuestGicv3Gicr0Base}, kGuestGicv3Gicr0Size, gicr_mmio, &d,
                          "vGICR"};
    if (!d.mmio.add(gicd) || !d.mmio.add(gicr)) return Errno::Busy;
    return {};
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
    update_vcpus(d, vcpu_bit(who));
}

void vgic_inject_spi(Domain& d, uint32_t intid)
{
    uint8_t who;
    {
        LockGuard guard{d.vgic.lock};
        who = vgic::mark_pending(d, nullptr, intid);
    }
    update_vcpus(d, vcpu_bit(who));
}

void vgic_restore(Vcpu& v)
{
    cpu_init_once();
    Domain& d = *v.domain;
    VgicCpu& c = self();
    LockGuard guard{d.vgic.lock};
    v.vgic.loaded_cpu = static_cast<int32_t>(this_cpu().index);
    c.loaded = &v;
    IchVmcrEl2::write(v.vgic.vmcr);
    for (uint32_t n = 0; n < c.nr_aprs; ++n) {
        vgic::ap0r_write(n, v.vgic.ap0r[n]);
        vgic::ap1r_write(n, v.vgic.ap1r[n]);
    }
    // Every LR is written: whatever the previous vCPU left is replaced.
    LrFile f;
    f.count = c.nr_lrs;
    f.dirty = (uint32_t{1} << c.nr_lrs) - 1;
    v.vgic.lr_used = 0;
    v.vgic.hcr = 0;  // forces the ICH_HCR_EL2 write (En = 1)
    place(d, v, f);
}

void vgic_save(Vcpu& v)
{
    Domain& d = *v.domain;
    VgicCpu& c = self();
    LockGuard guard{d.vgic.lock};
    if (!loaded_here(v)) return;
    LrFile f = read_used_lrs(v);
    vgic::lr_fold_all(d, v, f);
    v.vgic.vmcr = IchVmcrEl2::read();
    for (uint32_t n = 0; n < c.nr_aprs; ++n) {
        v.vgic.ap0r[n] = vgic::ap0r_read(n);
        v.vgic.ap1r[n] = vgic::ap1r_read(n);
    }
    IchHcrEl2::write(0);  // interface off: no maintenance interrupt while nothing is loaded
    v.vgic.hcr = 0;
    if (v.vgic.phys_timer_active) {
        set_phys_timer_active(false);
        v.vgic.phys_timer_active = false;
    }
    v.vgic.loaded_cpu = kVgicNotLoaded;
    c.loaded = nullptr;
}

bool vgic_has_pending(Vcpu& v)
{
    Domain& d = *v.domain;
    LockGuard guard{d.vgic.lock};
    uint64_t vmcr = v.vgic.vmcr;
    if (loaded_here(v)) {
        const LrFile f = read_used_lrs(v);
        if (vgic::lr_sync(d, v, f).hw_released) v.vgic.phys_timer_active = false;
        vmcr = IchVmcrEl2::read();
    }
    return vgic::has_deliverable(d, v, vmcr);
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
    update_vcpus(d, targets);
}

bool vgic_forward_timer_irq(Vcpu& v)
{
    Domain& d = *v.domain;
    LockGuard guard{d.vgic.lock};
    if (!loaded_here(v)) return false;
    (void)vgic::mark_pending(d, &v, kGuestTimerVirtPpi);
    LrFile f = read_used_lrs(v);
    (void)vgic::lr_sync(d, v, f);
    v.vgic.phys_timer_active = true;  // acknowledged at EL2 and left active for the guest
    place(d, v, f);
    return true;
}

Vcpu* vgic_loaded_vcpu() { return self().loaded; }

}  // namespace keel::arm64
