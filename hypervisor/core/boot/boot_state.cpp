// SPDX-License-Identifier: MIT
//
// core/boot/boot_state.cpp
// Owns the one BootInfo and the one BootOptions (constant-initialised, so they
// are valid before any constructor could run and need no .init_array).
#include "core/boot/boot_state.hpp"

namespace keel {
namespace {
constinit BootInfo g_boot_info{};
constinit BootOptions g_boot_options{};
}  // namespace

BootInfo& boot_info() { return g_boot_info; }
BootOptions& boot_options() { return g_boot_options; }

}  // namespace keel
