// SPDX-License-Identifier: MIT
//
// arch/arm64/vcpu/vcpu_context.hpp
// Owns the arm64 register state of a vCPU beyond its general registers:
// VcpuSysregs (EL1 system registers keel switches) and FpState (Q0-Q31, FPCR,
// FPSR). (Placeholder shape; the vCPU part fills it in.)
#pragma once
#include <cstdint>

namespace keel::arm64 {

struct VcpuSysregs {
    uint64_t sctlr_el1 = 0;
};

struct alignas(16) FpState {
    uint64_t q[64] = {};  // Q0..Q31, 128 bits each
    uint64_t fpcr = 0;
    uint64_t fpsr = 0;
};

}  // namespace keel::arm64
