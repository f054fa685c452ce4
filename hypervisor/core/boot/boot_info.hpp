// SPDX-License-Identifier: MIT
//
// core/boot/boot_info.hpp
// Owns BootInfo: everything keel learns about the machine from the device tree
// at boot (memory, reserved ranges, CPUs, GICv3, timer, PSCI, console UART,
// command line, boot modules). Pure data; filled by dt_boot_info.cpp and read by
// every bring-up step. Strings point into the DTB, which stays reserved.
#pragma once
#include <cstddef>
#include <cstdint>

#include "build_config.hpp"
#include "lib/addr.hpp"

namespace keel {

inline constexpr size_t kMaxMemoryBanks = 8;
inline constexpr size_t kMaxReservedRanges = 16;
inline constexpr size_t kMaxRedistRegions = 4;
inline constexpr size_t kMaxBootModules = 32;
inline constexpr size_t kMaxDtCpus = 64;  // CPUs the DT may list; keel brings up kMaxCpus

enum class PsciConduit : uint8_t { None, Hvc, Smc };

struct GicInfo {
    uint32_t version = 0;  // 3 for "arm,gic-v3"
    PhysRange dist;
    PhysRange redist[kMaxRedistRegions];
    size_t redist_count = 0;
    uint64_t redist_stride = 0;  // "redistributor-stride", 0 when absent
    int node = -1;               // DT node offset of the interrupt controller
    uint32_t phandle = 0;
};

// Architected timer interrupts as GIC INTIDs (PPI n is INTID 16 + n).
struct TimerInfo {
    uint32_t secure_phys_intid = 0;  // DT interrupts[0]
    uint32_t phys_intid = 0;         // [1] non-secure EL1 physical timer
    uint32_t virt_intid = 0;         // [2] EL1 virtual timer
    uint32_t hyp_intid = 0;          // [3] EL2 physical timer: keel's own
    uint32_t frequency_hz = 0;       // "clock-frequency" when present, else 0 (use CNTFRQ_EL0)
};

enum class ModuleKind : uint8_t { Kernel, Ramdisk, Xsm, DeviceTree, Other };

// One "multiboot,module" node under /chosen or under a /chosen domain node.
struct BootModule {
    ModuleKind kind = ModuleKind::Other;
    PhysRange range;
    const char* bootargs = nullptr;  // "bootargs" of the module node, if any
    int node = -1;                   // DT node offset of the module
    int parent = -1;                 // node offset of its parent (/chosen or a xen,domain node)
};

struct BootInfo {
    PhysRange dtb;  // the blob itself (reserved)

    PhysRange memory[kMaxMemoryBanks];  // sorted by base, non-overlapping (checked)
    size_t memory_count = 0;

    PhysRange reserved[kMaxReservedRanges];  // /memreserve/ entries and /reserved-memory children
    size_t reserved_count = 0;

    uint64_t cpu_mpidr[kMaxDtCpus] = {};  // from /cpus/cpu@N "reg", in DT order (boot CPU first if listed so)
    size_t cpu_count = 0;

    GicInfo gic;
    TimerInfo timer;
    PsciConduit psci = PsciConduit::None;

    PhysRange uart;             // console UART from /chosen/stdout-path (size 0 when absent)
    const char* uart_path = nullptr;
    uint32_t uart_intid = 0;    // its interrupt as a GIC INTID (0 when the DT gives none)

    const char* cmdline = "";  // /chosen/xen,xen-bootargs, else /chosen/bootargs, else ""
    const char* cmdline_source = "none";  // which property it came from

    BootModule modules[kMaxBootModules];
    size_t module_count = 0;
};

}  // namespace keel
