// SPDX-License-Identifier: MIT
//
// tests/fuzz/support/fake_guest_virt.hpp
// Owns the handler harness's fake guest virtual address spaces and its
// stand-in for core/memory/guest_virt.cpp (fake_guest_virt.cpp). Each domain
// gets a stage-1 of kGuestVaPages pages at kGuestVaBase whose entries the
// input picks: absent, or a GFN with or without write permission (the GFN may
// be RAM, an MMIO page, a hole, shared_info, a grant frame or a grant
// mapping). copy_from_guest / copy_to_guest then follow the real checked path:
// per page, the stage-1 entry (a write needs a writable one), then the
// caller's p2m — RAM pinned with p2m_get_page (writable RAM for a write), or
// keel's shared_info / grant-table page (the stage-2 permission checked) —
// through this CPU's transient slot; anything else is Errno::Fault after the
// pages before it were copied. Each page keel writes is checked against the
// same rules again and counted.
#pragma once
#include <cstddef>
#include <cstdint>

#include "core/memory/p2m.hpp"
#include "lib/result.hpp"

namespace keel {
struct Domain;
}

namespace keel::fuzz {

inline constexpr uint64_t kGuestVaBase = 0x4000'0000;
inline constexpr unsigned kGuestVaPages = 16;

struct VaPage {
    bool present = false;
    bool writable = false;
    uint64_t gfn = 0;
};

struct GuestSpace {
    VaPage page[kGuestVaPages];
};

/// Registers (or with nullptr forgets) the stage-1 of domain d.
void set_guest_space(const Domain& d, GuestSpace* s);

struct GuestCopyStats {
    uint64_t pages_read = 0;
    uint64_t pages_written = 0;
    uint64_t faults = 0;
};
GuestCopyStats& guest_copy_stats();

/// What the GFN of d holds and the host frame behind it, from a walk of its
/// stage-2 (no pin; for the harness's own accesses and checks).
struct Stage2Leaf {
    P2mType type;
    Mfn mfn;
    bool writable;
};
Result<Stage2Leaf> stage2_leaf(Domain& d, uint64_t gfn);

/// The guest itself stores to / loads from its virtual addresses (not keel:
/// no pin, no slot); only pages its stage-1 maps onto RAM, shared_info or a
/// grant frame are reached, others are skipped.
void guest_store(Domain& d, uint64_t va, const void* src, size_t len);
bool guest_load(Domain& d, uint64_t va, void* dst, size_t len);

}  // namespace keel::fuzz
