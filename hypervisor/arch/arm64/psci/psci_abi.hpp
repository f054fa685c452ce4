// SPDX-License-Identifier: MIT
//
// arch/arm64/psci/psci_abi.hpp
// Owns the PSCI facts keel uses as a caller (Arm Power State Coordination
// Interface, DEN 0022): the SMC64/SMC32 function IDs, the return codes, the
// version encoding, and how a return code maps onto keel's Errno. Pure; the
// calls themselves are psci.cpp's job. (vPSCI for guests will reuse these.)
#pragma once
#include <cstdint>

#include "lib/bits.hpp"
#include "lib/errno.hpp"

namespace keel::arm64::psci {

// Function IDs (DEN 0022, "Function prototypes"): 0x84... are SMC32, 0xC4... SMC64.
inline constexpr uint32_t PSCI_VERSION = 0x8400'0000;
inline constexpr uint32_t CPU_OFF = 0x8400'0002;
inline constexpr uint32_t CPU_ON = 0xC400'0003;  // SMC64: (target MPIDR, entry PA, context id)
inline constexpr uint32_t AFFINITY_INFO = 0xC400'0004;
inline constexpr uint32_t SYSTEM_OFF = 0x8400'0008;
inline constexpr uint32_t SYSTEM_RESET = 0x8400'0009;
inline constexpr uint32_t PSCI_FEATURES = 0x8400'000A;

// Return codes (DEN 0022, "Return error codes"), as the signed value in w0.
enum class Status : int32_t {
    Success = 0,
    NotSupported = -1,
    InvalidParameters = -2,
    Denied = -3,
    AlreadyOn = -4,
    OnPending = -5,
    InternalFailure = -6,
    NotPresent = -7,
    Disabled = -8,
    InvalidAddress = -9,
};

// The low 32 bits of x0 as a PSCI status (PSCI returns int32 even for SMC64 calls).
constexpr Status status_of(uint64_t x0)
{
    return static_cast<Status>(static_cast<int32_t>(x0 & 0xffff'ffffu));
}

const char* status_name(Status s);
Errno errno_of(Status s);

// PSCI_VERSION result: major [30:16], minor [15:0]; bit 31 is zero on success.
struct Version {
    using Minor = BitField<15, 0, uint32_t>;
    using Major = BitField<30, 16, uint32_t>;
};

static_assert(status_of(0xffff'ffff'ffff'fffeull) == Status::InvalidParameters);
static_assert(Version::Major::get(0x1'0000) == 1 && Version::Minor::get(0x1'0001) == 1);

}  // namespace keel::arm64::psci
