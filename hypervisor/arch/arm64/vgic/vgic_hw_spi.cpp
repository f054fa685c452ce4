// SPDX-License-Identifier: MIT
//
// arch/arm64/vgic/vgic_hw_spi.cpp
// Owns hardware-linked SPIs: vgic_route_hw_spi / vgic_domain_destroy
// (vgic.hpp), the handler that forwards a physical SPI to its domain, and the
// physical side of the guest's distributor accesses (vgic_hw_spi.hpp).
//
// Life of a hardware-linked SPI n (physical n = the domain's virtual n):
// - The guest enables virtual n (GICD_ISENABLER): keel enables physical n.
// - Physical n fires on some CPU: dispatch_irqs acknowledges it, the handler
//   marks virtual n pending in the domain's bank and calls
//   irq_forwarded_to_guest(), so keel only drops its priority and leaves it
//   active. The target vCPU, loaded here, gets it in a list register with HW = 1
//   and pINTID = n at once; otherwise it is kicked and gets it when it is next
//   loaded (vgic_restore places it from the bank, HW = 1 again).
// - The guest deactivates virtual n: the GIC deactivates physical n. A level
//   still high fires again; nothing of the line is modelled in keel.
// - The physical SPI's affinity follows the target vCPU: at GICD_IROUTER writes
//   (to the CPU the vCPU was last loaded on) and when the vCPU is loaded on
//   another CPU (hw_spi_follow from vgic_restore).
// - The guest clears the pending or active state keel held for it
//   (GICD_ICPENDR / ICACTIVER while not in a list register): keel deactivates
//   physical n through GICD_ICACTIVER, so it is not left active forever.
#include "arch/arm64/vgic/vgic_hw_spi.hpp"

#include "arch/arm64/gic/gic.hpp"
#include "arch/arm64/gic/gic_regs.hpp"
#include "arch/arm64/gic/irq.hpp"
#include "arch/arm64/vgic/vgic.hpp"
#include "arch/arm64/vgic/vgic_cpu.hpp"
#include "arch/arm64/vgic/vgic_irq.hpp"
#include "core/boot/boot_state.hpp"
#include "core/domain/domain.hpp"
#include "core/domain/vcpu.hpp"

