// SPDX-License-Identifier: MIT
//
// core/boot/boot_device_tree.hpp
// Owns boot step 1 on the boot CPU: from the DTB address the loader left in x0
// to a working console, boot_info() and boot_options(). A tree keel cannot boot
// from stops here with one "keel: FATAL: device tree: ..." line. Target only
// (it prints and parks); the parsing itself is pure (dt_boot_info, cmdline).
#pragma once
#include <cstdint>

#include "lib/addr.hpp"

namespace keel {

/// Runs with the MMU off. Returns only when boot_info() and boot_options() are filled,
/// with the physical range of the console UART keel now prints on (the DT's, or the
/// fallback PL011 when the tree names none), which must stay mapped.
PhysRange boot_device_tree(uint64_t dtb_pa, uint64_t load_pa);

}  // namespace keel
