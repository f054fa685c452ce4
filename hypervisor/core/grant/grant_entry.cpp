// SPDX-License-Identifier: MIT
//
// core/grant/grant_entry.cpp
// Owns the CAS protocol of grant_entry.hpp on the shared entry's first 32
// bits (flags | domid << 16). Pure.
#include "core/grant/grant_entry.hpp"

#include "lib/check.hpp"

namespace keel {

namespace {

// flags and domid, as one 32-bit word the guest can race with.
uint32_t* combo(xen::GrantEntryV1& e) { return reinterpret_cast<uint32_t*>(&e); }
constexpr uint16_t flags_of(uint32_t c) { return static_cast<uint16_t>(c); }
constexpr uint16_t domid_of(uint32_t c) { return static_cast<uint16_t>(c >> 16); }

constexpr unsigned kCasRetries = 5;  // then the guest is deemed to be misbehaving (Xen: 5)

void clear_flags(xen::GrantEntryV1& e, uint16_t bits)
{
    __atomic_fetch_and(&e.flags, static_cast<uint16_t>(~bits), __ATOMIC_ACQ_REL);
}

}  // namespace

xen::GntSt grant_pin(xen::GrantEntryV1& e, ActiveGrant& act, uint16_t who, bool readonly,
                     bool mapping)
{
    if (act.pinned() && act.domid != who) return xen::GntSt::GeneralError;
    if ((readonly ? act.readers : act.writers) == 0xffff) return xen::GntSt::GeneralError;

    // Only the first pin, or the first writable one, touches the shared entry.
    if (!act.pinned() || (!readonly && act.writers == 0)) {
        const uint16_t mask = xen::kGtfTypeMask | (mapping ? xen::kGtfSubPage : 0);
        uint32_t old = __atomic_load_n(combo(e), __ATOMIC_ACQUIRE);
        for (unsigned tries = 0;; ++tries) {
            // Checked whenever the entry is touched, also for the first
            // writer of an entry pinned read-only (Xen's _set_status_v1).
            if ((flags_of(old) & mask) != xen::kGtfPermitAccess || domid_of(old) != who)
                return xen::GntSt::GeneralError;
            uint16_t f = flags_of(old) | xen::kGtfReading;
            if (!readonly) {
                if ((flags_of(old) & xen::kGtfReadonly) != 0) return xen::GntSt::GeneralError;
                f |= xen::kGtfWriting;
            }
            const uint32_t want = (old & 0xffff0000u) | f;
            if (__atomic_compare_exchange_n(combo(e), &old, want, false, __ATOMIC_ACQ_REL,
                                            __ATOMIC_ACQUIRE))
                break;
            if (tries + 1 == kCasRetries) return xen::GntSt::GeneralError;
        }
    }
    act.domid = who;
    if (readonly) {
        ++act.readers;
    } else {
        ++act.writers;
    }
    return xen::GntSt::Okay;
}

void grant_unpin(xen::GrantEntryV1& e, ActiveGrant& act, bool readonly)
{
    if (readonly) {
        KEEL_CHECK(act.readers != 0);
        --act.readers;
    } else {
        KEEL_CHECK(act.writers != 0);
        --act.writers;
    }
    if (act.writers == 0) clear_flags(e, xen::kGtfWriting);
    if (!act.pinned()) {
        clear_flags(e, xen::kGtfReading);
        act.mfn = 0;
    }
}

}  // namespace keel
