// SPDX-License-Identifier: MIT
//
// include/public/xen/xen.hpp
// Owns the core of the Xen guest ABI as keel defines it (AArch64): hypercall
// numbers, domain ids, the basic integer types, vcpu_info and shared_info with
// every size and offset asserted (docs: ../shared/docs/xen-arm-guest-abi.md
// §2.1, §2.2, §3.1; values from Xen's public xen.h and arch-arm.h). One
// definition for keel, the test guests and the toolstack: freestanding, no
// keel headers, usable from C++20 on the host and on the target.
#pragma once
#include <cstddef>
#include <cstdint>

namespace keel::xen {

using domid_t = uint16_t;
using xen_pfn_t = uint64_t;    // a guest frame number on ARM
using xen_ulong_t = uint64_t;
using evtchn_port_t = uint32_t;
using grant_ref_t = uint32_t;
using grant_handle_t = uint32_t;

// The immediate of the HVC that makes a hypercall; number in x16, args x0-x4, result x0.
inline constexpr uint32_t kHypercallTag = 0xEA1;

// Hypercall numbers (xen.h __HYPERVISOR_*).
enum class Hypercall : uint64_t {
    PlatformOp = 7,
    MemoryOp = 12,
    Multicall = 13,
    XenVersion = 17,
    ConsoleIo = 18,
    GrantTableOp = 20,
    VmAssist = 21,
    VcpuOp = 24,
    XsmOp = 27,
    SchedOp = 29,
    EventChannelOp = 32,
    PhysdevOp = 33,
    HvmOp = 34,
    Sysctl = 35,
    Domctl = 36,
    ArgoOp = 39,
    DmOp = 41,
    HypfsOp = 42,
};
inline constexpr uint64_t kNrHypercalls = 64;  // numbers 0..63 exist in Xen's table

// Special domain ids (xen.h DOMID_*).
inline constexpr domid_t kDomidFirstReserved = 0x7FF0;
inline constexpr domid_t kDomidSelf = 0x7FF0;
inline constexpr domid_t kDomidIo = 0x7FF1;
inline constexpr domid_t kDomidXen = 0x7FF2;
inline constexpr domid_t kDomidCow = 0x7FF3;
inline constexpr domid_t kDomidInvalid = 0x7FF4;
inline constexpr domid_t kDomidAny = 0x7FF5;
inline constexpr domid_t kDomidIdle = 0x7FFF;

// Xen's errno values (public errno.h; the same numbers as Linux). Hypercalls
// return -value.
enum class XenErrno : int32_t {
    Perm = 1, NoEnt = 2, Srch = 3, Intr = 4, Io = 5, NxIo = 6, TooBig = 7, NoExec = 8, BadF = 9,
    Again = 11, NoMem = 12, Acces = 13, Fault = 14, Busy = 16, Exist = 17, XDev = 18, NoDev = 19,
    Inval = 22, NFile = 23, MFile = 24, NoSpc = 28, RoFs = 30, Range = 34, DeadLk = 35,
    NameTooLong = 36, NoSys = 38, NotEmpty = 39, NoData = 61, Time = 62, Overflow = 75,
    Restart = 85, OpNotSupp = 95, TimedOut = 110,
};

// Virtual IRQs (xen.h VIRQ_*); NR_VIRQS = 24.
enum class Virq : uint32_t {
    Timer = 0, Debug = 1, Console = 2, DomExc = 3, Tbuf = 4, Debugger = 6, Xenoprof = 7,
    ConRing = 8, PcpuState = 9, MemEvent = 10, Argo = 11, Enomem = 12, Xenpmu = 13,
    Arch0 = 16, Arch7 = 23,
};
inline constexpr uint32_t kNrVirqs = 24;

// Event-channel capacities (event_channel.h / xen.h).
inline constexpr uint32_t kEvtchn2lNrChannels = 64 * 64;   // sizeof(xen_ulong_t)^2 * 64 on ARM
inline constexpr uint32_t kEvtchnFifoNrChannels = 1u << 17;

inline constexpr uint32_t kLegacyMaxVcpus = 1;  // XEN_LEGACY_MAX_VCPUS on ARM

// HYPERVISOR_vm_assist(cmd, type) (xen.h VMASST_*): ARM accepts only runstate_update_flag.
enum class VmAssistCmd : uint32_t { Enable = 0, Disable = 1 };
inline constexpr uint32_t kVmAssistTypeRunstateUpdateFlag = 5;

// vcpu_time_info: 32 bytes; never updated by Xen on ARM (§1.5).
struct VcpuTimeInfo {
    uint32_t version;
    uint32_t pad0;
    uint64_t tsc_timestamp;
    uint64_t system_time;
    uint32_t tsc_to_system_mul;
    int8_t tsc_shift;
    uint8_t flags;
    uint8_t pad1[2];
};
static_assert(sizeof(VcpuTimeInfo) == 32);

// vcpu_info: 48 bytes. arch_vcpu_info is empty on ARM and deliberately has no
// member here (an empty C++ member would take a byte and shift `time`).
struct VcpuInfo {
    uint8_t evtchn_upcall_pending;   // keel sets; the guest clears before scanning
    uint8_t pad0;                    // evtchn_upcall_mask on x86 PV only
    uint8_t pad1[6];
    xen_ulong_t evtchn_pending_sel;  // 2-level: bit w = word w of evtchn_pending has work
    VcpuTimeInfo time;
};
static_assert(sizeof(VcpuInfo) == 48);
static_assert(offsetof(VcpuInfo, evtchn_pending_sel) == 8);
static_assert(offsetof(VcpuInfo, time) == 16);

// shared_info: 1088 bytes, one page per domain, mapped by XENMEM_add_to_physmap
// (XENMAPSPACE_shared_info, idx 0).
struct SharedInfo {
    VcpuInfo vcpu_info[kLegacyMaxVcpus];
    xen_ulong_t evtchn_pending[64];  // port p: word p / 64, bit p % 64
    xen_ulong_t evtchn_mask[64];
    uint32_t wc_version;             // wall clock (seqlock: odd = being written)
    uint32_t wc_sec;
    uint32_t wc_nsec;
    uint32_t wc_sec_hi;
};
static_assert(sizeof(SharedInfo) == 1088);
static_assert(offsetof(SharedInfo, evtchn_pending) == 48);
static_assert(offsetof(SharedInfo, evtchn_mask) == 560);
static_assert(offsetof(SharedInfo, wc_version) == 1072);
static_assert(offsetof(SharedInfo, wc_sec_hi) == 1084);

// Guest layout facts a Xen-aware domain sees (arch-arm.h; §7.1).
inline constexpr uint64_t kGuestGnttabBase = 0x38000000;
inline constexpr uint64_t kGuestGnttabSize = 0x01000000;
inline constexpr uint64_t kGuestMagicBase = 0x39000000;
inline constexpr uint64_t kGuestMagicSize = 0x01000000;
inline constexpr uint32_t kGuestEvtchnPpi = 31;

}  // namespace keel::xen
