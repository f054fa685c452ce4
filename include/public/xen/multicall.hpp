// SPDX-License-Identifier: MIT
//
// include/public/xen/multicall.hpp
// Owns multicall_entry, the element of HYPERVISOR_multicall(list, nr) (Xen's
// public xen.h; docs: ../shared/docs/xen-arm-guest-abi.md §3.11). Freestanding.
#pragma once
#include <cstddef>
#include <cstdint>

#include "public/xen/xen.hpp"

namespace keel::xen {

struct MulticallEntry {
    xen_ulong_t op;       // hypercall number
    xen_ulong_t result;   // OUT: what the call returned
    xen_ulong_t args[6];  // x0..x5 of the call (ARM uses the first five)
};
static_assert(sizeof(MulticallEntry) == 64);
static_assert(offsetof(MulticallEntry, result) == 8);
static_assert(offsetof(MulticallEntry, args) == 16);

}  // namespace keel::xen