namespace keel::arm64 {
namespace {

uint32_t vcpu_bit(uint8_t who) { return who < kMaxVcpusPerDomain ? uint32_t{1} << who : 0; }

// The CPU a hardware-linked SPI that targets vCPU `who` should be routed to:
// where its SPIs were last made to follow it, else where it is loaded, else the
// CPU whose queue holds it; nullptr when no such vCPU.
const PerCpu* cpu_for(const Domain& d, uint8_t who)
{
    if (who >= d.vcpu_count || who >= kMaxVcpusPerDomain || d.vcpus[who] == nullptr) return nullptr;
    Vcpu& v = *d.vcpus[who];
    int32_t c = v.vgic.hw_spi_cpu;
    if (c < 0) c = v.vgic.loaded_cpu;
    if (c >= 0) return &cpu(static_cast<CpuIndex>(c));
    return &cpu(std::atomic_ref<CpuIndex>{v.processor}.load(std::memory_order_acquire));
}

void route_to_target(const Domain& d, uint32_t intid)
{
    if (const PerCpu* c = cpu_for(d, d.vgic.target[vgic::spi_index(intid)])) gic::route(intid, c->mpidr);
}

// Physical SPI `intid` fired (this CPU acknowledged it): pending for its domain,
// left active until the guest deactivates it.
void on_hw_spi(uint32_t intid, void* context)
{
    auto* d = static_cast<Domain*>(context);
    if (d == nullptr || d->state.load(std::memory_order_acquire) == DomainState::Dead) return;
    uint8_t who;
    {
        LockGuard guard{d->vgic.lock};
        const uint32_t n = vgic::spi_index(intid);
        if (!(d->vgic.spi[n / 32].hw & (uint32_t{1} << (n % 32)))) return;  // unrouted meanwhile
        who = vgic::mark_pending(*d, nullptr, intid);
    }
    irq_forwarded_to_guest();
    vgic::update_vcpus(*d, vcpu_bit(who));
}

template <typename Fn>
void for_each_bit(uint32_t first_intid, uint32_t bits, Fn fn)
{
    for (uint32_t i = 0; bits != 0; ++i, bits >>= 1) {
        if (bits & 1u) fn(first_intid + i);
    }
}

}  // namespace

namespace vgic {

void hw_spi_apply(Domain& d, const HwSpiEffect& e)
{
    if (!e.any()) return;
    const uint32_t f = e.first_intid;
    for_each_bit(f, e.disable, [](uint32_t intid) { gic::disable(intid); });
    for_each_bit(f, e.clear_pending, [](uint32_t intid) { gic::set_spi_pending(intid, false); });
    for_each_bit(f, e.release, [](uint32_t intid) { gic::clear_spi_active(intid); });
    for_each_bit(f, e.route, [&d](uint32_t intid) { route_to_target(d, intid); });
    for_each_bit(f, e.set_pending, [](uint32_t intid) { gic::set_spi_pending(intid, true); });
    for_each_bit(f, e.enable, [](uint32_t intid) { gic::enable(intid); });
}

void hw_spi_follow(Domain& d, Vcpu& v)
{
    const auto me = static_cast<int32_t>(this_cpu().index);
    if (d.vgic.hw_count == 0 || v.vgic.hw_spi_cpu == me) return;
    v.vgic.hw_spi_cpu = me;
    const uint64_t mpidr = this_cpu().mpidr;
    for (uint32_t b = 0; b < spi_banks(d.vgic); ++b) {
        for_each_bit(32 + b * 32, d.vgic.spi[b].hw, [&](uint32_t intid) {
            if (d.vgic.target[spi_index(intid)] == v.id) gic::route(intid, mpidr);
        });
    }
}

}  // namespace vgic

Result<void> vgic_route_hw_spi(Domain& d, uint32_t intid, bool edge)
{
    if (!vgic::is_spi(d.vgic, intid) || intid >= gic::intid_count()) return Errno::Inval;
    // keel's own SPIs (its console UART's, anything registered) are never given away.
    if (intid == boot_info().uart_intid || irq_registered(intid)) return Errno::Busy;
    const uint32_t n = vgic::spi_index(intid);
    const uint32_t bit = uint32_t{1} << (n % 32);
    VgicIrqBank& b = d.vgic.spi[n / 32];
    if (b.hw & bit) return Errno::Busy;
    if (b.sourced & bit) return Errno::Busy;  // keel models a device on it (the vPL011's SPI)

    // Off while it is configured; the guest's GICD_ISENABLER turns it on.
    gic::disable(intid);
    gic::set_spi_pending(intid, false);
    gic::set_edge_triggered(intid, edge);
    gic::set_priority(intid, kDefaultPriority);
    {
        LockGuard guard{d.vgic.lock};
        b.hw |= bit;
        if (edge) {
            b.edge |= bit;  // the virtual GICD_ICFGR starts as the physical one
        } else {
            b.edge &= ~bit;
        }
        ++d.vgic.hw_count;
        route_to_target(d, intid);
    }
    register_irq(intid, on_hw_spi, &d, "guest-spi");
    return {};
}

void vgic_domain_destroy(Domain& d)
{
    if (d.vgic.hw_count == 0) return;
    LockGuard guard{d.vgic.lock};
    for (uint32_t bank = 0; bank < kVgicSpiBanks; ++bank) {
        for_each_bit(32 + bank * 32, d.vgic.spi[bank].hw, [](uint32_t intid) {
            gic::disable(intid);
            gic::set_spi_pending(intid, false);
            gic::clear_spi_active(intid);  // whatever keel or a list register held for the guest
            register_irq(intid, nullptr, nullptr, nullptr);
        });
        d.vgic.spi[bank].hw = 0;
    }
    d.vgic.hw_count = 0;
}

}  // namespace keel::arm64
