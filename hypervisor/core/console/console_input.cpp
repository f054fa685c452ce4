// SPDX-License-Identifier: MIT
//
// core/console/console_input.cpp
// Owns console input on the target (image only): the host PL011's receive
// interrupt, the one ConsoleMux and its lock, and what each mux decision
// prints or delivers. Input for keel is acknowledged line by line (keel has
// no console commands yet); input for a domain goes to its vPL011.
//
// Input is turned on with the first domain that has a vPL011 (console_input_attach).
// When the focused domain's receive FIFO is full, input is held back in the UART
// (and behind it, in QEMU or the terminal) until the guest reads; a guest that
// does not read within kHoldMs loses further bytes instead, so CTRL-a still works.
// Lock order: g_input.lock -> Domain::vpl011.lock -> keel's console lock.
// A Domain stays in the mux from vpl011_init() until vpl011_release(), which
// the domain's destruction calls before its memory goes; both take g_input.lock,
// so the interrupt handler never sees a freed Domain.
#include <atomic>

#include "arch/arm64/gic/gic.hpp"
#include "arch/arm64/gic/irq.hpp"
#include "arch/arm64/hw/spinlock.hpp"
#include "arch/arm64/timer/hyp_timer.hpp"
#include "core/boot/boot_info.hpp"
#include "core/boot/boot_state.hpp"
#include "core/console/console_mux.hpp"
#include "core/console/console_rx_ring.hpp"
#include "core/console/log.hpp"
#include "core/console/vpl011.hpp"
#include "core/event/event_channel.hpp"
#include "drivers/pl011.hpp"

