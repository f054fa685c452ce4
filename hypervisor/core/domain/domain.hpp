// SPDX-License-Identifier: MIT
//
// core/domain/domain.hpp
// Owns Domain: what one guest owns — its identity (domid, name), its vCPUs, its
// guest-physical memory (P2m: stage-2 table + the frames behind it), its emulated
// devices (vGIC distributor, vPL011, the MMIO region table that routes stage-2
// data aborts to them), its virtual counter offset and its lifecycle state.
// Sub-states are owned by the parts named in their headers; this file only
// puts them together. Domains live in the heap pool (core/domain/domain_table).
#pragma once
#include <atomic>
#include <cstddef>
#include <cstdint>

#include "arch/arm64/hw/spinlock.hpp"
#include "arch/arm64/vgic/vgic_state.hpp"
#include "core/console/vpl011_state.hpp"
#include "core/domain/mmio.hpp"
#include "core/hypercall/hc_domain.hpp"
#include "core/memory/p2m.hpp"

namespace keel {

using DomId = uint16_t;
inline constexpr DomId kDomIdInvalid = 0x7FF4;  // xen/include/public/xen.h DOMID_INVALID
inline constexpr size_t kMaxVcpusPerDomain = 8;  // keel's cap today (Xen allows 128 on GICv3)
inline constexpr size_t kDomainNameMax = 32;

struct Vcpu;
struct DomainEvents;  // core/event/: event-channel ports, 2-level/FIFO state
struct DomainGrants;  // core/grant/: grant table, maptrack

namespace xen {
struct SharedInfo;
}

enum class DomainState : uint8_t {
    Building,      // being constructed, no vCPU runs yet
    Running,       // at least one vCPU may run
    ShuttingDown,  // SYSTEM_OFF / shutdown / crash requested; vCPUs being stopped
    Dead,          // every vCPU stopped; resources being (or already) released
};

// Why a domain ended (xen/include/public/sched.h SHUTDOWN_* values).
enum class ShutdownReason : uint8_t { Poweroff = 0, Reboot = 1, Suspend = 2, Crash = 3, Watchdog = 4 };

struct Domain {
    DomId id = kDomIdInvalid;
    char name[kDomainNameMax] = {};
    std::atomic<DomainState> state{DomainState::Building};
    ShutdownReason shutdown_reason = ShutdownReason::Poweroff;

    Vcpu* vcpus[kMaxVcpusPerDomain] = {};
    uint32_t vcpu_count = 0;

    P2m p2m;                 // core/memory/p2m.hpp: stage-2 + RAM frames + VMID
    MmioRegions mmio;        // core/domain/mmio.hpp: emulated device windows
    VgicDomainState vgic;    // arch/arm64/vgic/vgic_state.hpp: distributor state
    Vpl011State vpl011;      // core/console/vpl011_state.hpp: emulated SBSA UART
    bool has_vpl011 = false;

    // [dom0] Xen's hardware and control domain (domain 0 when a dom0 kernel is
    // given): may use domctl/sysctl, map other domains' memory, bind global
    // VIRQs. Set by the builder before the domain starts; never changes.
    bool privileged = false;
    bool hardware = false;         // Xen's hardware domain (dom0): its end is the machine's
    bool direct_map = false;       // guest physical == host physical for its RAM (Xen's CDF_directmap)
    uint8_t evtchn_ppi = 31;       // the event-channel upcall PPI (domU: GUEST_EVTCHN_PPI; dom0: lowest free)

    // The Xen guest ABI (docs/xen-abi-design.md); each part owns what it points to.
    DomainEvents* events = nullptr;      // core/event/
    DomainGrants* grants = nullptr;      // core/grant/
    SpinLock grant_lock;                 // core/grant/: protects `grants` (outlives it)
    xen::SharedInfo* shared_info = nullptr;  // core/memory/memory_op: keel's page, mapped in keel
    Mfn shared_info_mfn{};                   // ... and its frame (guest-visible via add_to_physmap)
    std::atomic<uint32_t> refs{0};       // core/domain/domain_ref: counted references from elsewhere
    HypercallDomainState hc;             // core/hypercall/: HVM params, console line, runstates

    uint64_t cntvoff = 0;    // CNTVOFF_EL2 for every vCPU: guest virtual time starts at 0
    uint16_t sve_vl_bits = 0;  // SVE vector length its guests get (Xen's "sve"); 0: SVE hidden
    uint64_t frames_before_create = 0;  // domain-pool free frames before creation (lifecycle check)
    uint64_t frames_used = 0;              // domain-pool frames held when it started (lifecycle)
    std::atomic<uint32_t> live_vcpus{0};   // vCPUs not yet Dead; whoever takes the last destroys
    std::atomic<uint64_t> logged_ec{0};    // exception classes logged as unhandled (bit = EC)
    std::atomic<uint32_t> logged_misc{0};  // other log-once events (arch/arm64/vcpu/trap_log.hpp)

    SpinLock lock;           // protects lifecycle transitions and vcpu bookkeeping
};

}  // namespace keel
