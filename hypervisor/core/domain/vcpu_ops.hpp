// SPDX-License-Identifier: MIT
//
// core/domain/vcpu_ops.hpp
// Owns creating and freeing a Vcpu object and finding one by its virtual MPIDR.
// Running, waking and kicking vCPUs is the scheduler's (core/sched/schedule.hpp);
// their register state is arch/arm64/vcpu/'s. Pure.
#pragma once
#include <cstdint>

#include "core/domain/domain.hpp"
#include "core/domain/vcpu.hpp"
#include "lib/result.hpp"

namespace keel {

/// vCPU `id` of d: a new Offline Vcpu with Xen's virtual MPIDR and the arm64
/// reset context (arch/arm64/vcpu/initial_state.hpp), stored in d.vcpus[id].
/// Errors: Inval (id >= kMaxVcpusPerDomain), Exist (already there), NoMem.
Result<Vcpu*> create_vcpu(Domain& d, uint32_t id);

/// Frees a Vcpu from create_vcpu() and clears its slot in its domain.
void free_vcpu(Vcpu& v);

/// The vCPU of d whose MPIDR affinity (Aff3..Aff0) equals `mpidr`'s, or nullptr
/// (PSCI CPU_ON's target; the other MPIDR bits are ignored).
Vcpu* vcpu_by_mpidr(Domain& d, uint64_t mpidr);

}  // namespace keel
