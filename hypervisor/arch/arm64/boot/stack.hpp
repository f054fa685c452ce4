// SPDX-License-Identifier: MIT
//
// arch/arm64/boot/stack.hpp
// Owns the per-CPU boot/hypervisor stacks (one 16 KiB stack per physical CPU;
// head.S indexes them by CPU number) and the MMU controls secondaries load.
#pragma once
#include <cstdint>

#include "build_config.hpp"

namespace keel::arm64 {

inline constexpr uint64_t kStackShift = 14;  // must match STACK_SHIFT in head.S
inline constexpr uint64_t kStackSize = uint64_t{1} << kStackShift;

struct alignas(16) CpuStack {
    unsigned char bytes[kStackSize];
};

// What a secondary CPU loads into its MMU registers before enabling it (head.S
// reads it with the MMU off, so the primary cleans it to the point of coherency).
struct SecondaryMmu {
    uint64_t mair;
    uint64_t tcr;
    uint64_t ttbr0;
    uint64_t sctlr;
};

}  // namespace keel::arm64

extern "C" {
extern keel::arm64::CpuStack g_cpu_stacks[keel::config::kMaxCpus];
extern keel::arm64::SecondaryMmu g_secondary_mmu;
}
