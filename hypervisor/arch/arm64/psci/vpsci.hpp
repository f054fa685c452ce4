// SPDX-License-Identifier: MIT
//
// arch/arm64/psci/vpsci.hpp
// Owns what a guest's PSCI 1.1 / SMCCC 1.1 firmware calls mean (HVC #0 or SMC #0,
// function ID in w0, arguments in x1-x3, result in x0 — docs/xen-arm-guest-abi.md
// §2.4): decoding the function ID (SMC32 and SMC64 forms), checking arguments and
// answering, as Xen's vpsci.c/vsmc.c do. The effects that need the scheduler or
// the domain's lifecycle (a vCPU powering off, suspending, the system going off)
// are returned for the trap code to carry out; starting another vCPU goes
// through VpsciPort. Pure: the unit tests use a fake port.
#pragma once
#include <cstdint>

#include "arch/arm64/psci/psci_abi.hpp"

namespace keel {
struct Vcpu;
}

namespace keel::arm64 {

// Function IDs (Arm DEN 0022 "Function prototypes", DEN 0028 "Arm Architecture
// Calls"). 0x84.../0x80... are SMC32, 0xC4... SMC64.
namespace fid {
inline constexpr uint32_t SMCCC_VERSION = 0x8000'0000;
inline constexpr uint32_t SMCCC_ARCH_FEATURES = 0x8000'0001;
inline constexpr uint32_t SMCCC_ARCH_WORKAROUND_1 = 0x8000'8000;
inline constexpr uint32_t SMCCC_ARCH_WORKAROUND_2 = 0x8000'7fff;
inline constexpr uint32_t SMCCC_ARCH_WORKAROUND_3 = 0x8000'3fff;
inline constexpr uint32_t PSCI_VERSION = 0x8400'0000;
inline constexpr uint32_t CPU_SUSPEND_32 = 0x8400'0001;
inline constexpr uint32_t CPU_SUSPEND_64 = 0xc400'0001;
inline constexpr uint32_t CPU_OFF = 0x8400'0002;
inline constexpr uint32_t CPU_ON_32 = 0x8400'0003;
inline constexpr uint32_t CPU_ON_64 = 0xc400'0003;
inline constexpr uint32_t AFFINITY_INFO_32 = 0x8400'0004;
inline constexpr uint32_t AFFINITY_INFO_64 = 0xc400'0004;
inline constexpr uint32_t MIGRATE_INFO_TYPE = 0x8400'0006;
inline constexpr uint32_t SYSTEM_OFF = 0x8400'0008;
inline constexpr uint32_t SYSTEM_RESET = 0x8400'0009;
inline constexpr uint32_t PSCI_FEATURES = 0x8400'000a;
}  // namespace fid

inline constexpr uint32_t kVpsciVersion = 0x0001'0001;   // PSCI 1.1 (Xen: do_psci_0_2_version)
inline constexpr uint32_t kVsmcccVersion = 0x0001'0001;  // SMCCC 1.1
inline constexpr uint32_t kMigrateInfoNotPresent = 2;    // MIGRATE_INFO_TYPE: no Trusted OS
inline constexpr int32_t kAffinityOn = 0;                // AFFINITY_INFO results
inline constexpr int32_t kAffinityOff = 1;

// What the calling vCPU does after the call, beyond the value in x0.
enum class VpsciEffect : uint8_t {
    None,
    CpuOff,       // CPU_OFF: this vCPU goes Offline (never returns to the guest)
    Suspend,      // CPU_SUSPEND: treated as WFI (Xen: vcpu_block_unless_event_pending)
    SystemOff,    // SYSTEM_OFF: the domain ends (poweroff)
    SystemReset,  // SYSTEM_RESET: the domain ends (reboot)
};

struct SmcccCall {
    uint64_t x0, x1, x2, x3;
};

struct SmcccReply {
    bool set_x0 = true;  // false: x0 keeps its value (ARCH_WORKAROUND_* calls return nothing)
    uint64_t x0 = 0;
    VpsciEffect effect = VpsciEffect::None;
};

/// What keel must do for vPSCI outside this file.
class VpsciPort {
public:
    /// Starts `target` (of the caller's domain) at `entry` with x0 = `context_id`
    /// if it is Offline: Success, AlreadyOn, or Denied (domain ending).
    virtual psci::Status cpu_on(Vcpu& target, uint64_t entry, uint64_t context_id) = 0;

protected:
    ~VpsciPort() = default;
};

/// Answers one SMCCC call from `caller` (an unknown function ID: NOT_SUPPORTED).
SmcccReply vpsci_call(Vcpu& caller, const SmcccCall& call, VpsciPort& port);

/// The x0 value for a signed 32-bit SMCCC result (sign-extended, as Xen does).
constexpr uint64_t smccc_ret(int32_t v) { return static_cast<uint64_t>(static_cast<int64_t>(v)); }
constexpr uint64_t smccc_ret(psci::Status s) { return smccc_ret(static_cast<int32_t>(s)); }

}  // namespace keel::arm64
