// SPDX-License-Identifier: MIT
//
// core/memory/memory_op_args.cpp
// Owns the checks of memory_op_args.hpp. Pure.
#include "core/memory/memory_op_args.hpp"

namespace keel {

bool domid_is_self(uint16_t domid, uint16_t self)
{
    return domid == xen::kDomidSelf || domid == self;
}

bool reservation_accepted(const xen::MemoryReservation& r, uint64_t start, uint16_t self)
{
    if (r.nr_extents > kMaxReservationExtents) return false;
    if (start >= r.nr_extents) return false;
    if (!domid_is_self(r.domid, self)) return false;
    if (r.extent_order > kDomuMaxOrder) return false;
    // Populate-on-demand is x86 only: Xen on ARM populates nothing for it.
    if ((r.mem_flags & xen::kMemfPopulateOnDemand) != 0) return false;
    return true;
}

}  // namespace keel
