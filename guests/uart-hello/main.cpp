// SPDX-License-Identifier: MIT
//
// guests/uart-hello/main.cpp
// Test guest: the basics a dom0less domU sees at entry and its vPL011. Checks
// it runs at EL1 with a device tree in x0 that matches its domain node (RAM at
// 0x40000000 of guest.mem_mb MiB, guest.cpus CPUs, the sbsa-uart node, the
// bootargs), the SBSA UART registers keel emulates (flags, mask, raw status,
// clear), and that the UART's transmit interrupt arrives as SPI 32.
#include "guest.hpp"

using namespace guest;

namespace {

constinit volatile uint32_t g_spi32 = 0;

void on_uart_irq(uint32_t)
{
    g_spi32 = g_spi32 + 1;
    mmio_write32(kUartImsc, 0);  // mask first: the line is level-sensitive
    mmio_write32(kUartIcr, kUartIntTx);
}

}  // namespace

void test_main(uint64_t dtb)
{
    print("hello from keel test guest uart-hello\n");
    const GuestDt& d = dt();
    tap::ok((CurrentEl::read() >> 2 & 3) == 1, "runs at EL1");
    tap::ok(d.valid, "x0 (%lx) points at a flattened device tree", static_cast<unsigned long>(dtb));
    const uint64_t mem_mb = bootarg_u64(d.bootargs, "guest.mem_mb", 0);
    tap::ok(d.ram_base == 0x40000000 && mem_mb != 0 && d.ram_total == mem_mb << 20,
            "/memory: %lu MiB at %lx (domain node: %lu MiB)",
            static_cast<unsigned long>(d.ram_total >> 20), static_cast<unsigned long>(d.ram_base),
            static_cast<unsigned long>(mem_mb));
    const uint64_t cpus = bootarg_u64(d.bootargs, "guest.cpus", 1);
    tap::ok(d.cpus == cpus, "/cpus lists %u vCPU(s)", d.cpus);
    tap::ok(d.has_vpl011, "/sbsa-uart@22000000 is present");
    tap::ok(bootarg_u64(d.bootargs, "guest.magic", 0) == 0x1234, "bootargs reach /chosen: %s",
            d.bootargs);

    const uint32_t fr = mmio_read32(kUartFr);
    tap::ok((fr & kUartFrTxfe) != 0 && (fr & (kUartFrTxff | kUartFrBusy)) == 0,
            "UARTFR: transmit FIFO empty, not full, not busy (%x)", fr);
    tap::ok((fr & kUartFrRxfe) != 0, "UARTFR: receive FIFO empty");
    mmio_write32(kUartImsc, kUartIntRx | kUartIntRt);
    tap::ok(mmio_read32(kUartImsc) == (kUartIntRx | kUartIntRt), "UARTIMSC reads back");
    mmio_write32(kUartImsc, 0);
    tap::ok((mmio_read32(kUartRis) & kUartIntTx) != 0, "UARTRIS: transmit interrupt raw status set");
    mmio_write32(kUartIcr, kUartIntTx);
    tap::ok((mmio_read32(kUartRis) & kUartIntTx) == 0, "UARTICR clears it");
    tap::ok(mmio_read32(kUartMis) == 0, "UARTMIS is 0 while everything is masked");

    const bool gic_ok = gic::init_distributor() && gic::init_cpu();
    tap::ok(gic_ok, "GICv3 distributor and this vCPU's redistributor come up");
    set_irq_handler(gic::kVpl011Spi, on_uart_irq);
    gic::enable_spi(gic::kVpl011Spi, 0);
    irq_enable();
    mmio_write32(kUartImsc, kUartIntTx);  // TXRIS is set by the write of this line:
    print("# transmit interrupt armed\n");
    const bool got = timer::spin_until([] { return g_spi32 != 0; }, 2000000);
    irq_disable();
    tap::ok(got && g_spi32 == 1, "vPL011 transmit interrupt arrives as SPI 32 (%u)", g_spi32);
    gic::disable_spi(gic::kVpl011Spi);
    tap::ok(true, "text with {} braces and 100%% passes through keel's log unchanged");
}
