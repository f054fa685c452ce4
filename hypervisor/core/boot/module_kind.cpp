// SPDX-License-Identifier: MIT
//
// core/boot/module_kind.cpp
// Owns the boot-module classification declared in module_kind.hpp.
#include "core/boot/module_kind.hpp"

#include "lib/fdt.hpp"

namespace keel {

ModKind classify_module(const Fdt& fdt, int node)
{
    if (fdt.is_compatible(node, "multiboot,kernel") || fdt.is_compatible(node, "xen,linux-zimage"))
        return ModKind::Kernel;
    if (fdt.is_compatible(node, "multiboot,ramdisk") || fdt.is_compatible(node, "xen,linux-initrd"))
        return ModKind::Ramdisk;
    if (fdt.is_compatible(node, "multiboot,device-tree")) return ModKind::DeviceTree;
    if (fdt.is_compatible(node, "xen,xsm-policy")) return ModKind::Xsm;
    if (fdt.is_compatible(node, "multiboot,module") ||
        fdt.is_compatible(node, "xen,multiboot-module"))
        return ModKind::Plain;
    return ModKind::None;
}

ModKind guess_module_kind(ModKind k, uint32_t& plain_seen)
{
    if (k != ModKind::Plain) return k;
    switch (plain_seen++) {
    case 0: return ModKind::Kernel;
    case 1: return ModKind::Ramdisk;
    default: return ModKind::Plain;
    }
}

const char* module_kind_name(ModKind k)
{
    switch (k) {
    case ModKind::Kernel: return "kernel";
    case ModKind::Ramdisk: return "ramdisk";
    case ModKind::DeviceTree: return "device-tree";
    default: return "module";
    }
}

}  // namespace keel
