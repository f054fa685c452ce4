// SPDX-License-Identifier: MIT
//
// core/grant/grant_table.hpp
// Owns a domain's grant table (v1 only, as Xen on ARM): its shared frames
// (keel heap pages the guest maps in its GUEST_GNTTAB window with
// XENMEM_add_to_physmap(grant_table, idx); grown on demand up to
// kGrantMaxFrames), keel's active-entry records (pin counts), the maptrack of
// the mappings this domain made of others' grants, and GNTTABOP_*.
//
// A grant mapping is a GrantMapRw/Ro stage-2 entry in the mapper's p2m at the
// guest-physical host_addr; it holds one frame reference on the granted page
// (p2m_get_page in the granter's p2m), so the page outlives the granter until
// the mapper unmaps or ends (Xen semantics).
//
// Locks: Domain::grant_lock protects Domain::grants and everything in it.
// Order grant → p2m → pool; two domains' grant locks are never held together
// (a map/copy takes the granter's, drops it, then takes the mapper's).
// Another domain is reached by domid (// needs: part A's DomainRef); its
// grants may be gone (nullptr) once it is Dead.
#pragma once
#include <cstdint>

#include "lib/addr.hpp"
#include "lib/result.hpp"

namespace keel {

struct Domain;
struct Vcpu;
struct HypercallArgs;

inline constexpr uint32_t kGrantMaxFrames = 64;  // Xen's default max_grant_frames

/// Sets up an empty grant table (no frame yet) for a new domain.
Result<void> grant_domain_init(Domain& d);
/// Undoes every mapping d made of others' grants, then frees d's table. Run
/// when no vCPU of d runs any more, before p2m_destroy(d).
void grant_domain_destroy(Domain& d);

/// XENMEM_add_to_physmap(XENMAPSPACE_grant_table, idx, gfn): grows the table
/// to idx + 1 frames if need be and maps frame idx at gfn (over RAM, which is
/// given back). Returns 0 or -errno (Xen 4.17 ARM: -EINVAL for a status frame
/// or idx ≥ max, -EBUSY when the frame is already mapped somewhere).
long grant_map_frame_at(Domain& d, uint64_t idx, uint64_t gfn);
/// XENMEM_remove_from_physmap of a grant frame: true when gfn held one (now unmapped).
bool grant_unmap_frame_at(Domain& d, uint64_t gfn);

/// XENMEM_acquire_resource(grant_table, shared): frame `idx` of d's table
/// (grown to idx + 1 frames if need be) with one frame reference taken for
/// the caller's foreign mapping (frame_put it). A referenced frame outlives
/// the table: grant_domain_destroy leaves it to the last frame_put, which
/// gives it back to the heap pool. Errno::Inval for idx ≥ kGrantMaxFrames or
/// a table already destroyed, Errno::NoMem.
Result<Mfn> grant_frame_acquire(Domain& d, uint32_t idx);

/// HYPERVISOR_grant_table_op(cmd, ptr, count).
long do_grant_table_op(Vcpu& v, HypercallArgs& a);

}  // namespace keel
