// SPDX-License-Identifier: MIT
//
// core/memory/guest_copy.hpp
// Owns keel's access to a domain's RAM by guest-physical address: copies in and
// out, zeroing, and loading from host memory keel does not map (boot modules).
// Each guest page is found through the domain's p2m and reached through one of
// this CPU's transient map slots for the duration of the copy — keel never maps
// guest RAM permanently. Anything that is not the domain's RAM is Errno::Fault;
// the pages before it have been written by then (no rollback, as in Xen).
//
// Cache maintenance: what keel writes into guest RAM is cleaned to the point
// of coherency, because a guest starts with its MMU and caches off and reads
// memory, not keel's cache. Code keel loads additionally needs
// sync_guest_code() once before any vCPU runs it.
//
// Target only (transient maps); the address arithmetic is the p2m's, host-tested.
#pragma once
#include <cstddef>
#include <cstdint>

#include "lib/addr.hpp"
#include "lib/result.hpp"

namespace keel {

struct Domain;

// The transient map slots guest copies use on each CPU (boot_memory.hpp gives
// kTransientSlotsPerCpu per CPU; slots 0-1 are the memory self-tests'). Copies
// never nest: keel runs them with interrupts masked.
inline constexpr unsigned kGuestCopySlot = 8;      // the guest page
inline constexpr unsigned kGuestCopySrcSlot = 9;   // the host page copy_phys_to_guest reads
inline constexpr unsigned kGuestVirtSlot = 10;     // guest_virt.cpp: copies through guest VAs

/// Copies `len` bytes from keel's `src` to the domain's RAM at `dst`.
Result<void> copy_to_guest_phys(Domain& d, GuestPhysAddr dst, const void* src, size_t len);
/// Copies `len` bytes from the domain's RAM at `src` to keel's `dst`.
Result<void> copy_from_guest_phys(Domain& d, void* dst, GuestPhysAddr src, size_t len);
/// Writes `len` zero bytes to the domain's RAM at `dst`.
Result<void> zero_guest_phys(Domain& d, GuestPhysAddr dst, size_t len);
/// Copies `len` bytes of host memory at `src` (any RAM frame, mapped transiently;
/// boot modules) to the domain's RAM at `dst`.
Result<void> copy_phys_to_guest(Domain& d, GuestPhysAddr dst, PhysAddr src, size_t len);

/// Cleans and invalidates the domain's RAM page `gfn` to the point of
/// coherency (set/way emulation, arch/arm64/vcpu/setway.cpp); Errno::Fault when
/// it is not RAM.
Result<void> clean_inval_guest_page(Domain& d, uint64_t gfn);

/// Instructions keel wrote into guest RAM become visible to instruction fetch on
/// every CPU (IC IALLUIS). Call once after loading code, before the guest runs.
void sync_guest_code();

}  // namespace keel
