// SPDX-License-Identifier: MIT
//
// guests/irq-level/main.cpp
// Test guest: interrupt state read back through the vGIC matches its source,
// with PSTATE.I set and the guest acknowledging/EOIing by hand (ICC_IAR1_EL1,
// ICC_EOIR1_EL1, EOImode 0):
//  - the virtual timer (PPI 27, hardware-linked): GICR_ISPENDR0/ISACTIVER0 bit
//    27 and CNTV_CTL.ISTATUS when it fires, once acknowledged, after the EOI with
//    the timer masked, when it fires again, and once disabled before the ack;
//  - the vPL011's level SPI (32): pending while its cause (TXRIS & TXIM) is
//    there, still pending after time passes, pending again after the EOI while
//    the cause remains, and not pending once the guest clears it (UARTICR) or
//    masks it (UARTIMSC), before or after the acknowledge.
// Nothing is printed while UARTIMSC.TXIM is set (each write would set TXRIS).
#include "guest.hpp"

using namespace guest;

namespace {

constexpr uint32_t kVtimer = gic::kVirtualTimerPpi;
constexpr uint32_t kSpi = gic::kVpl011Spi;
constexpr uint32_t kSpurious = 1023;
constexpr uint64_t kEnable = timer::kCtlEnable, kImask = timer::kCtlImask,
                   kIstatus = timer::kCtlIstatus;

uint32_t ack() { return static_cast<uint32_t>(IccIar1::read() & 0xffffff); }
void eoi(uint32_t intid)
{
    IccEoir1::write(intid);
    isb();
}
void set_vtimer(uint64_t ctl)
{
    CntvCtl::write(ctl);
    isb();
}

void test_vtimer()
{
    gic::enable_private(kVtimer);
    CntvCval::write(timer::now() - 1);
    set_vtimer(kEnable);
    const bool fired = timer::spin_until([] { return gic::private_pending(kVtimer); }, 500000);
    tap::ok(fired && !gic::private_active(kVtimer) && (timer::ctl() & kIstatus) != 0,
            "vtimer fired: ISPENDR0 bit 27 set, ISACTIVER0 clear, ISTATUS set");

    const uint32_t id = ack();
    const bool active = gic::private_active(kVtimer);
    set_vtimer(kEnable | kImask);  // what Linux's handler does
    eoi(id);
    const bool pending_after = gic::private_pending(kVtimer);
    const bool active_after = gic::private_active(kVtimer);
    tap::ok(id == kVtimer && active, "acknowledged: ISACTIVER0 bit 27 set (ack %u)", id);
    tap::ok(!pending_after && !active_after && (timer::ctl() & kIstatus) != 0,
            "masked and EOIed: neither pending nor active, ISTATUS still set");
    const uint32_t none = ack();
    tap::ok(none == kSpurious, "nothing more to acknowledge (%u)", none);
    if (none != kSpurious) eoi(none);

    set_vtimer(kEnable);  // unmasked: the still-met condition fires it again
    const bool refired = timer::spin_until([] { return gic::private_pending(kVtimer); }, 500000);
    tap::ok(refired, "unmasked: pending again");

    set_vtimer(0);  // disabled before the guest took it
    const bool pending_disabled = gic::private_pending(kVtimer);
    tap::ok(!pending_disabled && !gic::private_active(kVtimer) && (timer::ctl() & kIstatus) == 0,
            "disabled before the acknowledge: not pending, ISTATUS clear");
    const uint32_t none2 = ack();
    tap::ok(none2 == kSpurious, "nothing to acknowledge once disabled (%u)", none2);
    if (none2 != kSpurious) eoi(none2);

    // And it still works: enable again, acknowledge, disable, EOI.
    CntvCval::write(timer::now() - 1);
    set_vtimer(kEnable);
    const bool again = timer::spin_until([] { return gic::private_pending(kVtimer); }, 500000);
    const uint32_t id3 = ack();
    set_vtimer(0);
    eoi(id3);
    tap::ok(again && id3 == kVtimer && !gic::private_pending(kVtimer) &&
                !gic::private_active(kVtimer),
            "fires once more after all that, and ends clean");
    gic::disable_private(kVtimer);
}

struct SpiResult {
    bool pending_on_cause = false;
    bool still_pending = false;
    uint32_t first = 0;
    bool active_after_ack = false;
    bool pending_after_eoi = false;
    bool active_after_eoi = false;
    uint32_t second = 0;
    bool pending_after_clear = false;
    bool active_after_clear_eoi = false;
    uint32_t third = 0;
};

void uart_cause(bool on)
{
    mmio_write32(kUartImsc, on ? kUartIntTx : 0);
    dsb();
}

void test_spi()
{
    gic::enable_spi(kSpi, Mpidr::read() & 0xff);
    uart_cause(false);
    mmio_write32(kUartIcr, 0x7ff);
    dsb();
    tap::ok(!gic::spi_pending(kSpi), "no cause: SPI 32 not pending");
    tap::note("sets TXRIS");  // every UARTDR write sets TXRIS

    SpiResult r;
    uart_cause(true);  // TXRIS & TXIM: the line is high
    r.pending_on_cause = gic::spi_pending(kSpi);
    timer::spin_until([] { return false; }, 20000);
    r.still_pending = gic::spi_pending(kSpi);
    r.first = ack();
    r.active_after_ack = gic::spi_active(kSpi);
    eoi(r.first);  // the cause is still there
    r.pending_after_eoi = gic::spi_pending(kSpi);
    r.active_after_eoi = gic::spi_active(kSpi);
    r.second = ack();
    mmio_write32(kUartIcr, kUartIntTx);  // the guest clears the cause
    dsb();
    eoi(r.second);
    r.pending_after_clear = gic::spi_pending(kSpi);
    r.active_after_clear_eoi = gic::spi_active(kSpi);
    r.third = ack();
    uart_cause(false);
    if (r.third != kSpurious) eoi(r.third);

    tap::ok(r.pending_on_cause, "TXRIS & TXIM: SPI 32 pending");
    tap::ok(r.still_pending, "still pending 20 ms later (level: until the cause is cleared)");
    tap::ok(r.first == kSpi && r.active_after_ack, "acknowledged: active (ack %u)", r.first);
    tap::ok(r.pending_after_eoi && !r.active_after_eoi,
            "EOI with the cause still there: pending again, not active");
    tap::ok(r.second == kSpi, "taken again (ack %u)", r.second);
    tap::ok(!r.pending_after_clear && !r.active_after_clear_eoi && r.third == kSpurious,
            "UARTICR cleared the cause, then EOI: neither pending nor active (then ack %u)",
            r.third);

    // The cause goes away before the guest takes it: by UARTICR, and by UARTIMSC.
    tap::note("sets TXRIS again");
    uart_cause(true);
    const bool p1 = gic::spi_pending(kSpi);
    mmio_write32(kUartIcr, kUartIntTx);
    dsb();
    const bool p2 = gic::spi_pending(kSpi);
    const uint32_t a2 = ack();
    uart_cause(false);
    if (a2 != kSpurious) eoi(a2);
    tap::ok(p1 && !p2 && a2 == kSpurious,
            "cleared by UARTICR before the acknowledge: no longer pending (ack %u)", a2);

    tap::note("sets TXRIS once more");
    uart_cause(true);
    const bool m1 = gic::spi_pending(kSpi);
    uart_cause(false);
    const bool m2 = gic::spi_pending(kSpi);
    const uint32_t a3 = ack();
    if (a3 != kSpurious) eoi(a3);
    tap::ok(m1 && !m2 && a3 == kSpurious,
            "masked by UARTIMSC before the acknowledge: no longer pending (ack %u)", a3);
    gic::disable_spi(kSpi);
    mmio_write32(kUartIcr, 0x7ff);
    dsb();
}

}  // namespace

void test_main(uint64_t)
{
    tap::ok(gic::init_distributor() && gic::init_cpu(), "GICv3 comes up");
    irq_disable();
    test_vtimer();
    test_spi();
}
