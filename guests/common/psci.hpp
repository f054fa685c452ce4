// SPDX-License-Identifier: MIT
//
// guests/common/psci.hpp
// Owns the guest's PSCI calls over HVC (Arm DEN0022 PSCI, function ids and
// return codes for the SMC64/SMC32 calling convention).
#pragma once
#include <cstdint>

namespace guest::psci {

inline constexpr uint64_t kVersion = 0x84000000;
inline constexpr uint64_t kCpuOff = 0x84000002;
inline constexpr uint64_t kCpuOn = 0xC4000003;       // SMC64
inline constexpr uint64_t kAffinityInfo = 0xC4000004;  // SMC64
inline constexpr uint64_t kSystemOff = 0x84000008;
inline constexpr uint64_t kFeatures = 0x8400000A;

inline constexpr int64_t kSuccess = 0;
inline constexpr int64_t kNotSupported = -1;
inline constexpr int64_t kInvalidParameters = -2;
inline constexpr int64_t kAlreadyOn = -4;
inline constexpr int64_t kOnPending = -5;

// AFFINITY_INFO results.
inline constexpr int64_t kAffinityOn = 0;
inline constexpr int64_t kAffinityOff = 1;
inline constexpr int64_t kAffinityOnPending = 2;

uint32_t version();  // major << 16 | minor
int64_t cpu_on(uint64_t mpidr, uint64_t entry, uint64_t context);
int64_t affinity_info(uint64_t mpidr);
[[noreturn]] void cpu_off();
[[noreturn]] void system_off();

}  // namespace guest::psci
