// SPDX-License-Identifier: MIT
//
// arch/arm64/vgic/vgic_sgi.cpp
// Owns the ICC_SGI1R_EL1 decode declared in vgic_sgi.hpp.
#include "arch/arm64/vgic/vgic_sgi.hpp"

#include "arch/arm64/gic/gic_regs.hpp"
#include "arch/arm64/vgic/vgic_irq.hpp"
#include "core/domain/domain.hpp"
#include "core/domain/vcpu.hpp"

namespace keel::arm64::vgic {

SgiTargets decode_sgi1r(const Domain& d, const Vcpu& sender, uint64_t value)
{
    SgiTargets t;
    t.intid = IccSgi1r::Intid::get(value);
    const bool all_but_self = IccSgi1r::Irm::get(value);
    const uint32_t list = IccSgi1r::TargetList::get(value);
    const uint32_t rs = IccSgi1r::Rs::get(value);
    for (uint32_t i = 0; i < d.vcpu_count && i < kMaxVcpusPerDomain; ++i) {
        const Vcpu* v = d.vcpus[i];
        if (v == nullptr) continue;
        if (all_but_self) {
            if (v != &sender) t.vcpus |= uint32_t{1} << i;
            continue;
        }
        const uint64_t aff = vcpu_affinity(*v);
        if (Mpidr::Aff3::get(aff) != IccSgi1r::Aff3::get(value) ||
            Mpidr::Aff2::get(aff) != IccSgi1r::Aff2::get(value) ||
            Mpidr::Aff1::get(aff) != IccSgi1r::Aff1::get(value)) {
            continue;
        }
        const uint32_t aff0 = Mpidr::Aff0::get(aff);
        if (aff0 / 16 == rs && (list & (uint32_t{1} << (aff0 % 16)))) t.vcpus |= uint32_t{1} << i;
    }
    return t;
}

}  // namespace keel::arm64::vgic
