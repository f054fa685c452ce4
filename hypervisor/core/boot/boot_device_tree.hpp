// SPDX-License-Identifier: MIT
//
// core/boot/boot_device_tree.hpp
// Owns boot step 1 on the boot CPU: from the DTB address the loader left in x0
// to a working console, boot_info() and boot_options(). A tree keel cannot boot
// from stops here with one "keel: FATAL: device tree: ..." line. Target only
// (it prints and parks); the parsing itself is pure (dt_boot_info, cmdline).
#pragma once
#include <cstdint>

namespace keel {

/// Runs with the MMU off. Returns only when boot_info() and boot_options() are filled.
void boot_device_tree(uint64_t dtb_pa, uint64_t load_pa);

}  // namespace keel
