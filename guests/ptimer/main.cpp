// SPDX-License-Identifier: MIT
//
// guests/ptimer/main.cpp
// Test guest: the EL1 physical timer keel emulates (CNTP_CTL_EL0, CNTP_CVAL_EL0,
// CNTP_TVAL_EL0 trapped; PPI 30) against the physical counter CNTPCT_EL0 the
// guest reads itself. Deadlines fire PPI 30 once and never early, while the
// vCPU spins (keel's timer on its CPU) and while it waits in WFI (descheduled:
// the stand-in timer); TVAL is CVAL - count as a signed 32-bit value; with
// interrupts masked, CNTP_CTL.ISTATUS and GICR_ISPENDR0/ISACTIVER0 bit 30 read
// back the timer's state when enabled, masked, disabled, and across an EOI while
// the timer still asserts (a level interrupt: pending again).
#include <initializer_list>

#include "guest.hpp"

using namespace guest;

namespace {

constexpr uint32_t kPpi = gic::kPhysTimerPpi;
constexpr uint64_t kEnable = timer::kCtlEnable, kImask = timer::kCtlImask,
                   kIstatus = timer::kCtlIstatus;
constexpr uint64_t kLateLimitUs = 200000;  // TCG on a loaded host: as guests/timer
constexpr uint32_t kSpurious = 1023;

constinit volatile uint32_t g_fired = 0;
constinit volatile uint64_t g_fired_at = 0;

uint64_t pnow()
{
    isb();
    return CntPct::read();
}

void on_timer(uint32_t)
{
    g_fired_at = pnow();
    CntpCtl::write(0);  // disabled: the line falls before the EOI
    isb();
    g_fired = g_fired + 1;
}

void arm_at(uint64_t cval, uint64_t ctl = kEnable)
{
    CntpCval::write(cval);
    CntpCtl::write(ctl);
    isb();
}

void disarm()
{
    CntpCtl::write(0);
    isb();
}

template <typename Pred>
bool spin_until(Pred pred, uint64_t timeout_us)
{
    const uint64_t end = pnow() + timer::us_to_ticks(timeout_us);
    while (!pred())
        if (pnow() >= end) return pred();
    return true;
}

void report(bool fired, uint64_t cval, const char* how, uint64_t after_us)
{
    const bool early = fired && g_fired_at < cval;
    const uint64_t late = fired && !early ? timer::ticks_to_us(g_fired_at - cval) : 0;
    tap::ok(fired && !early && late < kLateLimitUs && g_fired == 1,
            "%s deadline +%lu us: PPI 30 %s, %lu us late", how,
            static_cast<unsigned long>(after_us),
            !fired ? "never came" : early ? "came EARLY" : "came once",
            static_cast<unsigned long>(late));
}

// The vCPU spins: keel's timer on this CPU raises the line.
void deadline_spinning(uint64_t after_us)
{
    g_fired = 0;
    const uint64_t cval = pnow() + timer::us_to_ticks(after_us);
    arm_at(cval);
    irq_enable();
    const bool fired = spin_until([] { return g_fired != 0; }, after_us + 2000000);
    irq_disable();
    disarm();
    report(fired, cval, "spinning:", after_us);
}

// The vCPU waits in WFI (keel deschedules it): the stand-in timer raises the line.
void deadline_waiting(uint64_t after_us)
{
    g_fired = 0;
    const uint64_t cval = pnow() + timer::us_to_ticks(after_us);
    const uint64_t give_up = cval + timer::us_to_ticks(2000000);
    arm_at(cval);
    while (g_fired == 0 && pnow() < give_up) {
        wfi();
        irq_enable();  // take it here, then mask again for the next WFI
        isb();
        irq_disable();
    }
    disarm();
    report(g_fired != 0, cval, "in WFI:", after_us);
}

constinit volatile uint32_t g_vfired = 0;
constinit volatile uint64_t g_vfired_at = 0;  // physical count

void on_vtimer(uint32_t)
{
    g_vfired_at = pnow();
    timer::disarm();
    g_vfired = g_vfired + 1;
}

// Both timers armed while the vCPU waits in WFI: one stand-in keel timer covers
// the earlier deadline, then re-arms itself for the later one.
void both_timers_waiting(uint64_t phys_us, uint64_t virt_us)
{
    g_fired = 0;
    g_vfired = 0;
    gic::enable_private(gic::kVirtualTimerPpi);
    const uint64_t p0 = pnow();
    const uint64_t v0 = timer::now();
    const uint64_t pcval = p0 + timer::us_to_ticks(phys_us);
    const uint64_t vcval = v0 + timer::us_to_ticks(virt_us);
    // The virtual deadline as a physical count (CNTVOFF = p0 - v0, up to the gap
    // between the two reads, which only makes this bound earlier).
    const uint64_t vdue = vcval + (p0 - v0);
    const uint64_t give_up = pnow() + timer::us_to_ticks(phys_us + virt_us + 2000000);
    arm_at(pcval);
    timer::arm_at(vcval);
    while ((g_fired == 0 || g_vfired == 0) && pnow() < give_up) {
        wfi();
        irq_enable();
        isb();
        irq_disable();
    }
    disarm();
    timer::disarm();
    gic::disable_private(gic::kVirtualTimerPpi);
    tap::ok(g_fired == 1 && g_vfired == 1 && g_fired_at >= pcval && g_vfired_at >= vdue,
            "in WFI, physical +%lu us and virtual +%lu us: each came once, not early",
            static_cast<unsigned long>(phys_us), static_cast<unsigned long>(virt_us));
}

void test_tval()
{
    disarm();
    const uint64_t before = pnow();
    // 0x7000'0000 ticks: over 10 s at QEMU's 62.5 MHz, so a stalled host cannot
    // make it pass between the write and the read.
    constexpr uint64_t kAhead = 0x7000'0000;
    CntpTval::write(kAhead);
    isb();
    const uint64_t after = pnow();
    const uint64_t cval = CntpCval::read();
    tap::ok(cval >= before + kAhead && cval <= after + kAhead,
            "TVAL write sets CVAL = count + TVAL");
    const uint64_t tval = CntpTval::read();
    tap::ok(tval <= kAhead && tval > 0, "TVAL reads CVAL - count (%lu)",
            static_cast<unsigned long>(tval));

    CntpTval::write(static_cast<uint32_t>(-5000));  // a negative TVAL: a deadline in the past
    isb();
    const uint64_t now = pnow();
    const uint64_t past = CntpCval::read();
    tap::ok(past <= now - 5000 && past + 5000 + timer::us_to_ticks(2000000) >= now,
            "negative TVAL is sign-extended: CVAL = count - 5000");
    const uint64_t neg = CntpTval::read();
    tap::ok((neg >> 32) == 0 && static_cast<int32_t>(neg) <= -5000,
            "TVAL reads back negative in 32 bits (%ld), upper half zero",
            static_cast<long>(static_cast<int32_t>(neg)));

    CntpCval::write(0x1234'5678'9abc'def0ull);
    isb();
    tap::ok(CntpCval::read() == 0x1234'5678'9abc'def0ull, "CVAL keeps all 64 bits");
    CntpCtl::write(~uint64_t{0} & ~kEnable);
    isb();
    tap::ok(CntpCtl::read() == kImask, "CTL keeps ENABLE and IMASK only (reads %lx)",
            static_cast<unsigned long>(CntpCtl::read()));
    disarm();
}

uint32_t ack() { return static_cast<uint32_t>(IccIar1::read() & 0xffffff); }
void eoi(uint32_t intid)
{
    IccEoir1::write(intid);
    isb();
}

// With PSTATE.I set: the timer's state through CTL and the redistributor.
void test_state()
{
    const bool pending_wait_ok = [] {
        arm_at(pnow() - 1);  // condition already met
        return spin_until([] { return gic::private_pending(kPpi); }, 500000);
    }();
    const uint64_t ctl_enabled = CntpCtl::read();
    tap::ok(pending_wait_ok && (ctl_enabled & kIstatus) != 0,
            "enabled, deadline passed: ISTATUS set, ISPENDR0 bit 30 set");

    CntpCtl::write(kEnable | kImask);
    isb();
    const bool masked_pending = gic::private_pending(kPpi);
    tap::ok((CntpCtl::read() & kIstatus) != 0 && !masked_pending,
            "masked: ISTATUS still set, ISPENDR0 bit 30 clear");

    CntpCtl::write(kEnable);
    isb();
    const bool unmasked_pending = gic::private_pending(kPpi);
    tap::ok(unmasked_pending, "unmasked again: ISPENDR0 bit 30 set");

    CntpCtl::write(0);
    isb();
    const bool disabled_pending = gic::private_pending(kPpi);
    tap::ok((CntpCtl::read() & kIstatus) == 0 && !disabled_pending,
            "disabled: ISTATUS clear, ISPENDR0 bit 30 clear");

    // A future deadline: nothing until it passes, then ISTATUS and pending (far
    // enough ahead that a stalled host does not reach it before the first look).
    const uint64_t cval = pnow() + timer::us_to_ticks(300000);
    arm_at(cval);
    const bool early_pending = gic::private_pending(kPpi);
    const bool early_istatus = (CntpCtl::read() & kIstatus) != 0;
    spin_until([cval] { return pnow() >= cval; }, 1000000);
    const bool istatus_after = (CntpCtl::read() & kIstatus) != 0;
    const bool pending_after = spin_until([] { return gic::private_pending(kPpi); }, 500000);
    tap::ok(!early_pending && !early_istatus && istatus_after && pending_after,
            "future deadline: clear before it, ISTATUS and ISPENDR0 bit 30 after it");

    // Acknowledge, then EOI while the timer still asserts: pending again, not active.
    const uint32_t first = ack();
    const bool active_after_ack = gic::private_active(kPpi);
    eoi(first);
    const bool pending_again = gic::private_pending(kPpi);
    const bool active_after_eoi = gic::private_active(kPpi);
    tap::ok(first == kPpi && active_after_ack && pending_again && !active_after_eoi,
            "EOI while still asserted: active after ack, pending (not active) after EOI "
            "(ack %u)", first);

    // Acknowledge, mask (as a handler does), EOI: nothing left.
    const uint32_t second = ack();
    CntpCtl::write(kEnable | kImask);
    isb();
    eoi(second);
    const bool pending_end = gic::private_pending(kPpi);
    const bool active_end = gic::private_active(kPpi);
    const uint32_t none = ack();
    tap::ok(second == kPpi && !pending_end && !active_end && none == kSpurious,
            "masked in the handler, then EOI: neither pending nor active (ack %u, then %u)",
            second, none);
    if (none != kSpurious) eoi(none);
    disarm();
}

}  // namespace

void test_main(uint64_t)
{
    tap::ok(gic::init_distributor() && gic::init_cpu(), "GICv3 comes up");
    set_irq_handler(kPpi, on_timer);
    gic::enable_private(kPpi);
    tap::ok(CntpCtl::read() == 0, "physical timer starts disabled");

    for (uint64_t us : {uint64_t{1000}, uint64_t{10000}, uint64_t{50000}}) deadline_spinning(us);
    for (uint64_t us : {uint64_t{1000}, uint64_t{20000}}) deadline_waiting(us);
    set_irq_handler(gic::kVirtualTimerPpi, on_vtimer);
    both_timers_waiting(10000, 30000);
    both_timers_waiting(30000, 10000);

    // A deadline in the past fires at once.
    g_fired = 0;
    arm_at(pnow() - timer::us_to_ticks(1000));
    irq_enable();
    const bool past = spin_until([] { return g_fired != 0; }, 500000);
    irq_disable();
    tap::ok(past && g_fired == 1, "a deadline in the past fires at once");

    // TVAL-armed deadline.
    g_fired = 0;
    const uint64_t ticks = timer::us_to_ticks(5000);
    const uint64_t lower = pnow() + ticks;
    CntpTval::write(ticks);
    CntpCtl::write(kEnable);
    isb();
    irq_enable();
    const bool tval_fired = spin_until([] { return g_fired != 0; }, 2000000);
    irq_disable();
    tap::ok(tval_fired && g_fired_at >= lower, "a TVAL deadline fires PPI 30, not early");

    // IMASK: ISTATUS but no interrupt.
    g_fired = 0;
    const uint64_t cval = pnow() + timer::us_to_ticks(5000);
    arm_at(cval, kEnable | kImask);
    irq_enable();
    spin_until([cval] { return pnow() >= cval; }, 1000000);
    spin_until([] { return false; }, 20000);
    irq_disable();
    tap::ok((CntpCtl::read() & kIstatus) != 0 && g_fired == 0,
            "no interrupt while CNTP_CTL.IMASK is set (ISTATUS set)");
    disarm();

    test_tval();
    test_state();
}
