// SPDX-License-Identifier: MIT
//
// core/boot/dom0less.hpp
// Owns the dom0less configuration read from the host device tree: every
// /chosen child compatible with "xen,domain" becomes a DomainSpec, with Xen's
// own binding (xen docs/misc/arm/device-tree/booting.txt, "Creating Multiple
// Domains directly from Xen"). Pure and defensive: the tree is untrusted input,
// a bad domain node yields error lines naming the domain and the property and
// is skipped, and the other domains are still parsed. Building the domains from
// the specs is someone else's job.
//
// Not yet (later issues): static event channels ("xen,evtchn" children), static
// shared memory ("xen,domain-shared-memory-v1" children), static memory and
// direct-map, cpupools. They are recorded or noted, never silently dropped;
// DomainSpec::node lets later code walk the domain node for them.
#pragma once
#include <cstddef>
#include <cstdint>

#include "core/boot/arm64_image.hpp"
#include "core/boot/dom0less_links.hpp"
#include "core/boot/boot_info.hpp"
#include "core/boot/guest_layout.hpp"
#include "lib/addr.hpp"
#include "lib/fmt.hpp"

namespace keel {

class Fdt;

inline constexpr size_t kMaxDom0lessDomains = 16;

// xen,enhanced (booting.txt; Xen 4.17 construct_domU()): absent → Disabled;
// "enabled", an empty value or a value that is not a string → Enabled;
// "no-xenstore" → NoXenstore; any other string ("disabled") → Disabled.
enum class XenEnhanced : uint8_t { Disabled, Enabled, NoXenstore };
const char* xen_enhanced_name(XenEnhanced e);

struct DomainModule {
    PhysRange range;                 // meaningful when present()
    const char* bootargs = nullptr;  // the module node's "bootargs", points into the DTB
    int node = -1;                   // DT node offset of the module
    bool present() const { return node >= 0; }
};

inline constexpr int32_t kSveHostMax = -1;  // "sve" without a value

struct DomainSpec {
    const char* name = "";  // the node name ("domU1"), points into the DTB
    int node = -1;          // DT node offset of the xen,domain node
    uint16_t domid = 0;     // 1.. in DT order among all xen,domain nodes (Xen's max_init_domid)
    uint64_t memory_kib = 0;
    uint32_t vcpus = 0;
    bool vpl011 = false;
    XenEnhanced enhanced = XenEnhanced::Disabled;
    int32_t sve_bits = 0;  // "sve": vector length in bits, 0 none, kSveHostMax the host's largest

    DomainModule kernel;             // multiboot,kernel / xen,linux-zimage / first plain module
    DomainModule ramdisk;            // multiboot,ramdisk / xen,linux-initrd / second plain module
    DomainModule device_tree;        // multiboot,device-tree partial DT: recorded, not used yet
    const char* bootargs = nullptr;  // the kernel module's bootargs (nullptr when none)

    Arm64ImageInfo image;        // valid when image_checked
    bool image_checked = false;  // false when no module reader was given

    // Recorded for later issues; keel does not act on them yet.
    uint32_t nr_spis = 0;          // "nr_spis", 0 when absent
    uint32_t p2m_mem_mb = 0;       // "xen,domain-p2m-mem-mb", 0 when absent
    uint32_t cpupool_phandle = 0;  // "domain-cpupool", 0 when absent
    bool direct_map = false;       // "direct-map"
    bool static_mem = false;       // "xen,static-mem" present
    uint32_t evtchn_nodes = 0;     // children compatible "xen,evtchn-v1"/"xen,evtchn"
    uint32_t shm_nodes = 0;        // children compatible "xen,domain-shared-memory-v1"

    // Links to other domains (core/boot/dom0less_links.hpp), made once all exist.
    StaticEvtchnSpec evtchn[kMaxStaticEvtchns];
    uint32_t evtchn_count = 0;
    StaticShmSpec shm[kMaxStaticShms];
    uint32_t shm_count = 0;

    uint64_t memory_bytes() const { return memory_kib * 1024; }
};

// A range of host memory no boot module may overlap (keel's image, its heap,
// the DTB...), with a name for the error line.
struct ForbiddenRange {
    PhysRange range;
    const char* what = "memory keel uses";
};

// Reads `len` bytes of host physical memory at `at` into `dst`; false if it cannot.
using ModuleReader = bool (*)(void* ctx, PhysAddr at, void* dst, size_t len);

struct Dom0lessLimits {
    uint32_t max_vcpus = kGuestMaxVcpus;  // a further cap; never above kGuestMaxVcpus
    uint64_t host_ram_bytes = 0;          // 0: the sum of BootInfo::memory
    const ForbiddenRange* forbidden = nullptr;
    size_t forbidden_count = 0;
    // When set, the first 64 bytes of each kernel module are read and checked
    // with check_arm64_image(); when null the check is left to the caller.
    ModuleReader read_module = nullptr;
    void* reader_ctx = nullptr;
};

// Error and note lines, formatted ("dom0less: domU1: memory: missing").
class Dom0lessDiagnostics {
public:
    static constexpr size_t kMaxLines = 48;
    static constexpr size_t kLineLen = 160;

    size_t count() const { return count_; }
    const char* line(size_t i) const { return i < count_ ? lines_[i] : ""; }
    bool is_error(size_t i) const { return i < count_ && error_[i]; }
    size_t errors() const { return errors_; }    // including dropped ones
    size_t dropped() const { return dropped_; }  // lines that did not fit
    size_t domains_seen() const { return seen_; }
    size_t domains_skipped() const { return skipped_; }
    bool contains(const char* text) const;  // some line contains `text`

    template <typename... Args> void error(const char* fmt, const Args&... args);
    template <typename... Args> void note(const char* fmt, const Args&... args);

    // Used by the parser.
    void count_domain(bool skipped)
    {
        ++seen_;
        if (skipped) ++skipped_;
    }

private:
    char* next_line(bool is_error);

    char lines_[kMaxLines][kLineLen] = {};
    bool error_[kMaxLines] = {};
    size_t count_ = 0;
    size_t errors_ = 0;
    size_t dropped_ = 0;
    size_t seen_ = 0;
    size_t skipped_ = 0;
};

/// Whether `r` lies wholly in the host RAM banks of `boot` (banks may be adjacent).
bool covered_by_ram(const BootInfo& boot, const PhysRange& r);

/// Whether the tree also describes a dom0: a kernel module directly under
/// /chosen (Xen 4.17 setup.c is_dom0less_mode(): only the module counts, not
/// xen,dom0-bootargs).
bool dom0less_has_dom0(const Fdt& fdt);

/// Parses every /chosen child compatible with "xen,domain" into out[0..max),
/// in DT order; returns how many valid domains were stored. Invalid domains get
/// error lines in `diag` and are left out. `boot` gives host RAM.
size_t parse_dom0less(const Fdt& fdt, const BootInfo& boot, const Dom0lessLimits& limits,
                      DomainSpec* out, size_t max, Dom0lessDiagnostics& diag);

template <typename... Args> void Dom0lessDiagnostics::error(const char* fmt, const Args&... args)
{
    ++errors_;
    char* at = next_line(true);
    if (at == nullptr) return;
    FmtBuffer b{at, kLineLen};
    format_to(b, fmt, args...);
}

template <typename... Args> void Dom0lessDiagnostics::note(const char* fmt, const Args&... args)
{
    char* at = next_line(false);
    if (at == nullptr) return;
    FmtBuffer b{at, kLineLen};
    format_to(b, fmt, args...);
}

}  // namespace keel
