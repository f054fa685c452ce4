// SPDX-License-Identifier: MIT
//
// core/memory/guest_virt.hpp
// Owns keel's access to guest memory through guest VIRTUAL addresses — every
// pointer a hypercall passes (ABI §2.1; docs/xen-abi-design.md): per page, the
// calling vCPU's own stage-1 translation (AT S1E1R / S1E1W; a write needs a
// writable mapping) gives the IPA, which must be the caller's RAM in its p2m
// (pinned during the copy), or a keel page the caller mapped (shared_info, a
// grant-table frame: allowed as on Xen) — never MMIO, never a grant mapping
// or other keel memory; the page is then reached through this
// CPU's transient slot kGuestVirtSlot. Any failure is Errno::Fault; pages
// before it have been copied (partial copies, as Xen).
//
// The vCPU must be the one loaded on this CPU (its hypercall or its switch-in
// is being handled): the AT instructions use the EL1 registers in place.
// Interrupts are masked in keel, so copies never nest. Target only.
#pragma once
#include <cstddef>
#include <cstdint>

#include "lib/addr.hpp"
#include "lib/result.hpp"

namespace keel {

struct Vcpu;

/// Copies `len` bytes from the guest's virtual address `src` to keel's `dst`.
Result<void> copy_from_guest(Vcpu& v, void* dst, GuestVirtAddr src, size_t len);
/// Copies `len` bytes from keel's `src` to the guest's virtual address `dst`.
Result<void> copy_to_guest(Vcpu& v, GuestVirtAddr dst, const void* src, size_t len);

template <typename T>
Result<void> copy_from_guest(Vcpu& v, T& dst, GuestVirtAddr src)
{
    return copy_from_guest(v, &dst, src, sizeof(T));
}
template <typename T>
Result<void> copy_to_guest(Vcpu& v, GuestVirtAddr dst, const T& src)
{
    return copy_to_guest(v, dst, &src, sizeof(T));
}

}  // namespace keel
