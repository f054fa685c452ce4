// SPDX-License-Identifier: MIT
//
// guests/uart-echo/main.cpp
// Test guest for console input: takes its vPL011's receive interrupts (RXIM and
// RTIM on SPI 32), reads UARTDR until UARTFR.RXFE, collects lines and reports
// each as "ok N - d<id> got line: <text>" (bytes below 0x20 shown as '?'),
// until the line "quit". The scenario types at it through keel's console
// (CTRL-a three times moves keel's input focus to this domain).
#include "guest.hpp"

using namespace guest;

namespace {

constexpr uint32_t kLineMax = 80;
constinit volatile char g_line[kLineMax + 1] = {};
constinit volatile uint32_t g_len = 0;
constinit volatile uint32_t g_ready = 0;  // a complete line waits in g_line
constinit volatile uint32_t g_irqs = 0;

void on_uart(uint32_t)
{
    g_irqs = g_irqs + 1;
    while ((mmio_read32(kUartFr) & kUartFrRxfe) == 0) {
        const auto c = static_cast<char>(mmio_read32(kUartDr) & 0xff);
        if (g_ready != 0) continue;  // one line at a time: the scenario waits for the answer
        if (c == '\r' || c == '\n') {
            if (g_len != 0) g_ready = 1;
        } else if (g_len < kLineMax) {
            g_line[g_len] = c >= 0x20 && c < 0x7f ? c : '?';
            g_len = g_len + 1;
        }
    }
}

void on_timer(uint32_t) { timer::disarm(); }  // only there to end the WFI now and then

bool is_quit()
{
    return g_len == 4 && g_line[0] == 'q' && g_line[1] == 'u' && g_line[2] == 'i' && g_line[3] == 't';
}

}  // namespace

void test_main(uint64_t)
{
    const uint64_t id = bootarg_u64(dt().bootargs, "guest.id", 0);
    if (!(gic::init_distributor() && gic::init_cpu())) tap::bail("GICv3 did not come up");
    set_irq_handler(gic::kVpl011Spi, on_uart);
    set_irq_handler(gic::kVirtualTimerPpi, on_timer);
    gic::enable_private(gic::kVirtualTimerPpi);
    gic::enable_spi(gic::kVpl011Spi, 0);
    mmio_write32(kUartImsc, kUartIntRx | kUartIntRt);
    tap::ok(true, "d%lu ready for input", static_cast<unsigned long>(id));

    const uint64_t give_up = timer::now() + timer::us_to_ticks(120000000);
    for (;;) {
        // Check and WFI with IRQs masked; the pending SPI ends the WFI.
        while (g_ready == 0 && timer::now() < give_up) {
            timer::arm_at(timer::now() + timer::us_to_ticks(100000));  // wake to re-check the time
            wfi();
            irq_enable();
            irq_disable();
        }
        timer::disarm();
        if (g_ready == 0) tap::bail("d%lu: no input line within 120 s", static_cast<unsigned long>(id));
        g_line[g_len] = '\0';
        char copy[kLineMax + 1];
        for (uint32_t i = 0; i <= g_len; ++i) copy[i] = g_line[i];
        const bool quit = is_quit();
        tap::ok(true, "d%lu got line: %s", static_cast<unsigned long>(id), copy);
        g_len = 0;
        dsb();
        g_ready = 0;
        if (quit) break;
    }
    mmio_write32(kUartImsc, 0);
    gic::disable_spi(gic::kVpl011Spi);
    tap::ok(g_irqs != 0, "d%lu input arrived by SPI 32 (%u interrupt(s))", static_cast<unsigned long>(id),
            g_irqs);
}
