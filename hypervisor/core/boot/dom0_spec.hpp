// SPDX-License-Identifier: MIT
//
// core/boot/dom0_spec.hpp
// Owns dom0's configuration as Xen 4.17 reads it (docs: xen-dom0-abi.md §1.1,
// §1.2): the kernel and initrd modules (the /chosen children compatible with
// "multiboot,module" or the legacy names that are not under a "xen,domain"
// node, kind by compatible then by order; /chosen/linux,initrd-start/-end),
// dom0's command line by Xen's priority, the Image header check, the module
// ranges against host RAM and what keel uses, and keel's command-line options
// dom0_mem=, dom0_max_vcpus=, dom0_vcpus_pin. Pure and defensive: the tree and
// the command line are untrusted; every problem is one line in the
// diagnostics and a dom0 with an error is not built (keel and the dom0less
// domUs carry on; Xen would panic).
#pragma once
#include <cstdint>

#include "core/boot/dom0less.hpp"
#include "lib/cstr.hpp"

namespace keel {

// Xen 4.17 on Arm: without dom0_mem= dom0 gets 512 MiB ("PLEASE SPECIFY dom0_mem").
inline constexpr uint64_t kDom0DefaultMemBytes = uint64_t{512} << 20;

// What the command line and the machine say about dom0 (BootOptions, CPUs).
struct Dom0Options {
    StrRef dom0_mem;            // dom0_mem= text (empty data: absent)
    StrRef dom0_max_vcpus;      // dom0_max_vcpus= text
    bool vcpus_pin = false;     // dom0_vcpus_pin
    uint32_t online_cpus = 1;   // physical CPUs keel runs (Xen: cpupool 0)
    uint32_t max_vcpus = 8;     // keel's per-domain vCPU cap
};

enum class Dom0Config : uint8_t {
    None,     // no dom0 kernel module: dom0less only (or nothing), as before
    Valid,    // build dom0 from the spec
    Invalid,  // a dom0 kernel is given but something is wrong (errors in the diagnostics)
};

struct Dom0Spec {
    DomainModule kernel;
    DomainModule ramdisk;  // node = /chosen for linux,initrd-start/-end
    const char* bootargs = nullptr;       // dom0's command line (nullptr: none)
    const char* bootargs_source = "none";  // "kernel module", "xen,dom0-bootargs", "bootargs"
    Arm64ImageInfo image;                  // valid when image_checked
    bool image_checked = false;
    uint64_t memory_bytes = kDom0DefaultMemBytes;
    bool memory_default = true;            // dom0_mem= absent
    uint32_t vcpus = 1;
    bool vcpus_pinned = false;             // vCPU i only on physical CPU i
};

/// Parses a Xen size ("768M", "1G", "524288" = KiB, "0x100000K"; suffixes
/// T/G/M/K/B in either case, no suffix means KiB: parse_size_and_unit()).
/// Errno::Inval for anything else, Errno::Overflow beyond 64 bits. With
/// `rest`, a ',' after the size ends it and the rest (from the ',') goes there.
Result<uint64_t> parse_xen_size(StrRef text, StrRef* rest = nullptr);

/// Reads dom0's configuration. Errors and notes go to `diag` with the prefix
/// "dom0: "; lines that are only notes do not make it Invalid.
Dom0Config parse_dom0(const Fdt& fdt, const BootInfo& boot, const Dom0lessLimits& limits,
                      const Dom0Options& opts, Dom0Spec& out, Dom0lessDiagnostics& diag);

}  // namespace keel
