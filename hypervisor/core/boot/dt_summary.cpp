// SPDX-License-Identifier: MIT
//
// core/boot/dt_summary.cpp
// Owns the human summary of BootInfo that boot prints after parsing the
// device tree: a few short lines, then one line per boot module.
#include "core/boot/dt_boot_info.hpp"
#include "lib/fmt.hpp"

namespace keel {
namespace {

constexpr size_t kFixedLines = 5;
constexpr size_t kCpusShown = 8;

const char* psci_name(PsciConduit c)
{
    switch (c) {
    case PsciConduit::None: return "none";
    case PsciConduit::Hvc: return "hvc";
    case PsciConduit::Smc: return "smc";
    }
    return "?";
}

const char* module_kind_name(ModuleKind k)
{
    switch (k) {
    case ModuleKind::Kernel: return "kernel";
    case ModuleKind::Ramdisk: return "ramdisk";
    case ModuleKind::Xsm: return "xsm-policy";
    case ModuleKind::DeviceTree: return "device-tree";
    case ModuleKind::Other: return "module";
    }
    return "?";
}

void put_range(FmtBuffer& out, const PhysRange& r)
{
    format_to(out, "[{:#x},{:#x})", r.base.raw(), r.end().raw());
}

}  // namespace

bool format_boot_info_line(const BootInfo& info, size_t index, FmtBuffer& out)
{
    switch (index) {
    case 0: {
        uint64_t total = 0;
        format_to(out, "memory:");
        for (size_t i = 0; i < info.memory_count; ++i) {
            out.put(' ');
            put_range(out, info.memory[i]);
            total += info.memory[i].size;
        }
        format_to(out, " ({} MiB); reserved: {} range(s); dtb ", total >> 20, info.reserved_count);
        put_range(out, info.dtb);
        return true;
    }
    case 1:
        format_to(out, "cpus: {} (MPIDR", info.cpu_count);
        for (size_t i = 0; i < info.cpu_count && i < kCpusShown; ++i)
            format_to(out, " {:#x}", info.cpu_mpidr[i]);
        format_to(out, "{}); GICv{}: GICD {:#x}, GICR", info.cpu_count > kCpusShown ? " ..." : "",
                  info.gic.version, info.gic.dist.base.raw());
        for (size_t i = 0; i < info.gic.redist_count; ++i) {
            out.put(' ');
            put_range(out, info.gic.redist[i]);
        }
        if (info.gic.redist_stride != 0) format_to(out, " stride {:#x}", info.gic.redist_stride);
        return true;
    case 2:
        format_to(out, "timer INTIDs: secure {}, non-secure {}, virtual {}, hyp {}; PSCI: {}",
                  info.timer.secure_phys_intid, info.timer.phys_intid, info.timer.virt_intid,
                  info.timer.hyp_intid, psci_name(info.psci));
        return true;
    case 3:
        if (info.uart.empty())
            format_to(out, "console: no PL011 in the device tree");
        else
            format_to(out, "console: PL011 at {:#x} (stdout-path \"{}\")", info.uart.base.raw(),
                      info.uart_path);
        return true;
    case 4:
        format_to(out, "cmdline ({}): \"{}\"; boot modules: {}", info.cmdline_source, info.cmdline,
                  info.module_count);
        return true;
    default:
        break;
    }
    const size_t m = index - kFixedLines;
    if (m >= info.module_count) return false;
    const BootModule& mod = info.modules[m];
    format_to(out, "module {}: {} ", m, module_kind_name(mod.kind));
    put_range(out, mod.range);
    if (mod.bootargs != nullptr) format_to(out, " bootargs \"{}\"", mod.bootargs);
    return true;
}

}  // namespace keel
