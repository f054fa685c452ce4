// SPDX-License-Identifier: MIT
//
// core/boot/guest_dt.hpp
// Owns the device tree keel hands a dom0less domU (GICv3 host). It reproduces
// what Xen 4.17 writes for such a domain (xen/arch/arm/domain_build.c,
// prepare_dtb_domU() and the make_*_node() helpers it calls), which differs
// from the DT libxl builds for an `xl create` guest: no model/compatible/
// interrupt-parent on the root, a single memory node listing both banks, CPU
// compatible copied from the host, the vUART node named sbsa-uart@22000000,
// and /hypervisor only with xen,enhanced. Pure: writes into a caller's buffer.
// Static shared memory appears as Xen 4.17 writes it: /reserved-memory/
// xen-shmem@<gpa> (compatible "xen,shared-memory-v1", reg, xen,id).
// Not yet: the passthrough partial DT, GICv2.
#pragma once
#include <cstddef>
#include <cstdint>

#include "core/boot/guest_layout.hpp"
#include "lib/result.hpp"

namespace keel {

class FdtWriter;

// Enough for 128 vCPUs with every optional node (about 14 KiB in practice).
inline constexpr size_t kGuestDtMaxSize = 64 * 1024;
inline constexpr size_t kMaxExtendedRegions = kGuestRamBanks;

// One static shared-memory region as the guest sees it.
struct GuestShmRegion {
    GuestRange range;
    const char* id = "";
};
inline constexpr size_t kGuestDtMaxShm = 4;

struct GuestDtParams {
    uint32_t vcpus = 1;                  // 1..kGuestMaxVcpus
    GuestRamBanks ram;                   // from split_guest_ram()
    const char* bootargs = nullptr;      // /chosen/bootargs; omitted when null or empty (as Xen)
    GuestRange initrd;                   // /chosen/linux,initrd-start/-end; omitted when size is 0
    bool vpl011 = false;                 // /sbsa-uart@22000000
    bool xen_enhanced = false;           // /hypervisor (xen,enhanced "enabled" or "no-xenstore")
    uint32_t timer_clock_frequency = 0;  // host /timer "clock-frequency"; 0: omitted
    // /cpus/cpu@N "compatible": Xen copies the host's first CPU node's property
    // verbatim (QEMU -cpu cortex-a57 gives "arm,cortex-a57"). Null: "arm,armv8",
    // which is what libxl writes. Must be a NUL-terminated string list.
    const void* cpu_compatible = nullptr;
    size_t cpu_compatible_len = 0;
    uint32_t cpu_clock_frequency = 0;  // host cpu node "clock-frequency"; 0: omitted
    uint32_t xen_major = 4;            // "xen,xen-<major>.<minor>"
    uint32_t xen_minor = 17;
    // Host stage-2 input size (p2m_ipa_bits). Non-zero adds Xen's extended
    // regions to /hypervisor "reg"; 0 writes the grant-table window only.
    uint32_t ipa_bits = 0;
    // Also write libxl's root identity (model "XENVM-4.17", compatible
    // "xen,xenvm-4.17", "xen,xenvm", interrupt-parent), which Xen's dom0less
    // does not write.
    bool xenvm_root_identity = false;
    GuestShmRegion shm[kGuestDtMaxShm];  // /reserved-memory/xen-shmem@..., shm_count of them
    size_t shm_count = 0;
};

/// Writes Xen's /psci node (make_psci_node(): PSCI 1.0/0.2/0.1 over HVC, the 0.1
/// cpu_off/cpu_on ids), the same for every domain, dom0 included.
Result<void> write_guest_psci_node(FdtWriter& w);

/// Writes the DTB; returns its total size. Errno::Inval for bad parameters,
/// Errno::NoSpc when `capacity` is too small (nothing is written past it).
Result<size_t> build_guest_dt(const GuestDtParams& params, void* buf, size_t capacity);

/// Xen 4.17 find_domU_holes(): per guest RAM bank, the part of the bank's
/// window above the RAM given (start rounded up to 2 MiB, end capped at
/// 2^ipa_bits), kept when at least 64 MiB. Returns how many were stored.
size_t guest_extended_regions(const GuestRamBanks& ram, uint32_t ipa_bits, GuestRange* out,
                              size_t max);

}  // namespace keel
