// SPDX-License-Identifier: MIT
//
// core/domain/vcpu_ops.cpp
// Owns Vcpu object creation/freeing and the MPIDR lookup (see vcpu_ops.hpp).
#include "core/domain/vcpu_ops.hpp"

#include <new>

#include "arch/arm64/vcpu/initial_state.hpp"
#include "core/domain/object_heap.hpp"

namespace keel {

namespace {
// MPIDR_EL1 affinity fields Aff3 [39:32], Aff2..Aff0 [23:0] (Arm ARM, MPIDR_EL1).
constexpr uint64_t kMpidrAffinityMask = 0xff'00ff'ffffull;
}  // namespace

Result<Vcpu*> create_vcpu(Domain& d, uint32_t id)
{
    if (id >= kMaxVcpusPerDomain) return Errno::Inval;
    if (d.vcpus[id] != nullptr) return Errno::Exist;
    void* mem = alloc_object_frames(sizeof(Vcpu));
    if (mem == nullptr) return Errno::NoMem;
    Vcpu* v = new (mem) Vcpu{};
    v->domain = &d;
    v->id = id;
    v->vmpidr = arm64::vcpu_vmpidr(id);
    arm64::reset_vcpu_context(v->regs, v->sysregs, 0, 0);
    d.vcpus[id] = v;
    if (id + 1 > d.vcpu_count) d.vcpu_count = id + 1;
    return v;
}

void free_vcpu(Vcpu& v)
{
    Domain* d = v.domain;
    if (d != nullptr && v.id < kMaxVcpusPerDomain && d->vcpus[v.id] == &v) d->vcpus[v.id] = nullptr;
    v.~Vcpu();
    free_object_frames(&v, sizeof(Vcpu));
}

Vcpu* vcpu_by_mpidr(Domain& d, uint64_t mpidr)
{
    for (Vcpu* v : d.vcpus) {
        if (v != nullptr && ((v->vmpidr ^ mpidr) & kMpidrAffinityMask) == 0) return v;
    }
    return nullptr;
}

}  // namespace keel
