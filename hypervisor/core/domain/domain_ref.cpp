// SPDX-License-Identifier: MIT
//
// core/domain/domain_ref.cpp
// Owns the reference count protocol of DomainRef (see domain_ref.hpp).
#include "core/domain/domain_ref.hpp"

#include "arch/arm64/hw/spinlock.hpp"
#include "core/domain/domain_table.hpp"
#include "core/domain/lifecycle.hpp"
#include "core/event/event_channel.hpp"
#include "lib/check.hpp"

namespace keel {
namespace {

constexpr uint32_t kRetired = 1u << 31;
constexpr uint32_t kCountMask = kRetired - 1;

// Orders "find in the table + count" against "free": a lookup holding it
// either counts before the retire (which then defers the free) or sees the
// retired mark; the free removes the domain from the table under it.
// Lock order: this lock -> domain table lock -> heap pool lock.
constinit SpinLock g_ref_lock;

void free_now(Domain& d)
{
    // No reference remains and none can be taken: state that peers reached
    // through a DomainRef can go now.
    evtchn_domain_free(d);
    size_t remaining = 0;
    {
        LockGuard guard{g_ref_lock};
        remaining = free_domain(d);
    }
    if (remaining == 0) domains_all_ended();
}

}  // namespace

DomainRef domain_ref(DomId id)
{
    LockGuard guard{g_ref_lock};
    Domain* d = find_domain(id);
    if (d == nullptr) return DomainRef{};
    const DomainState s = d->state.load(std::memory_order_seq_cst);
    if (s == DomainState::Building || s == DomainState::Dead) return DomainRef{};
    uint32_t r = d->refs.load(std::memory_order_relaxed);
    do {
        if ((r & kRetired) != 0) return DomainRef{};
        KEEL_CHECK((r & kCountMask) != kCountMask);
    } while (!d->refs.compare_exchange_weak(r, r + 1, std::memory_order_acq_rel));
    return DomainRef{d};
}

void DomainRef::reset()
{
    Domain* d = d_;
    if (d == nullptr) return;
    d_ = nullptr;
    const uint32_t before = d->refs.fetch_sub(1, std::memory_order_acq_rel);
    KEEL_CHECK((before & kCountMask) != 0);
    if (before == (kRetired | 1)) free_now(*d);
}

void domain_refs_retire(Domain& d)
{
    uint32_t before = 0;
    {
        LockGuard guard{g_ref_lock};
        before = d.refs.fetch_or(kRetired, std::memory_order_acq_rel);
    }
    KEEL_CHECK((before & kRetired) == 0);
    if ((before & kCountMask) == 0) free_now(d);
}

}  // namespace keel
