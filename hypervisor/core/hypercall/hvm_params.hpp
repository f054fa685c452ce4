// SPDX-License-Identifier: MIT
//
// core/hypercall/hvm_params.hpp
// Owns HVM parameters as ARM Xen 4.17 keeps them (xen/arch/arm/hvm.c, ABI
// §3.9): a per-domain array of HVM_NR_PARAMS values, which indexes a domain
// may read or set (the guest itself may read CALLBACK_IRQ, STORE_* and
// CONSOLE_* but set none of them; MONITOR_RING_PFN is the toolstack's; every
// other index is -EINVAL), and the values keel itself gives a domain. A
// dom0less domU without xenstore sees all of them 0, as on Xen 4.17 (Xen fills
// CALLBACK_IRQ for dom0 only, STORE_* only for "xen,enhanced" domains). Pure.
#pragma once
#include <atomic>
#include <cstdint>

#include "lib/result.hpp"
#include "public/xen/hvm.hpp"

namespace keel {

struct HvmParams {
    std::atomic<uint64_t> value[xen::kHvmNrParams] = {};
};

/// Read by `self` (the domain itself) or by another domain with the right to
/// (a later toolstack). Errors: Inval (not a readable index), Perm (toolstack only).
Result<uint64_t> hvm_param_get(const HvmParams& p, uint32_t index, bool self);
/// Errors: Perm when `self` sets a toolstack parameter, Inval for anything else.
Result<void> hvm_param_set(HvmParams& p, uint32_t index, uint64_t value, bool self);

/// keel's own setting (domain building: CALLBACK_IRQ, xenstore/console params).
void hvm_param_init(HvmParams& p, xen::HvmParam index, uint64_t value);

/// HVM_PARAM_CALLBACK_IRQ for an event-channel upcall on `ppi`, active-low level
/// (Xen's evtchn_allocate): 0x020000000000021F for PPI 31.
constexpr uint64_t hvm_callback_irq_ppi(uint32_t ppi)
{
    return xen::kHvmCallbackTypePpi << xen::kHvmCallbackTypeShift |
           xen::kHvmCallbackPpiLowLevel << xen::kHvmCallbackPpiFlagShift | (ppi & 0xff);
}
static_assert(hvm_callback_irq_ppi(31) == 0x020000000000021F);

}  // namespace keel
