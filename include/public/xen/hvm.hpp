// SPDX-License-Identifier: MIT
//
// include/public/xen/hvm.hpp
// Owns the HYPERVISOR_hvm_op part of the Xen guest ABI as keel defines it
// (AArch64): the three HVMOPs ARM Xen implements, xen_hvm_param and the
// HVM_PARAM_* indexes a guest may see (Xen's public hvm/hvm_op.h and
// hvm/params.h; docs: ../shared/docs/xen-arm-guest-abi.md §2.3, §3.9).
// Freestanding.
#pragma once
#include <cstddef>
#include <cstdint>

#include "public/xen/xen.hpp"

namespace keel::xen {

enum class HvmOp : uint64_t {
    SetParam = 0,
    GetParam = 1,
    GuestRequestVmEvent = 24,
};

struct XenHvmParam {
    domid_t domid;   // DOMID_SELF or the caller's own id
    uint16_t pad;
    uint32_t index;  // HvmParam
    uint64_t value;  // IN for set, OUT for get
};
static_assert(sizeof(XenHvmParam) == 16);
static_assert(offsetof(XenHvmParam, index) == 4);
static_assert(offsetof(XenHvmParam, value) == 8);

enum class HvmParam : uint32_t {
    CallbackIrq = 0,
    StorePfn = 1,
    StoreEvtchn = 2,
    ConsolePfn = 17,
    ConsoleEvtchn = 18,
    MonitorRingPfn = 28,
};
inline constexpr uint32_t kHvmNrParams = 39;  // HVM_NR_PARAMS (Xen 4.17)

// HVM_PARAM_CALLBACK_IRQ encoding on ARM: type in bits 63:56; for a PPI,
// bit 8 = edge (1) / level (0), bit 9 = active low, bits 7:0 = the PPI.
inline constexpr uint64_t kHvmCallbackTypePpi = 2;
inline constexpr unsigned kHvmCallbackTypeShift = 56;
inline constexpr uint64_t kHvmCallbackPpiLowLevel = 2;  // HVM_PARAM_CALLBACK_TYPE_PPI_FLAG_LOW_LEVEL
inline constexpr unsigned kHvmCallbackPpiFlagShift = 8;

}  // namespace keel::xen
