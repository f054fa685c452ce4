// SPDX-License-Identifier: MIT
//
// include/public/xen/vcpu.hpp
// Owns the HYPERVISOR_vcpu_op part of the Xen guest ABI as keel defines it
// (AArch64): VCPUOP_* numbers, the register_vcpu_info and runstate structs,
// RUNSTATE_* (Xen's public vcpu.h; docs: ../shared/docs/xen-arm-guest-abi.md
// §2.3, §3.8). Freestanding.
#pragma once
#include <cstddef>
#include <cstdint>

#include "public/xen/xen.hpp"

namespace keel::xen {

// vcpu.h VCPUOP_*: arg1 of HYPERVISOR_vcpu_op(cmd, vcpuid, arg). ARM Xen
// implements only RegisterRunstateMemoryArea and RegisterVcpuInfo.
enum class VcpuOp : uint32_t {
    Initialise = 0,
    Up = 1,
    Down = 2,
    IsUp = 3,
    GetRunstateInfo = 4,
    RegisterRunstateMemoryArea = 5,
    SetPeriodicTimer = 6,
    StopPeriodicTimer = 7,
    SetSingleshotTimer = 8,
    StopSingleshotTimer = 9,
    RegisterVcpuInfo = 10,
    SendNmi = 11,
    GetPhysid = 12,
    RegisterVcpuTimeMemoryArea = 13,
};

// vcpu_register_vcpu_info: where vCPU vcpuid's vcpu_info lives from now on.
struct VcpuRegisterVcpuInfo {
    uint64_t mfn;     // a GFN on ARM
    uint32_t offset;  // within that page
    uint32_t rsvd;
};
static_assert(sizeof(VcpuRegisterVcpuInfo) == 16);
static_assert(offsetof(VcpuRegisterVcpuInfo, offset) == 8);
static_assert(offsetof(VcpuRegisterVcpuInfo, rsvd) == 12);

// vcpu_register_runstate_memory_area: a guest VIRTUAL address on ARM.
struct VcpuRegisterRunstateMemoryArea {
    uint64_t addr;
};
static_assert(sizeof(VcpuRegisterRunstateMemoryArea) == 8);

enum class Runstate : int32_t { Running = 0, Runnable = 1, Blocked = 2, Offline = 3 };
inline constexpr unsigned kNrRunstates = 4;
// Set in state_entry_time while Xen rewrites the area (VMASST_TYPE_runstate_update_flag).
inline constexpr uint64_t kRunstateUpdate = uint64_t{1} << 63;  // XEN_RUNSTATE_UPDATE

struct VcpuRunstateInfo {
    int32_t state;              // Runstate
    uint32_t pad0;
    uint64_t state_entry_time;  // ns of system time when `state` was entered
    uint64_t time[kNrRunstates];  // ns spent in each state
};
static_assert(sizeof(VcpuRunstateInfo) == 48);
static_assert(offsetof(VcpuRunstateInfo, state_entry_time) == 8);
static_assert(offsetof(VcpuRunstateInfo, time) == 16);

}  // namespace keel::xen
