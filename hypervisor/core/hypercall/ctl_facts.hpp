// SPDX-License-Identifier: MIT
//
// core/hypercall/ctl_facts.hpp
// Owns reading keel's live state for the control hypercalls: which domains
// exist (the ones a DomainRef can be taken of), a snapshot of one domain for
// domain_info.hpp and of the machine for host_info.hpp. Target only.
#pragma once
#include <cstddef>
#include <cstdint>

#include "core/hypercall/domain_info.hpp"
#include "core/hypercall/host_info.hpp"

namespace keel {

struct Domain;

/// The ids of the domains that exist now (running or shutting down), ascending;
/// at most `cap`. Returns how many.
size_t existing_domain_ids(uint16_t* out, size_t cap);

/// d's state now (the caller holds a DomainRef or is one of d's vCPUs).
DomainFacts domain_facts(const Domain& d);

HostFacts host_facts();

/// The domain's handle (XEN_DOMCTL_setdomainhandle; XENVER_guest_handle).
void domain_handle_get(const Domain& d, uint8_t (&out)[xen::kXenDomainHandleBytes]);
void domain_handle_set(Domain& d, const uint8_t (&in)[xen::kXenDomainHandleBytes]);

}  // namespace keel
