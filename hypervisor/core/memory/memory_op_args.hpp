// SPDX-License-Identifier: MIT
//
// core/memory/memory_op_args.hpp
// Owns the pure decisions of XENMEM_*: splitting the command word into the
// operation and the extent to start from, and whether a reservation request
// (increase/decrease_reservation, populate_physmap) is carried out at all —
// Xen answers a refused one with the start extent (nothing done), not an
// errno. Semantics from Xen's xen/common/memory.c (do_memory_op,
// construct_memop_from_reservation, max_order). Pure.
#pragma once
#include <cstdint>

#include "public/xen/memory.hpp"

namespace keel {

struct MemopCmd {
    uint32_t op;     // XENMEM_* (low 6 bits)
    uint64_t start;  // the extent to start from (continuations)
};

constexpr MemopCmd decode_memop(uint64_t cmd)
{
    return MemopCmd{static_cast<uint32_t>(cmd & xen::kMemopCmdMask), cmd >> xen::kMemopExtentShift};
}
constexpr uint64_t encode_memop(uint32_t op, uint64_t start)
{
    return op | (start << xen::kMemopExtentShift);
}

// The largest extent order a domU may ask for (Xen's CONFIG_DOMU_MAX_ORDER).
inline constexpr unsigned kDomuMaxOrder = 9;
// Xen refuses nr_extents whose continuation would not fit (UINT_MAX >> 6).
inline constexpr uint64_t kMaxReservationExtents = 0xffffffffu >> xen::kMemopExtentShift;

/// True when a reservation request is carried out from `start` for a caller
/// with domid `self` (a domU: only DOMID_SELF or its own id, never another).
bool reservation_accepted(const xen::MemoryReservation& r, uint64_t start, uint16_t self);

/// The domid a domU's request names, resolved: `self` for DOMID_SELF or its own
/// id; false (Xen: -ESRCH / -EPERM by XSM) for any other.
bool domid_is_self(uint16_t domid, uint16_t self);

}  // namespace keel
