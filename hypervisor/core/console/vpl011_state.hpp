// SPDX-License-Identifier: MIT
//
// core/console/vpl011_state.hpp
// Owns the state of one domain's emulated SBSA generic UART (Xen's "vpl011"):
// the receive FIFO the console mux fills, the interrupt mask and raw status,
// the interrupt line as last signalled, the output line being assembled for
// keel's console, and where finished output goes. The register behaviour is core/console/vpl011.cpp's.
#pragma once
#include <cstdint>

#include "arch/arm64/hw/spinlock.hpp"

namespace keel {

// SBSA UART FIFO depth (xen/arch/arm/include/asm/vpl011.h SBSA_UART_FIFO_SIZE).
inline constexpr uint32_t kVpl011RxFifoSize = 32;
// Longest output line printed whole; a longer one is split (Xen uses 128).
inline constexpr uint32_t kVpl011LineMax = 160;

// Where a vPL011's output goes: keel's console on the target, a recorder in tests.
struct Vpl011Output {
    // One whole line, without its line ending (trailing '\r' removed).
    void (*line)(void* ctx, const char* text, uint32_t len) = nullptr;
    // Bytes exactly as written, for the domain that has console input focus.
    void (*raw)(void* ctx, const char* text, uint32_t len) = nullptr;
    void* ctx = nullptr;
};

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

    // Set once by the domain glue (vpl011_init), kept here so that a register
    // access does not build it on the stack every time.
    Vpl011Output output;
};

}  // namespace keel
