// SPDX-License-Identifier: MIT
//
// arch/arm64/vgic/vgic_sgi.hpp
// Owns decoding a guest's ICC_SGI1R_EL1 write (GICv3 spec, IHI 0069,
// ICC_SGI1R_EL1): which SGI, and which vCPUs of the sender's domain it targets
// (IRM = 1: all but the sender; else the vCPUs whose Aff3.Aff2.Aff1 match and
// whose Aff0 is RS * 16 + n for a set TargetList bit n). Pure.
#pragma once
#include <cstdint>

namespace keel {
struct Domain;
struct Vcpu;
}  // namespace keel

namespace keel::arm64::vgic {

struct SgiTargets {
    uint32_t intid = 0;  // 0-15
    uint32_t vcpus = 0;  // bit i: vCPU i of the domain
};

SgiTargets decode_sgi1r(const Domain& d, const Vcpu& sender, uint64_t value);

}  // namespace keel::arm64::vgic
