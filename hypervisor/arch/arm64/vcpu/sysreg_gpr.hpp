// SPDX-License-Identifier: MIT
//
// arch/arm64/vcpu/sysreg_gpr.hpp
// Owns reading and writing the general register Rt of a trapped MRS/MSR in
// the guest's TrapFrame (Rt = 31 is XZR: reads as zero, writes are discarded).
#pragma once
#include <cstdint>

#include "arch/arm64/entry/trap_frame.hpp"

namespace keel::arm64 {

inline uint64_t sysreg_rt_value(const TrapFrame& f, uint32_t rt) { return rt < 31 ? f.x[rt] : 0; }
inline void sysreg_set_rt(TrapFrame& f, uint32_t rt, uint64_t value)
{
    if (rt < 31) f.x[rt] = value;
}

}  // namespace keel::arm64
