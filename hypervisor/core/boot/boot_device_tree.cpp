// SPDX-License-Identifier: MIT
//
// core/boot/boot_device_tree.cpp
// Owns the order of boot step 1: validate the DTB in place (bounded by Linux's
// 2 MiB rule), attach the console the tree names (or the QEMU-virt PL011 when
// it names none, saying so), parse BootInfo and the command line, and print
// what was found. With the MMU off, physical addresses are used as they are.
#include "core/boot/boot_device_tree.hpp"

#include "build_config.hpp"
#include "core/boot/boot_state.hpp"
#include "core/boot/dt_boot_info.hpp"
#include "core/console/log.hpp"
#include "drivers/pl011.hpp"
#include "lib/fdt.hpp"

extern "C" [[noreturn]] void park();

namespace keel {
namespace {

// Linux Documentation/arch/arm64/booting.rst, "Setup the device tree": the DTB
// is 8-byte aligned and at most 2 MiB, so keel never reads more than that.
constexpr uint64_t kMaxDtbSize = uint64_t{2} << 20;
constexpr uint64_t kDtbAlign = 8;
// QEMU virt's PL011 (hw/arm/virt.c, VIRT_UART): only when the tree names no console.
constexpr uint64_t kFallbackUart = 0x09000000;

[[noreturn]] void stop(const DtDiagnostic& diag)
{
    log("keel: FATAL: {}\n", diag.message());
    log("keel: boot stopped\n");
    park();
}

// The header's totalsize, read a byte at a time (MMU off: no unaligned loads).
uint64_t header_totalsize(const uint8_t* blob)
{
    return (uint64_t{blob[4]} << 24) | (uint64_t{blob[5]} << 16) | (uint64_t{blob[6]} << 8) |
           blob[7];
}

template <typename... Args>
[[noreturn]] void stop_with(const char* fmt, const Args&... args)
{
    DtDiagnostic diag;
    FmtBuffer b{diag.text, sizeof diag.text};
    format_to(b, fmt, args...);
    stop(diag);
}

}  // namespace

PhysRange boot_device_tree(uint64_t dtb_pa, uint64_t load_pa)
{
    // Nothing is printed before the tree is known good or known bad: on other
    // boards 0x09000000 need not be a UART at all.
    const Pl011 fallback{VirtAddr{kFallbackUart}};
    if (dtb_pa == 0) {
        console::attach(fallback);
        stop_with("device tree: none (x0 = 0 at entry)");
    }
    if (dtb_pa % kDtbAlign != 0) {
        console::attach(fallback);
        stop_with("device tree: DTB address {:#x} is not 8-byte aligned", dtb_pa);
    }
    const auto* blob = reinterpret_cast<const uint8_t*>(dtb_pa);
    // Read no further than the header claims, and never past 2 MiB; the
    // 40-byte header itself is always readable for check() to judge.
    uint64_t available = header_totalsize(blob);
    if (available > kMaxDtbSize) available = kMaxDtbSize;
    if (available < Fdt::kHeaderSize) available = Fdt::kHeaderSize;

    DtDiagnostic diag;
    if (!check_device_tree(blob, available, diag).ok()) {
        console::attach(fallback);
        stop(diag);
    }
    const Fdt fdt{blob, available};

    PhysRange uart;
    const char* uart_path = nullptr;
    DtDiagnostic why;
    const bool dt_console = find_stdout_uart(fdt, uart, uart_path, why);
    console::attach(dt_console ? Pl011{VirtAddr{uart.base.raw()}} : fallback);
    log("keel {}: loaded at {}, DTB at {:#x} ({} bytes)\n", config::kVersion, PhysAddr{load_pa},
        dtb_pa, fdt.total_size());
    if (!dt_console)
        log("keel: {}; using the fallback console PL011 at {:#x}\n", why.message(), kFallbackUart);

    BootInfo& info = boot_info();
    if (!parse_boot_info(fdt, PhysAddr{dtb_pa}, info, diag).ok()) stop(diag);
    for (size_t line = 0;; ++line) {
        char storage[kLogLineMax - 8];
        FmtBuffer text{storage, sizeof storage};
        if (!format_boot_info_line(info, line, text)) break;
        log("keel: {}\n", text.c_str());
    }

    UnknownOptions unknown;
    parse_cmdline(info.cmdline, boot_options(), unknown);
    if (!unknown.empty()) {
        char storage[kLogLineMax - 2];
        FmtBuffer text{storage, sizeof storage};
        format_unknown_options(unknown, text);
        log("{}\n", text.c_str());
    }
    return dt_console ? uart : PhysRange{PhysAddr{kFallbackUart}, kPageSize};
}

}  // namespace keel
