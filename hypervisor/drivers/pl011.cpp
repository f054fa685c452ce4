// SPDX-License-Identifier: MIT
//
// drivers/pl011.cpp
// Owns the PL011 transmit path (wait for room in the FIFO, write the byte) and
// the receive side the console mux uses (flags, data, interrupt mask).
#include "drivers/pl011.hpp"

#include "lib/bits.hpp"

namespace keel {
namespace {
// PrimeCell UART (PL011) TRM, register summary.
using Uartdr = Reg<uint32_t, 0x000>;
using Uartfr = Reg<uint32_t, 0x018>;
using Uartimsc = Reg<uint32_t, 0x038>;
using Rxfe = Bit<4>;  // UARTFR.RXFE: receive FIFO empty
using Txff = Bit<5>;  // UARTFR.TXFF: transmit FIFO full
constexpr uint32_t kRxim = 1u << 4;  // UARTIMSC.RXIM: receive interrupt
constexpr uint32_t kRtim = 1u << 6;  // UARTIMSC.RTIM: receive timeout interrupt
}  // namespace

void Pl011::put(char c) const
{
    if (!present()) return;
    while (Txff::get(regs_.read<Uartfr>())) {
    }
    regs_.write<Uartdr>(static_cast<uint8_t>(c));
}

void Pl011::write(const char* s) const
{
    for (; *s != '\0'; ++s) {
        if (*s == '\n') put('\r');
        put(*s);
    }
}

void Pl011::write_bytes(const char* s, size_t n) const
{
    for (size_t i = 0; i < n; ++i) put(s[i]);
}

bool Pl011::rx_ready() const { return present() && !Rxfe::get(regs_.read<Uartfr>()); }

char Pl011::get() const { return static_cast<char>(regs_.read<Uartdr>() & 0xff); }

void Pl011::enable_rx_interrupts() const
{
    if (!present()) return;
    // No UARTICR write: a receive interrupt raised for bytes still in the FIFO
    // must stay raised (reading them clears it), or that input would be stuck.
    regs_.write<Uartimsc>(regs_.read<Uartimsc>() | kRxim | kRtim);
}

void Pl011::disable_rx_interrupts() const
{
    if (!present()) return;
    regs_.write<Uartimsc>(regs_.read<Uartimsc>() & ~(kRxim | kRtim));
}

}  // namespace keel
