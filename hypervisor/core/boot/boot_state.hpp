// SPDX-License-Identifier: MIT
//
// core/boot/boot_state.hpp
// Owns where the results of boot step 1 live: the BootInfo parsed from the
// device tree and the BootOptions parsed from the command line, in static
// storage so every later bring-up step (memory, GIC, SMP, domains) reads the
// same copy. Written once by the boot CPU before any other CPU runs; read-only after.
#pragma once
#include "core/boot/boot_info.hpp"
#include "core/boot/cmdline.hpp"

namespace keel {

BootInfo& boot_info();
BootOptions& boot_options();

}  // namespace keel
