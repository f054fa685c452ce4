// SPDX-License-Identifier: MIT
//
// core/grant/grant_entry.hpp
// Owns the v1 grant-entry protocol on keel's side (ABI §3.4): pinning a
// granted entry for a mapping or a copy (check type and grantee once, then a
// bounded CAS loop that sets GTF_reading / GTF_writing in the shared entry,
// which the granting guest may change concurrently) and unpinning it (clear
// GTF_writing when the last writer goes, GTF_reading when the last user goes).
// Pin counts live in keel's ActiveGrant, never in guest memory. Semantics from
// Xen's _set_status_v1 / reduce_status_for_pin. Pure.
#pragma once
#include <cstdint>

#include "public/xen/grant_table.hpp"

namespace keel {

// keel's record of one grant entry while it is pinned (16 bytes).
struct ActiveGrant {
    uint64_t mfn = 0;      // the frame pinned at first pin (later entry changes are ignored)
    uint16_t domid = 0;    // the domain holding the pins
    uint16_t readers = 0;  // read-only pins
    uint16_t writers = 0;  // writable pins
    uint16_t pad = 0;
    bool pinned() const { return readers != 0 || writers != 0; }
};
static_assert(sizeof(ActiveGrant) == 16);

/// Pins entry `e` for domain `who` (sub_page entries are refused when
/// `mapping`). Returns GNTST_okay with the pin counted in `act`; the caller
/// records the frame in act.mfn when it was the first pin (act.pinned() was
/// false before). General error for a bad type or grantee, a write pin on a
/// GTF_readonly entry, a pin by another domain than the holder's, counter
/// overflow, or an entry that keeps changing under the CAS.
xen::GntSt grant_pin(xen::GrantEntryV1& e, ActiveGrant& act, uint16_t who, bool readonly,
                     bool mapping);

/// Undoes one grant_pin(readonly) (act must hold such a pin).
void grant_unpin(xen::GrantEntryV1& e, ActiveGrant& act, bool readonly);

}  // namespace keel
