// SPDX-License-Identifier: MIT
//
// core/memory/memory_op.hpp
// Owns HYPERVISOR_memory_op (XENMEM_*) for keel's domains and the per-domain
// shared_info page: a zeroed heap-pool page allocated at domain creation,
// reachable by keel at Domain::shared_info for the domain's whole life and
// shown to the guest where it asks (add_to_physmap, XENMAPSPACE_shared_info),
// freed at destruction. Semantics are Xen 4.17 on ARM (xen/common/memory.c,
// xen/arch/arm/mm.c); keel's differences are in docs/xen-compat.md.
#pragma once
#include <cstdint>

#include "lib/result.hpp"

namespace keel {

struct Domain;
struct Vcpu;
struct HypercallArgs;

namespace xen {
struct SharedInfo;
}

/// The domain's shared_info page (never null after memory_domain_init).
xen::SharedInfo* domain_shared_info(Domain& d);

/// Allocates and zeroes d's shared_info page (at creation, after p2m_init).
Result<void> memory_domain_init(Domain& d);
/// Frees it (after p2m_destroy: the guest can no longer reach it).
void memory_domain_destroy(Domain& d);

/// HYPERVISOR_memory_op(cmd, arg).
long do_memory_op(Vcpu& v, HypercallArgs& a);

}  // namespace keel
