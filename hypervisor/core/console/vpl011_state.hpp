// SPDX-License-Identifier: MIT
//
// core/console/vpl011_state.hpp
// Owns the state of one domain's emulated SBSA UART (Xen's "vpl011"): receive
// FIFO, interrupt mask/status, the output line being assembled for the console.
// (Placeholder shape; the console part fills it in.)
#pragma once
#include <cstdint>

namespace keel {

struct Vpl011State {
    char line[160] = {};
    uint32_t line_len = 0;
};

}  // namespace keel
