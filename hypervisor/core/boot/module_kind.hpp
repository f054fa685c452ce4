// SPDX-License-Identifier: MIT
//
// core/boot/module_kind.hpp
// Owns what kind of boot module a /chosen node is, by Xen 4.17's rules
// (xen/arch/arm/bootfdt.c process_multiboot_node()): a specific compatible
// decides ("multiboot,kernel", "multiboot,ramdisk", ...); a node that is only
// "multiboot,module" (or the older "xen,multiboot-module") is Plain and its
// kind is guessed from its position among the plain ones (first the kernel,
// second the ramdisk). Shared by the dom0less and the dom0 parsers. Pure.
#pragma once
#include <cstdint>

namespace keel {

class Fdt;

enum class ModKind : uint8_t { None, Kernel, Ramdisk, DeviceTree, Xsm, Plain };

/// The kind `node`'s compatible says; None when it is no boot module.
ModKind classify_module(const Fdt& fdt, int node);

/// A Plain module's kind by its position (`plain_seen` counts the plain ones
/// so far and is advanced); any other kind is returned as it is.
ModKind guess_module_kind(ModKind k, uint32_t& plain_seen);

const char* module_kind_name(ModKind k);

}  // namespace keel
