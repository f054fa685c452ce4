// SPDX-License-Identifier: MIT
//
// arch/arm64/vgic/vgic_selftest.cpp
// Owns selftest_hw_spi() (see vgic_selftest.hpp).
#include "arch/arm64/vgic/vgic_selftest.hpp"

#include "arch/arm64/gic/gic.hpp"
#include "arch/arm64/gic/irq.hpp"
#include "arch/arm64/smp/idle.hpp"
#include "arch/arm64/timer/hyp_timer.hpp"
#include "arch/arm64/vgic/ich_regs.hpp"
#include "arch/arm64/vgic/vgic.hpp"
#include "arch/arm64/vgic/vgic_hw.hpp"
#include "core/boot/boot_state.hpp"
#include "core/domain/domain.hpp"
#include "core/domain/domain_table.hpp"
#include "core/domain/vcpu.hpp"
#include "core/selftest/selftest.hpp"
#include "lib/fmt.hpp"

namespace keel::arm64 {
namespace {

// An SPI no QEMU virt device drives (SPI 13) and keel does not own.
constexpr uint32_t kTestSpi = 45;
constexpr DomId kTestDomid = 1;  // no domain exists yet in a keel.selftest run

// A guest's 32-bit (or 64-bit) access to its emulated GIC, through d's MMIO table.
bool guest_access(Domain& d, uint64_t ipa, bool write, uint64_t value, uint8_t size = 4)
{
    const MmioRegion* r = d.mmio.find(GuestPhysAddr{ipa}, size);
    if (r == nullptr) return false;
    MmioAccess a{GuestPhysAddr{ipa}, ipa - r->base.raw(), size, write, value};
    return r->handler(*d.vcpus[0], a, r->ctx);
}

// The list register holding `intid` on this CPU, or 0.
uint64_t lr_of(const Vcpu& v, uint32_t intid)
{
    for (uint32_t i = 0; i < kVgicMaxLrs; ++i) {
        if ((v.vgic.lr_used & (uint32_t{1} << i)) && lr_intid(vgic::lr_read(i)) == intid)
            return vgic::lr_read(i);
    }
    return 0;
}

void run(Domain& d)
{
    Vcpu& v = *d.vcpus[0];
    const auto layout = vgic_host_layout(1);
    selftest::report(layout.ok() && vgic_domain_init(d, layout.value()).ok(),
                     "vgic: domain with the host GIC layout");
    if (!layout.ok()) return;
    vgic_vcpu_init(v);
    const uint64_t gicd = layout.value().gicd_base.raw();

    const bool routed = vgic_route_hw_spi(d, kTestSpi, true).ok();
    const uint32_t uart = boot_info().uart_intid;
    const bool refusals = vgic_route_hw_spi(d, kTestSpi, true).error() == Errno::Busy &&
                          (uart < 32 || vgic_route_hw_spi(d, uart, false).error() == Errno::Busy) &&
                          vgic_route_hw_spi(d, 31, true).error() == Errno::Inval &&
                          vgic_route_hw_spi(d, 32 + d.vgic.nr_spis, true).error() == Errno::Inval;
    selftest::report(routed && refusals && irq_registered(kTestSpi),
                     "vgic: SPI routed to a domain once; twice, keel's UART, non-SPIs refused");

    // The guest: vCPU 0 loaded here, distributor on, the SPI enabled (the
    // physical one follows), then made pending through GICD_ISPENDR (through
    // the physical one: it fires at EL2).
    vgic_restore(v);
    const uint64_t reg = 4 * (kTestSpi / 32), bit = uint64_t{1} << (kTestSpi % 32);
    bool ok = guest_access(d, gicd + 0x0000, true, (1u << 4) | (1u << 1)) &&  // ARE_NS | EnableGrp1A
              guest_access(d, gicd + 0x0100 + reg, true, bit);                 // ISENABLER
    const bool phys_enabled = ok && gic::spi_enabled(kTestSpi);
    ok = ok && guest_access(d, gicd + 0x0200 + reg, true, bit);  // ISPENDR
    const bool placed = ok && wait_until([&v] { return lr_of(v, kTestSpi) != 0; },
                                         timer::rate().from_ms(100));
    const uint64_t lr = lr_of(v, kTestSpi);
    const bool held_active = gic::spi_active(kTestSpi);
    char detail[160];
    FmtBuffer out{detail, sizeof detail};
    format_to(out, "LR {:#x}, physical enabled {} active {}", lr, phys_enabled ? 1 : 0,
              held_active ? 1 : 0);
    selftest::note(out.c_str());
    selftest::report(placed && phys_enabled && held_active && lr_hw(lr) &&
                         IchLr::PIntid::get(lr) == kTestSpi &&
                         lr_state(lr) == LrState::Pending,
                     "vgic: physical SPI fired, left active, in a list register with HW=1 pINTID=INTID");

    // Off the CPU and torn down: the SPI is disabled, inactive and keel's again.
    vgic_save(v);
    const bool folded = (d.vgic.spi[(kTestSpi - 32) / 32].pending & bit) != 0;
    vgic_domain_destroy(d);
    selftest::report(folded && !gic::spi_enabled(kTestSpi) && !gic::spi_active(kTestSpi) &&
                         !irq_registered(kTestSpi),
                     "vgic: teardown disables, deactivates and unregisters the SPI");
}

}  // namespace

void selftest_hw_spi()
{
    auto d = create_domain("vgic-selftest", kTestDomid, 1);
    if (!d.ok()) {
        selftest::report(false, "vgic: throwaway domain for the hardware-linked SPI check");
        return;
    }
    run(*d.value());
    (void)free_domain(*d.value());
}

}  // namespace keel::arm64
