// SPDX-License-Identifier: MIT
//
// core/console/vpl011.hpp
// Owns the emulated SBSA generic UART every dom0less domU with "vpl011" gets at
// 0x22000000 (SPI 32), as Xen's vpl011 with its backend in the hypervisor:
//  - the register model (pure, vpl011.cpp): UARTDR, UARTRSR/ECR, UARTFR,
//    UARTIMSC, UARTRIS, UARTMIS, UARTICR — the SBSA generic-UART subset (Arm
//    Server Base System Architecture, "Generic UART"); every other offset reads
//    as zero and ignores writes, a 64-bit access is a bus error;
//  - the domain glue (vpl011_device.cpp, image only): the MMIO region, output
//    printed on keel's console as whole lines "(d<N>) <text>", the interrupt
//    signalled through the vGIC, input fed by the console mux.
// Transmit never waits: the FIFO always reports empty and never full.
#pragma once
#include <cstdint>

#include "core/console/vpl011_state.hpp"
#include "core/domain/mmio.hpp"

namespace keel {

struct Domain;

namespace vpl011 {
// PrimeCell UART (PL011) TRM (DDI 0183), register summary; SBSA generic UART subset.
inline constexpr uint64_t kDr = 0x000;    // UARTDR: data
inline constexpr uint64_t kRsr = 0x004;   // UARTRSR (read) / UARTECR (write): errors
inline constexpr uint64_t kFr = 0x018;    // UARTFR: flags
inline constexpr uint64_t kImsc = 0x038;  // UARTIMSC: interrupt mask set/clear
inline constexpr uint64_t kRis = 0x03c;   // UARTRIS: raw interrupt status
inline constexpr uint64_t kMis = 0x040;   // UARTMIS: masked interrupt status
inline constexpr uint64_t kIcr = 0x044;   // UARTICR: interrupt clear (write only)

// UARTFR bits.
inline constexpr uint32_t kFrBusy = 1u << 3;  // transmitting
inline constexpr uint32_t kFrRxfe = 1u << 4;  // receive FIFO empty
inline constexpr uint32_t kFrTxff = 1u << 5;  // transmit FIFO full
inline constexpr uint32_t kFrRxff = 1u << 6;  // receive FIFO full
inline constexpr uint32_t kFrTxfe = 1u << 7;  // transmit FIFO empty

// UARTIMSC / UARTRIS / UARTMIS / UARTICR bits.
inline constexpr uint32_t kIntRx = 1u << 4;   // RXIM/RXRIS: receive FIFO at its trigger level
inline constexpr uint32_t kIntTx = 1u << 5;   // TXIM/TXRIS: transmit FIFO at its trigger level
inline constexpr uint32_t kIntRt = 1u << 6;   // RTIM/RTRIS: receive timeout (data waiting)
inline constexpr uint32_t kIntAll = 0x7ff;    // bits 0-10 exist in the PL011

// The RX interrupt asserts when the FIFO is at least half full (the PL011's
// reset trigger level, UARTIFLS = 1/2), and deasserts below it.
inline constexpr uint32_t kRxTriggerLevel = kVpl011RxFifoSize / 2;
}  // namespace vpl011

// What the caller does after an access or an input byte (outside the lock).
struct Vpl011Effects {
    bool ok = true;      // false: the access is not allowed (inject a data abort)
    bool raise = false;  // MIS gained a bit not yet signalled: assert the SPI
    bool lower = false;  // MIS became zero: the line fell (deassert the SPI)
    bool level = false;  // (RIS & IMSC) != 0 after the operation: the line's level
};

/// Puts the UART in its reset state (transmit empty, receive empty, no
/// interrupts enabled or pending, no output pending).
void vpl011_reset(Vpl011State& s);

/// One guest access to the UART window (`a.offset` within the 4 KiB window,
/// `a.size` 1, 2 or 4; a read fills `a.value`). `focused`: the domain has the
/// console input, so output is passed through as written instead of in lines.
/// Caller holds s.lock.
Vpl011Effects vpl011_access(Vpl011State& s, MmioAccess& a, bool focused, const Vpl011Output& out);

/// vpl011_access() for a read (`!a.write`), which neither prints nor depends on
/// the console focus. Caller holds s.lock.
Vpl011Effects vpl011_read(Vpl011State& s, MmioAccess& a);

/// Queues one input byte in the receive FIFO; `ok` is false (byte dropped,
/// counted) when the FIFO is full. Caller holds s.lock.
Vpl011Effects vpl011_receive(Vpl011State& s, char c);

/// Prints a pending partial line (on focus changes and domain shutdown).
/// Caller holds s.lock.
void vpl011_flush(Vpl011State& s, const Vpl011Output& out);

/// UARTFR as the guest reads it now.
uint32_t vpl011_flags(const Vpl011State& s);

// ---- domain glue (image only: vpl011_device.cpp)

/// Gives domain `d` its vPL011: resets the state, registers the MMIO region
/// [0x22000000, +4 KiB) in d.mmio and offers the domain to the console mux.
/// false when the region cannot be added (the domain build should fail).
bool vpl011_init(Domain& d);

/// Takes `d` out of the console mux and prints any partial output line. Called
/// when the domain is destroyed, before its memory is released.
void vpl011_release(Domain& d);

/// Console input for `d` (the console mux calls this): queue the byte and
/// signal the interrupt. false when dropped (FIFO full).
bool vpl011_input(Domain& d, char c);

/// Free bytes in d's receive FIFO (the console mux stops taking input from the
/// UART while the focused domain has no room, rather than dropping it).
uint32_t vpl011_rx_room(Domain& d);

}  // namespace keel
