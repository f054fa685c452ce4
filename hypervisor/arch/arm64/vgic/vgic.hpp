// SPDX-License-Identifier: MIT
//
// arch/arm64/vgic/vgic.hpp
// Owns the vGIC's interface to the rest of keel (docs/guests-design.md): a
// domain's emulated GICv3 (distributor + redistributors as MMIO regions),
// injecting virtual interrupts, the per-vCPU list-register switch, the guest's
// SGIs (trapped ICC_SGI1R_EL1) and the maintenance interrupt. Target only:
// vgic.cpp (domain side) and vgic_cpu.cpp (this CPU's virtual CPU interface);
// the rules themselves are pure (vgic_irq, vgic_lr, vgic_dist/redist, vgic_sgi).
//
// Concurrency: one lock per domain (VgicDomainState::lock) guards all its vGIC
// state; list registers are touched only by the CPU that has the vCPU loaded.
// An injection for a vCPU loaded on this CPU goes straight into a list register;
// for any other vCPU it is left pending in the banks and the vCPU is kicked
// (vcpu_kick: woken if blocked, else its CPU re-syncs before it next enters).
#pragma once
#include <cstdint>

#include "arch/arm64/vgic/vgic_layout.hpp"
#include "lib/result.hpp"

namespace keel {
struct Domain;
struct Vcpu;
}  // namespace keel

namespace keel::arm64 {

/// Resets d's distributor with `layout`'s SPI count, registers the GICD window
/// (64 KiB at layout.gicd_base) and the redistributor window (layout.gicr_base,
/// 128 KiB per vCPU) in d.mmio, and sets d.cntvoff (guest virtual time starts
/// near 0) unless already set. After d.vcpu_count is set, before any of d's
/// vCPUs runs; the first call also registers the maintenance interrupt.
/// Errno::Inval for a layout keel cannot emulate (vgic_layout_valid), Errno::Busy
/// when a window overlaps another emulated region.
Result<void> vgic_domain_init(Domain& d, const VgicLayout& layout);
/// The domU default: vgic_domain_init(d, vgic_domu_layout()).
Result<void> vgic_domain_init(Domain& d);

/// [dom0] The host's GIC layout for a domain of `nr_vcpus` vCPUs (see
/// vgic_host_layout_of), from what keel's GIC driver found at boot. Logs a line
/// when the host has more SPIs than keel's maximum (the builder calls it once).
Result<VgicLayout> vgic_host_layout(uint32_t nr_vcpus);

/// [dom0] Gives physical SPI `intid` to d as its virtual SPI `intid` (1:1, Xen's
/// route_irq_to_guest): the physical SPI is configured edge or level and at
/// keel's priority, kept disabled until the guest enables the virtual one
/// (GICD_ISENABLER), routed to the CPU of the vCPU its GICD_IROUTER names, and
/// each time it fires keel drops its priority and makes it pending for d
/// through a hardware-linked list register (the guest's deactivation
/// deactivates it). After vgic_domain_init(d, ...) and d's vCPUs exist, boot CPU,
/// before d runs. Errno::Inval: not an SPI of d's layout or of the host GIC;
/// Errno::Busy: already routed, or an SPI keel uses itself (its console UART's).
Result<void> vgic_route_hw_spi(Domain& d, uint32_t intid, bool edge);

/// d is being destroyed: its hardware-linked SPIs are disabled and handed back
/// to keel (unregistered). Safe for a domain without any.
void vgic_domain_destroy(Domain& d);

/// Resets v's redistributor and CPU-interface state and its virtual timer. After
/// v is in d.vcpus (SPI routing by affinity is recomputed).
void vgic_vcpu_init(Vcpu& v);

/// Makes `intid` pending for v: an SGI/PPI of v, or an SPI (routed by the
/// distributor; v is then ignored). Any CPU.
void vgic_inject(Vcpu& v, uint32_t intid);
/// Makes SPI `intid` pending, delivered to the vCPU its GICD_IROUTER names. Any CPU.
void vgic_inject_spi(Domain& d, uint32_t intid);

/// The level of the device line keel models behind `intid` changed (or a new
/// cause appeared on a line already high): an SGI/PPI of *v, or an SPI (v may be
/// nullptr). While the interrupt is level-triggered its pending state follows
/// the line: not pending once it falls, pending again after the guest's
/// deactivation while it stays high. Any CPU.
void vgic_set_line(Domain& d, Vcpu* v, uint32_t intid, bool high);

/// v is being loaded on this CPU: ICH_* registers and list registers from v
/// (ICH_HCR_EL2.En = 1), including interrupts made pending while v was off.
void vgic_restore(Vcpu& v);
/// v leaves this CPU: list registers folded back into v's state, ICH_HCR_EL2.En = 0.
void vgic_save(Vcpu& v);
/// Whether v has an interrupt it would take if it were running (WFI).
bool vgic_has_pending(Vcpu& v);
/// The guest wrote `value` to ICC_SGI1R_EL1 (trapped): SGIs to vCPUs of v's domain.
void vgic_handle_sgi1r(Vcpu& v, uint64_t value);

/// [vtimer] The physical virtual-timer PPI fired while v is loaded here: makes
/// the virtual timer PPI pending for v through a hardware-linked list register.
/// Returns true when the physical interrupt was handed to the guest (its
/// deactivation deactivates it); false when v's vGIC is not loaded here.
bool vgic_forward_timer_irq(Vcpu& v);
/// The vCPU whose vGIC is loaded on this CPU, or nullptr.
Vcpu* vgic_loaded_vcpu();

}  // namespace keel::arm64

namespace keel {
using arm64::VgicLayout;
using arm64::vgic_domain_destroy;
using arm64::vgic_domain_init;
using arm64::vgic_domu_layout;
using arm64::vgic_host_layout;
using arm64::vgic_route_hw_spi;
using arm64::vgic_inject;
using arm64::vgic_inject_spi;
using arm64::vgic_set_line;
using arm64::vgic_vcpu_init;
}  // namespace keel
