// SPDX-License-Identifier: MIT
//
// arch/arm64/vgic/vgic_cpu.cpp
// Owns this CPU's GICv3 virtual CPU interface for the vCPU loaded on it: the
// list registers, ICH_HCR/VMCR/APRs on vCPU switch, putting new interrupts
// straight into the list registers of a vCPU loaded here, the maintenance
// interrupt, and forwarding the physical virtual-timer PPI.
//
// The virtual timer PPI is the one hardware-linked interrupt: whenever it sits
// in a list register, the physical PPI (INTID boot_info().timer.virt_intid) on
// this CPU is active, so the guest's deactivation deactivates it and a level
// that is still high fires again. keel makes it active when it places the LR
// (unless the EL2 handler already acknowledged it) and clears it at vgic_save.
#include "arch/arm64/vgic/vgic_cpu.hpp"

#include "arch/arm64/gic/gic.hpp"
#include "arch/arm64/gic/gic_regs.hpp"
#include "arch/arm64/gic/irq.hpp"
#include "arch/arm64/hw/sysreg.hpp"
#include "arch/arm64/regs/generic_timer.hpp"
#include "arch/arm64/vgic/vgic.hpp"
#include "arch/arm64/vgic/vgic_hw.hpp"
#include "arch/arm64/vgic/vgic_hw_spi.hpp"
#include "arch/arm64/vgic/vgic_irq.hpp"
#include "arch/arm64/vgic/vgic_lr.hpp"
#include "build_config.hpp"
#include "core/boot/guest_layout.hpp"
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

// The host's virtual-timer PPI; written once by the boot CPU before any vCPU runs.
constinit uint32_t g_timer_pintid = kGuestTimerVirtPpi;

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

vgic::HwLink timer_link() { return {kGuestTimerVirtPpi, g_timer_pintid}; }

void set_phys_timer_active(bool active)
{
    const uint32_t bit = uint32_t{1} << g_timer_pintid;
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

}  // namespace

namespace vgic {

void refresh_for_read(Domain& d, Vcpu& v)
{
    if (!loaded_here(v)) return;
    LrFile f = read_used_lrs(v);
    if (lr_sync(d, v, f).hw_released) v.vgic.phys_timer_active = false;
    // The virtual timer's output fell (disabled, masked, or its compare value
    // moved) while its LR still says pending: no longer pending, as a level
    // input's state on a real GIC. Its physical PPI, which keel acknowledged and
    // left active, is deactivated so that it can fire again. v's timer is
    // loaded on this CPU (vtimer_restore follows vgic_restore).
    const uint64_t ctl = CntvCtlEl0::read();
    const bool asserted = TimerCtl::Enable::get(ctl) && TimerCtl::Istatus::get(ctl) &&
                          !TimerCtl::Imask::get(ctl);
    if (!asserted && lr_retract_hw(d, v, f, kGuestTimerVirtPpi) && v.vgic.phys_timer_active) {
        set_phys_timer_active(false);
        v.vgic.phys_timer_active = false;
    }
    place(d, v, f);
}

void cpu_interface_init(uint32_t timer_pintid)
{
    g_timer_pintid = timer_pintid;
    register_irq(kMaintenanceIntid, on_maintenance, nullptr, "vgic-maintenance");
}

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

}  // namespace vgic

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
    vgic::LrFile f;
    f.count = c.nr_lrs;
    f.dirty = (uint32_t{1} << c.nr_lrs) - 1;
    v.vgic.lr_used = 0;
    v.vgic.hcr = 0;  // forces the ICH_HCR_EL2 write (En = 1)
    vgic::hw_spi_follow(d, v);  // its hardware-linked SPIs now fire here
    place(d, v, f);
}

void vgic_save(Vcpu& v)
{
    Domain& d = *v.domain;
    VgicCpu& c = self();
    LockGuard guard{d.vgic.lock};
    if (!loaded_here(v)) return;
    vgic::LrFile f = read_used_lrs(v);
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
        vgic::LrFile f = read_used_lrs(v);
        const vgic::SyncResult r = vgic::lr_sync(d, v, f);
        if (r.hw_released) v.vgic.phys_timer_active = false;
        if (r.repended) {
            place(d, v, f);  // a level line still high: back into a list register
        } else {
            write_dirty_lrs(f);
        }
        vmcr = IchVmcrEl2::read();
    }
    return vgic::has_deliverable(d, v, vmcr);
}

bool vgic_forward_timer_irq(Vcpu& v)
{
    Domain& d = *v.domain;
    LockGuard guard{d.vgic.lock};
    if (!loaded_here(v)) return false;
    (void)vgic::mark_pending(d, &v, kGuestTimerVirtPpi);
    vgic::LrFile f = read_used_lrs(v);
    (void)vgic::lr_sync(d, v, f);
    v.vgic.phys_timer_active = true;  // acknowledged at EL2 and left active for the guest
    place(d, v, f);
    return true;
}

Vcpu* vgic_loaded_vcpu() { return self().loaded; }

}  // namespace keel::arm64
