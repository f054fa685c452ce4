// SPDX-License-Identifier: MIT
//
// drivers/pl011.hpp
// Owns keel's own serial console: an Arm PL011 UART (PrimeCell UART TRM, DDI 0183)
// used for output only. Found from /chosen/stdout-path by the boot code.
#pragma once
#include "arch/arm64/hw/mmio.hpp"

namespace keel {

class Pl011 {
public:
    constexpr Pl011() = default;
    explicit Pl011(VirtAddr base) : regs_{base} {}
    bool present() const { return regs_.valid(); }
    void put(char c) const;
    void write(const char* s) const;

private:
    MmioWindow regs_;
};

}  // namespace keel
