// SPDX-License-Identifier: MIT
//
// core/domain/domain_ref.hpp
// Owns counted references to domains (Xen's get_domain/put_domain, made RAII;
// style.md c.9): the only way to reach a domain other than the caller's own
// (docs/xen-abi-design.md). domain_ref(id) is empty when no such domain
// exists, it is still being built, or it is Dead; otherwise the Domain object
// stays allocated until the DomainRef is dropped — its resources may be
// released meanwhile (a Dead domain's ports are closed, its RAM freed), only
// the object itself is kept.
//
// Freeing: lifecycle calls domain_refs_retire(d) where it used to free d.
// Domain::refs counts references in its low bits; retire sets kRetired. The
// one that brings refs to exactly kRetired (retire with no reference held, or
// the last drop after it) frees the domain. Lookup-and-count and the free are
// serialised by one lock, so a lookup never counts a domain being freed.
// Target only (frees through lifecycle).
#pragma once
#include <cstdint>

#include "core/domain/domain.hpp"

namespace keel {

class DomainRef {
public:
    DomainRef() = default;
    DomainRef(DomainRef&& o) : d_{o.d_} { o.d_ = nullptr; }
    DomainRef& operator=(DomainRef&& o)
    {
        if (this != &o) {
            reset();
            d_ = o.d_;
            o.d_ = nullptr;
        }
        return *this;
    }
    DomainRef(const DomainRef&) = delete;
    DomainRef& operator=(const DomainRef&) = delete;
    ~DomainRef() { reset(); }

    explicit operator bool() const { return d_ != nullptr; }
    Domain* get() const { return d_; }
    Domain& operator*() const { return *d_; }
    Domain* operator->() const { return d_; }

    /// Drops the reference (the domain may be freed here); empty afterwards.
    void reset();

private:
    friend DomainRef domain_ref(DomId id);
    explicit DomainRef(Domain* d) : d_{d} {}
    Domain* d_ = nullptr;
};

/// A counted reference to domain `id` (DOMID_SELF must be resolved by the
/// caller), or an empty one (no such domain, being built, Dead).
DomainRef domain_ref(DomId id);

/// Lifecycle's last step for a destroyed domain (every vCPU Dead, resources
/// released): frees d now if no reference is held, else when the last one is
/// dropped. Afterwards domain_ref(d.id) is empty. Calls domains_all_ended()
/// when the freed domain was the last one.
void domain_refs_retire(Domain& d);

}  // namespace keel
