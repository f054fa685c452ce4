// SPDX-License-Identifier: MIT
//
// include/public/xen/console.hpp
// Owns the HYPERVISOR_console_io part of the Xen guest ABI: CONSOLEIO_* (Xen's
// public xen.h; docs: ../shared/docs/xen-arm-guest-abi.md §2.3). The guest's
// PV console ring (io/console.h) is not here. Freestanding.
#pragma once
#include <cstdint>

namespace keel::xen {

// console_io(cmd, count, buffer): arg1.
enum class ConsoleIo : uint32_t {
    Write = 0,  // count bytes from buffer to the hypervisor's console
    Read = 1,   // up to count bytes of the hypervisor console's input into buffer
};

}  // namespace keel::xen
