// SPDX-License-Identifier: MIT
//
// core/console/console_rx_ring.hpp
// Owns ConsoleRxRing: the console input waiting for dom0's CONSOLEIO_read, as
// Xen's serial_rx_ring (xen/drivers/char/console.c: 128 bytes, a byte that
// finds it full is dropped). Pure; the caller holds the lock that guards it
// (console_input.cpp).
#pragma once
#include <cstddef>
#include <cstdint>

namespace keel {

class ConsoleRxRing {
public:
    static constexpr size_t kSize = 128;  // Xen's SERIAL_RX_SIZE

    /// Appends `c`; false (and `c` dropped) when the ring is full.
    bool push(char c)
    {
        if (prod_ - cons_ == kSize) return false;
        buf_[prod_++ % kSize] = c;
        return true;
    }
    /// Moves up to `max` of the oldest bytes to `out`; how many.
    size_t take(char* out, size_t max)
    {
        size_t n = 0;
        while (n < max && cons_ != prod_) out[n++] = buf_[cons_++ % kSize];
        return n;
    }
    size_t used() const { return static_cast<size_t>(prod_ - cons_); }
    size_t room() const { return kSize - used(); }

private:
    char buf_[kSize] = {};
    uint32_t prod_ = 0;  // free-running; the difference is what is queued
    uint32_t cons_ = 0;
};

}  // namespace keel
