// SPDX-License-Identifier: MIT
//
// core/domain/domain_table.hpp
// Owns the domain table: which domid names which Domain, creating a Domain with
// its vCPUs (objects in heap-pool frames, constructed in place) and freeing
// them again. dom0less domUs get domids from 1 (Xen's numbering); 0 is kept for
// a later dom0. What a domain *runs* (RAM, devices, vCPU 0's entry state) is the
// domain builder's job; how it ends is lifecycle's. Pure apart from where the
// frames come from (object_heap.hpp).
//
// Lifetime: a Domain* from find_domain()/for_each_domain() stays valid only
// while the domain cannot be destroyed under the caller — today that means the
// caller is one of its own vCPUs' traps, or boot before scheduling starts.
// (A counted DomainRef comes with domains that can be destroyed by others.)
#pragma once
#include <cstddef>
#include <cstdint>

#include "core/domain/domain.hpp"
#include "lib/result.hpp"

namespace keel {

inline constexpr size_t kMaxDomains = 32;  // domids 0 .. kMaxDomains-1

/// A new Domain in state Building, named `name` (truncated to kDomainNameMax-1),
/// with `nr_vcpus` Offline vCPUs (ids 0..nr_vcpus-1). Records the domain-pool
/// free count in frames_before_create. Errors: Inval (domid out of range, no
/// vCPU or more than kMaxVcpusPerDomain), Exist (domid taken), NoMem.
Result<Domain*> create_domain(const char* name, DomId domid, uint32_t nr_vcpus);

/// The domain with this domid, or nullptr.
Domain* find_domain(DomId domid);
/// How many domains the table holds (any state).
size_t domain_count();
/// Calls fn(d, ctx) for every domain in domid order. fn must not create or
/// free domains.
void for_each_domain(void (*fn)(Domain& d, void* ctx), void* ctx);

/// Removes d from the table and frees it and its vCPU objects. Only once no CPU
/// can touch them: every vCPU Offline (never started) or Dead, and its other
/// resources (stage-2, devices) already released. Returns how many domains the
/// table holds afterwards (decided under the table lock: exactly one caller
/// sees 0 for the last domain).
size_t free_domain(Domain& d);

/// Domain-pool free frames now (target: memory().domain(); host tests: a fake).
uint64_t domain_pool_free_frames();

}  // namespace keel
