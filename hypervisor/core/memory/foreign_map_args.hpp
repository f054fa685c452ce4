// SPDX-License-Identifier: MIT
//
// core/memory/foreign_map_args.hpp
// Owns the pure decision behind a XENMAPSPACE_gmfn_foreign entry's foreign
// domid, taken before any domain is looked up: Xen 4.17's get_pg_owner()
// refuses the caller's own numeric id (-ESRCH), resolves DOMID_SELF to the
// caller (then "foreign == caller": -EINVAL) and DOMID_IO / DOMID_XEN to
// system domains that have no RAM keel could hand out; any other value is
// looked up as a domain id (reserved ones and ids out of range find nothing).
// Pure.
#pragma once
#include <cstdint>

#include "public/xen/xen.hpp"

namespace keel {

enum class ForeignDomid : uint8_t {
    Lookup,      // an ordinary id: look the domain up (absent: -ESRCH)
    CallerId,    // the caller's own id: Xen's get_pg_owner finds nothing (-ESRCH)
    SelfAlias,   // DOMID_SELF: the caller itself (-EINVAL)
    SystemDomain // DOMID_IO / DOMID_XEN: exists; -EPERM unless privileged, then no page (-EINVAL)
};

constexpr ForeignDomid classify_foreign_domid(uint16_t foreign, uint16_t caller)
{
    if (foreign == caller) return ForeignDomid::CallerId;
    if (foreign == xen::kDomidSelf) return ForeignDomid::SelfAlias;
    if (foreign == xen::kDomidIo || foreign == xen::kDomidXen) return ForeignDomid::SystemDomain;
    return ForeignDomid::Lookup;
}

}  // namespace keel
