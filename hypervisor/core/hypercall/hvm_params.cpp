// SPDX-License-Identifier: MIT
//
// core/hypercall/hvm_params.cpp
// Owns the HVM parameter access rules (see hvm_params.hpp). Pure.
#include "core/hypercall/hvm_params.hpp"

namespace keel {
namespace {

using xen::HvmParam;

bool is(uint32_t index, HvmParam p) { return index == static_cast<uint32_t>(p); }

// hvm_allow_get_param / hvm_allow_set_param of Xen 4.17 (xen/arch/arm/hvm.c).
bool guest_readable(uint32_t i)
{
    return is(i, HvmParam::CallbackIrq) || is(i, HvmParam::StorePfn) ||
           is(i, HvmParam::StoreEvtchn) || is(i, HvmParam::ConsolePfn) ||
           is(i, HvmParam::ConsoleEvtchn);
}
bool toolstack_param(uint32_t i) { return guest_readable(i) || is(i, HvmParam::MonitorRingPfn); }

}  // namespace

Result<uint64_t> hvm_param_get(const HvmParams& p, uint32_t index, bool self)
{
    if (guest_readable(index)) return p.value[index].load(std::memory_order_acquire);
    if (is(index, HvmParam::MonitorRingPfn)) {
        if (self) return Errno::Perm;
        return p.value[index].load(std::memory_order_acquire);
    }
    return Errno::Inval;
}

Result<void> hvm_param_set(HvmParams& p, uint32_t index, uint64_t value, bool self)
{
    if (!toolstack_param(index)) return Errno::Inval;
    if (self) return Errno::Perm;
    p.value[index].store(value, std::memory_order_release);
    return {};
}

void hvm_param_init(HvmParams& p, xen::HvmParam index, uint64_t value)
{
    p.value[static_cast<uint32_t>(index)].store(value, std::memory_order_release);
}

}  // namespace keel
