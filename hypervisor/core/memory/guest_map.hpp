// SPDX-License-Identifier: MIT
//
// core/memory/guest_map.hpp
// Owns long-lived maps of single guest pages (docs/xen-abi-design.md): the
// frame behind a GFN of a domain is pinned (a frame reference, so it stays
// allocated even if the guest gives the GFN back) and mapped in keel's vmap
// window, reachable from any CPU until guest_unmap_page. Whoever maps a page
// unmaps it, at the latest in its *_domain_destroy. Target only.
#pragma once
#include <cstdint>

#include "lib/addr.hpp"
#include "lib/result.hpp"

namespace keel {

struct Domain;

struct GuestMap {
    void* va = nullptr;  // keel's address of the page (offset 0)
    Mfn mfn{};
};

/// Pins and maps page `gfn` of d: it must be d's RAM (writable RAM when
/// `writable`). Errno::Inval when it is not, NoSpc / NoMem when keel's window
/// or tables run out.
Result<GuestMap> guest_map_page(Domain& d, uint64_t gfn, bool writable);

/// Unmaps and unpins; m is empty afterwards (a second call does nothing).
void guest_unmap_page(GuestMap& m);

}  // namespace keel
