// SPDX-License-Identifier: MIT
//
// core/console/console_input.cpp
// Owns console input on the target (image only): the host PL011's receive
// interrupt, the one ConsoleMux and its lock, and what each mux decision
// prints or delivers. Input for keel is acknowledged line by line (keel has
// no console commands yet); input for a domain goes to its vPL011.
//
// Input is turned on with the first domain that has a vPL011 (console_input_attach).
// Lock order: g_input.lock -> Domain::vpl011.lock -> keel's console lock.
// A Domain stays in the mux from vpl011_init() until vpl011_release(), which
// the domain's destruction calls before its memory goes; both take g_input.lock,
// so the interrupt handler never sees a freed Domain.
#include <atomic>

#include "arch/arm64/gic/gic.hpp"
#include "arch/arm64/gic/irq.hpp"
#include "arch/arm64/hw/spinlock.hpp"
#include "core/boot/boot_info.hpp"
#include "core/boot/boot_state.hpp"
#include "core/console/console_mux.hpp"
#include "core/console/log.hpp"
#include "core/console/vpl011.hpp"
#include "drivers/pl011.hpp"

namespace keel {
namespace {

struct ConsoleInput {
    SpinLock lock;  // protects mux
    ConsoleMux mux;
    std::atomic<DomId> focus{kDomIdInvalid};  // mux.focus(), readable without the lock
    bool started = false;  // console_input_init() ran (first domain with a vPL011)
};
constinit ConsoleInput g_input;

// Bytes handled per interrupt; the (level) interrupt stays pending for the rest.
constexpr int kRxBudget = 64;

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

void domain_byte(void*, void* target, char c) { vpl011_input(*static_cast<Domain*>(target), c); }

// Xen prints "*** Serial input to DOM1 (type 'CTRL-a' three times to switch input)".
void switched(void*, DomId id, const char* name)
{
    g_input.focus.store(id, std::memory_order_release);
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

void uart_rx_irq(uint32_t, void*)
{
    const Pl011& uart = console::uart();
    LockGuard guard{g_input.lock};
    for (int n = 0; n < kRxBudget && uart.rx_ready(); ++n) g_input.mux.input(uart.get(), sink());
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

void console_input_detach(Domain& d)
{
    LockGuard guard{g_input.lock};
    if (g_input.mux.remove(d.id)) {
        g_input.focus.store(kDomIdInvalid, std::memory_order_release);
        log("keel: d{} ({}) is gone; console input back to keel\n", d.id, d.name);
    }
}

}  // namespace keel
