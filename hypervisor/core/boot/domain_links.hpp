// SPDX-License-Identifier: MIT
//
// core/boot/domain_links.hpp
// Owns making the static links between dom0less domains once every domain is
// built and before any starts: Xen's static event channels (an interdomain
// pair bound on both sides) and static shared memory (the reserved host range
// mapped into each domain that names it). A link whose peer was not built, or
// that keel cannot make, gets one error line; the domains still start without it.
// Target only.
#pragma once
#include <cstddef>

namespace keel {

struct Domain;
struct DomainSpec;

/// specs[i] was built as built[i] (nullptr: not built).
void link_dom0less_domains(const DomainSpec* specs, Domain* const* built, size_t n);

}  // namespace keel
