// SPDX-License-Identifier: MIT
//
// core/console/log.cpp
// Owns the console state: which UART keel prints on and the lock that keeps
// lines whole once more than one CPU runs. Everything printed also goes into
// the console ring (console_ring.hpp: `xl dmesg`).
#include "core/console/log.hpp"

#include "arch/arm64/hw/spinlock.hpp"
#include "core/console/console_ring.hpp"
#include "drivers/pl011.hpp"

namespace keel::console {
namespace {
struct ConsoleState {
    Pl011 uart;
    SpinLock lock;
    bool smp = false;
};
ConsoleState g_console;  // the one console (platform singleton)
}  // namespace

void attach(const Pl011& uart) { g_console.uart = uart; }
void set_smp(bool on)
{
    g_console.smp = on;
    console_ring().set_locking(on);
}
const Pl011& uart() { return g_console.uart; }

void write_raw(const char* text)
{
    console_ring().put(text);
    if (g_console.smp) {
        LockGuard guard{g_console.lock};
        g_console.uart.write(text);
    } else {
        g_console.uart.write(text);
    }
}

void write_bytes(const char* text, size_t len)
{
    console_ring().put(text, len);
    if (g_console.smp) {
        LockGuard guard{g_console.lock};
        g_console.uart.write_bytes(text, len);
    } else {
        g_console.uart.write_bytes(text, len);
    }
}

}  // namespace keel::console
