// SPDX-License-Identifier: MIT
//
// drivers/pl011.cpp
// Owns the PL011 transmit path: wait for room in the FIFO, write the byte.
#include "drivers/pl011.hpp"

#include "lib/bits.hpp"

namespace keel {
namespace {
// PrimeCell UART (PL011) TRM, register summary.
using Uartdr = Reg<uint32_t, 0x000>;
using Uartfr = Reg<uint32_t, 0x018>;
using Txff = Bit<5>;  // UARTFR.TXFF: transmit FIFO full
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

}  // namespace keel
