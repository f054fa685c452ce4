// SPDX-License-Identifier: MIT
//
// drivers/pl011.hpp
// Owns keel's own serial console: an Arm PL011 UART (PrimeCell UART TRM, DDI 0183).
// Found from /chosen/stdout-path by the boot code. Output is polled; input is
// read by the console mux from the UART's receive interrupt.
#pragma once
#include <cstddef>

#include "arch/arm64/hw/mmio.hpp"

namespace keel {

class Pl011 {
public:
    constexpr Pl011() = default;
    explicit Pl011(VirtAddr base) : regs_{base} {}
    bool present() const { return regs_.valid(); }
    void put(char c) const;
    void write(const char* s) const;                // '\n' becomes "\r\n"
    void write_bytes(const char* s, size_t n) const;  // exactly these bytes

    bool rx_ready() const;                // the receive FIFO holds a byte
    char get() const;                     // the next received byte (rx_ready() first)
    void enable_rx_interrupts() const;    // UARTIMSC: receive and receive-timeout on
    void disable_rx_interrupts() const;   // ... and off (input waits in the UART)

private:
    MmioWindow regs_;
};

}  // namespace keel
