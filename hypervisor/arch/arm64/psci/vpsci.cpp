// SPDX-License-Identifier: MIT
//
// arch/arm64/psci/vpsci.cpp
// Owns the vPSCI / vSMCCC function table (see vpsci.hpp).
#include "arch/arm64/psci/vpsci.hpp"

#include "core/domain/domain.hpp"
#include "core/domain/vcpu.hpp"
#include "core/domain/vcpu_ops.hpp"

namespace keel::arm64 {
namespace {

using psci::Status;

// SMC32 calls use only the low 32 bits of each register (DEN 0028, "SMC32/HVC32
// argument passing"); the SMC64 form (function ID bit 30) uses all 64.
constexpr bool is_smc64(uint32_t f) { return (f & (1u << 30)) != 0; }

// MPIDR affinity masks for AFFINITY_INFO's lowest_affinity_level 0..3: the
// levels below it are ignored (DEN 0022, AFFINITY_INFO; Xen target_affinity_mask).
constexpr uint64_t kAffinityMask[] = {0xff'00ff'ffffull, 0xff'00ff'ff00ull, 0xff'00ff'0000ull,
                                      0xff'0000'0000ull};

bool vcpu_is_on(const Vcpu& v)
{
    const VcpuState s = v.state.load(std::memory_order_acquire);
    return s != VcpuState::Offline && s != VcpuState::Dead;
}

Status cpu_on(Vcpu& caller, uint64_t target_mpidr, uint64_t entry, uint64_t context_id,
              VpsciPort& port)
{
    Vcpu* target = vcpu_by_mpidr(*caller.domain, target_mpidr);
    if (target == nullptr) return Status::InvalidParameters;
    if ((entry & 1) != 0) return Status::InvalidAddress;  // Thumb bit: not for a 64-bit guest (Xen)
    return port.cpu_on(*target, entry, context_id);
}

int32_t affinity_info(const Vcpu& caller, uint64_t target, uint32_t lowest_level)
{
    if (lowest_level >= sizeof kAffinityMask / sizeof kAffinityMask[0]) {
        return static_cast<int32_t>(Status::InvalidParameters);
    }
    const uint64_t mask = kAffinityMask[lowest_level];
    for (const Vcpu* v : caller.domain->vcpus) {
        if (v != nullptr && (v->vmpidr & mask) == (target & mask) && vcpu_is_on(*v)) {
            return kAffinityOn;
        }
    }
    return kAffinityOff;
}

// PSCI_FEATURES: 0 (present; for CPU_SUSPEND: original power-state format,
// platform-coordinated) for what this file implements. Xen's list.
int32_t psci_features(uint32_t f)
{
    switch (f) {
    case fid::PSCI_VERSION:
    case fid::CPU_SUSPEND_32:
    case fid::CPU_SUSPEND_64:
    case fid::CPU_OFF:
    case fid::CPU_ON_32:
    case fid::CPU_ON_64:
    case fid::AFFINITY_INFO_32:
    case fid::AFFINITY_INFO_64:
    case fid::MIGRATE_INFO_TYPE:
    case fid::SYSTEM_OFF:
    case fid::SYSTEM_RESET:
    case fid::PSCI_FEATURES:
    case fid::SMCCC_VERSION: return 0;
    default: return static_cast<int32_t>(Status::NotSupported);
    }
}

SmcccReply value(int32_t v) { return SmcccReply{true, smccc_ret(v), VpsciEffect::None}; }
SmcccReply value(Status s) { return value(static_cast<int32_t>(s)); }
SmcccReply effect(Status s, VpsciEffect e) { return SmcccReply{true, smccc_ret(s), e}; }

}  // namespace

SmcccReply vpsci_call(Vcpu& caller, const SmcccCall& call, VpsciPort& port)
{
    const auto f = static_cast<uint32_t>(call.x0);  // only w0 names the function
    const uint64_t arg_mask = is_smc64(f) ? ~uint64_t{0} : 0xffff'ffffu;
    const uint64_t a1 = call.x1 & arg_mask;
    const uint64_t a2 = call.x2 & arg_mask;
    const uint64_t a3 = call.x3 & arg_mask;

    switch (f) {
    case fid::SMCCC_VERSION: return value(static_cast<int32_t>(kVsmcccVersion));
    case fid::SMCCC_ARCH_FEATURES:
        // No firmware mitigations behind keel: the workarounds are NOT_SUPPORTED
        // (what Xen answers on CPUs without the capability), as is everything else.
        return value(Status::NotSupported);
    case fid::SMCCC_ARCH_WORKAROUND_1:
    case fid::SMCCC_ARCH_WORKAROUND_2:
    case fid::SMCCC_ARCH_WORKAROUND_3: return SmcccReply{false, 0, VpsciEffect::None};

    case fid::PSCI_VERSION: return value(static_cast<int32_t>(kVpsciVersion));
    case fid::CPU_SUSPEND_32:
    case fid::CPU_SUSPEND_64: return effect(Status::Success, VpsciEffect::Suspend);
    case fid::CPU_OFF: return effect(Status::Success, VpsciEffect::CpuOff);
    case fid::CPU_ON_32:
    case fid::CPU_ON_64: return value(cpu_on(caller, a1, a2, a3, port));
    case fid::AFFINITY_INFO_32:
    case fid::AFFINITY_INFO_64:
        return value(affinity_info(caller, a1, static_cast<uint32_t>(a2)));
    case fid::MIGRATE_INFO_TYPE: return value(static_cast<int32_t>(kMigrateInfoNotPresent));
    // If the domain somehow ran on, the call "failed" (Xen: PSCI_INTERNAL_FAILURE).
    case fid::SYSTEM_OFF: return effect(Status::InternalFailure, VpsciEffect::SystemOff);
    case fid::SYSTEM_RESET: return effect(Status::InternalFailure, VpsciEffect::SystemReset);
    case fid::PSCI_FEATURES: return value(psci_features(static_cast<uint32_t>(a1)));
    default: return value(Status::NotSupported);
    }
}

}  // namespace keel::arm64