namespace keel {
namespace {

struct ConsoleInput {
    SpinLock lock;  // protects mux
    ConsoleMux mux;
    std::atomic<DomId> focus{kDomIdInvalid};  // mux.focus(), readable without the lock
    bool started = false;  // console_input_init() ran (first domain with a vPL011)
    std::atomic<bool> held{false};  // receive interrupt off: the focused FIFO was full
    std::atomic<bool> overflow{false};  // held too long: deliver (and drop) until the guest reads
    ConsoleRxRing hwdom_rx;  // [dom0] input for CONSOLEIO_read (dom0 has no vPL011)
};
constinit ConsoleInput g_input;

// Bytes handled per interrupt; the (level) interrupt stays pending for the rest.
constexpr int kRxBudget = 64;
constexpr uint64_t kHoldMs = 200;

void hold_expired(Timer&, void*);
constinit Timer g_hold_timer{hold_expired, nullptr};

void hold_expired(Timer&, void*)
{
    LockGuard guard{g_input.lock};
    if (!g_input.held.load(std::memory_order_relaxed)) return;
    g_input.held.store(false, std::memory_order_relaxed);
    g_input.overflow.store(true, std::memory_order_relaxed);
    console::uart().enable_rx_interrupts();
}

void keel_line(void*, const char* text, size_t len)
{
    char line[ConsoleMux::kKeelLineMax + 1];
    for (size_t i = 0; i < len; ++i) {
        const char c = text[i];
        line[i] = c >= 0x20 && c < 0x7f ? c : '?';
    }
    line[len] = '\0';
    if (len == 0) {
        log("keel: console input goes to keel (type 'CTRL-{}' three times to switch input)\n",
            kConsoleSwitchLetter);
        return;
    }
    log("keel: console input \"{}\" ignored: keel has no console commands yet "
        "(type 'CTRL-{}' three times to switch input)\n",
        line, kConsoleSwitchLetter);
}

void domain_byte(void*, void* target, char c)
{
    Domain& d = *static_cast<Domain*>(target);
    if (d.has_vpl011) {
        vpl011_input(d, c);
        return;
    }
    // dom0 (Xen's serial_rx()): into the ring, VIRQ_CONSOLE raised for each byte.
    (void)g_input.hwdom_rx.push(c);
    evtchn_send_virq(d, xen::Virq::Console, 0);
}

// Room for input in `d`, wherever its input goes.
size_t rx_room(Domain& d) { return d.has_vpl011 ? vpl011_rx_room(d) : g_input.hwdom_rx.room(); }

// Xen prints "*** Serial input to DOM1 (type 'CTRL-a' three times to switch input)".
void switched(void*, DomId id, const char* name)
{
    g_input.focus.store(id, std::memory_order_release);
    g_input.overflow.store(false, std::memory_order_relaxed);  // a new focus: hold input for it
    if (id == kDomIdInvalid)
        log("keel: switched console input to keel (type 'CTRL-{}' three times to switch input)\n",
            kConsoleSwitchLetter);
    else
        log("keel: switched console input to d{} ({}) (type 'CTRL-{}' three times to switch "
            "input)\n",
            id, name, kConsoleSwitchLetter);
}

ConsoleMuxSink sink()
{
    ConsoleMuxSink s;
    s.keel_line = keel_line;
    s.domain_byte = domain_byte;
    s.switched = switched;
    return s;
}

// Whether the next byte can be delivered without dropping input.
bool room_for_next()
{
    auto* d = static_cast<Domain*>(g_input.mux.focus_target());
    return d == nullptr || g_input.overflow.load(std::memory_order_relaxed) ||
           rx_room(*d) >= g_input.mux.max_delivery();
}

void uart_rx_irq(uint32_t, void*)
{
    const Pl011& uart = console::uart();
    LockGuard guard{g_input.lock};
    for (int n = 0; n < kRxBudget && uart.rx_ready(); ++n) {
        if (!room_for_next()) {
            // Leave the rest in the UART (and QEMU's or the terminal's buffer)
            // until the guest reads: console_input_resume().
            uart.disable_rx_interrupts();
            g_input.held.store(true, std::memory_order_release);
            arm64::timer::arm(g_hold_timer,
                              arm64::timer::now() + arm64::timer::rate().from_ms(kHoldMs));
            return;
        }
        g_input.mux.input(uart.get(), sink());
    }
}

}  // namespace

void console_input_init(const BootInfo& boot)
{
    const uint32_t intid = boot.uart_intid;
    if (intid == 0 || !console::uart().present() || boot.uart.empty()) {
        log("keel: console input off: the console UART has no interrupt in the device tree\n");
        return;
    }
    arm64::register_irq(intid, uart_rx_irq, nullptr, "console-rx");
    arm64::gic::enable(intid);
    console::uart().enable_rx_interrupts();
    log("keel: console input to keel (type 'CTRL-{}' three times to switch input)\n",
        kConsoleSwitchLetter);
}

DomId console_input_focus() { return g_input.focus.load(std::memory_order_acquire); }

void console_input_resume()
{
    if (!g_input.held.load(std::memory_order_acquire) &&
        !g_input.overflow.load(std::memory_order_relaxed))
        return;
    LockGuard guard{g_input.lock};
    g_input.overflow.store(false, std::memory_order_relaxed);  // the guest reads again: hold input back from now on
    if (!g_input.held.load(std::memory_order_relaxed) || !room_for_next()) return;
    g_input.held.store(false, std::memory_order_relaxed);
    console::uart().enable_rx_interrupts();  // the UART still holds input: it fires at once
}

void console_input_attach(Domain& d)
{
    // Input matters once there is somewhere to send it: the first vPL011 turns it
    // on (domains are built by the boot CPU, after the GIC is up).
    if (!g_input.started) {
        g_input.started = true;
        console_input_init(boot_info());
    }
    LockGuard guard{g_input.lock};
    if (!g_input.mux.add(d.id, d.name, &d))
        log("keel: d{}: console input cannot reach this domain (more than {} domains)\n", d.id,
            ConsoleMux::kMaxTargets);
}

void console_input_attach_hwdom(Domain& d)
{
    console_input_attach(d);
    LockGuard guard{g_input.lock};
    if (!g_input.mux.set_focus(d.id)) return;
    g_input.focus.store(d.id, std::memory_order_release);
    // Xen: "*** Serial input to DOM0 (type 'CTRL-a' three times to switch input)".
    log("keel: console input to d{} ({}) (type 'CTRL-{}' three times to switch input)\n", d.id,
        d.name, kConsoleSwitchLetter);
}

size_t console_input_read_hwdom(char* out, size_t max)
{
    LockGuard guard{g_input.lock};
    return g_input.hwdom_rx.take(out, max);
}

void console_input_detach(Domain& d)
{
    LockGuard guard{g_input.lock};
    if (g_input.mux.remove(d.id)) {
        g_input.focus.store(kDomIdInvalid, std::memory_order_release);
        log("keel: d{} ({}) is gone; console input back to keel\n", d.id, d.name);
        if (g_input.held.exchange(false, std::memory_order_acq_rel))
            console::uart().enable_rx_interrupts();
    }
}

}  // namespace keel
