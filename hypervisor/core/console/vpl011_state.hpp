// SPDX-License-Identifier: MIT
//
// core/console/vpl011_state.hpp
// Owns the state of one domain's emulated SBSA generic UART (Xen's "vpl011"):
// the receive FIFO the console mux fills, the interrupt mask and raw status,
// the interrupt line as last signalled, and the output line being assembled
// for keel's console. The register behaviour is core/console/vpl011.cpp's.
#pragma once
#include <cstdint>

#include "arch/arm64/hw/spinlock.hpp"

namespace keel {

// SBSA UART FIFO depth (xen/arch/arm/include/asm/vpl011.h SBSA_UART_FIFO_SIZE).
inline constexpr uint32_t kVpl011RxFifoSize = 32;
// Longest output line printed whole; a longer one is split (Xen uses 128).
inline constexpr uint32_t kVpl011LineMax = 160;

struct Vpl011State {
    SpinLock lock;  // taken by the vCPU's MMIO handler and by the console mux (RX)

    uint32_t imsc = 0;  // UARTIMSC: interrupt mask set/clear
    uint32_t ris = 0;   // UARTRIS: raw interrupt status (only RXI, TXI, RTI are ever set)
    uint32_t mis_signalled = 0;  // MIS bits already signalled to the vGIC

    uint8_t rx[kVpl011RxFifoSize] = {};  // receive FIFO, oldest at rx_head
    uint32_t rx_head = 0;
    uint32_t rx_count = 0;
    uint64_t rx_dropped = 0;  // bytes lost because the FIFO was full

    char line[kVpl011LineMax] = {};  // output not yet printed (no NUL inside)
    uint32_t line_len = 0;
};

}  // namespace keel
