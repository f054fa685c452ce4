// SPDX-License-Identifier: MIT
//
// core/memory/foreign_map.hpp
// Owns foreign mapping: a privileged domain (dom0's privcmd, for libxc's
// xc_map_foreign_* and the toolstack) mapping pages of another domain's RAM
// into its own stage-2 — the XENMAPSPACE_gmfn_foreign entries of
// XENMEM_add_to_physmap_batch, their removal by XENMEM_remove_from_physmap,
// and XENMEM_acquire_resource. A foreign entry (P2mType::ForeignRw) holds one
// frame reference on the page it maps, so the page outlives its owner's death
// or ballooning until the mapping goes (remove, replacement, or the mapper's
// p2m_destroy); see core/memory/frame_ref.hpp. Semantics are Xen 4.17 on Arm
// (xen/arch/arm/mm.c xenmem_add_to_physmap_one, xen/common/memory.c);
// keel's differences are in docs/xen-compat.md "Foreign mapping". Target only.
#pragma once
#include <cstdint>

namespace keel {

struct Domain;
struct Vcpu;
struct HypercallArgs;

/// One XENMAPSPACE_gmfn_foreign entry: maps RAM page `idx` (a GFN) of domain
/// `foreign` at `gpfn` in d's stage-2. Returns 0 or Xen's per-entry -errno:
/// -ESRCH no such domain (or d's own numeric id), -EINVAL DOMID_SELF / a
/// dying domain / `idx` not RAM of that domain / `gpfn` beyond the IPA size,
/// -EPERM when d is not privileged, -EBUSY when `gpfn` holds something that
/// is not d's RAM or an older foreign mapping, -ENOMEM.
long foreign_map_one(Domain& d, uint16_t foreign, uint64_t idx, uint64_t gpfn);

/// XENMEM_remove_from_physmap of a foreign entry at `gfn`: unmapped and its
/// reference dropped. 0, or -ENOENT when `gfn` holds no foreign mapping.
long foreign_unmap(Domain& d, uint64_t gfn);

/// XENMEM_acquire_resource (cmd 28) with its argument at `arg`, from extent
/// `start` (continuations): for a privileged caller, frames of another
/// domain's grant table (type 1, id 0) mapped at the caller's GFNs in
/// frame_list as foreign entries; the size query (frame_list NULL) answers
/// kGrantMaxFrames. Other types: -EINVAL (ioreq server, vmtrace: none on Arm)
/// or -EOPNOTSUPP, as Xen 4.17 on Arm.
long acquire_resource(Vcpu& v, HypercallArgs& a, uint64_t arg, uint64_t start);

}  // namespace keel
