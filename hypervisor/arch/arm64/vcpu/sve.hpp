// SPDX-License-Identifier: MIT
//
// arch/arm64/vcpu/sve.hpp
// Owns SVE for guests (Xen 4.18's dom0less "sve"): the host's largest vector
// length, a domain's vector length and its vCPUs' register buffers, and the
// switch of Z0-Z31, P0-P15, FFR, ZCR_EL1 and ZCR_EL2 (eager, only for vCPUs of
// a domain with SVE; others run with CPTR_EL2.TZ = 1, so SVE traps and is
// refused, and ID_AA64PFR0.SVE reads 0: id_view.hpp). Target only.
#pragma once
#include <cstdint>

#include "lib/result.hpp"

namespace keel {
struct Domain;
struct Vcpu;
}  // namespace keel

namespace keel::arm64 {

/// The largest SVE vector length this CPU offers, in bits; 0 without SVE.
unsigned sve_host_max_bits();

/// Gives d the vector length `requested` (DomainSpec::sve_bits: 0 none,
/// kSveHostMax the host's largest) and its vCPUs their SVE buffers. Errors
/// (logged): SVE asked for on a CPU without it, or longer than the CPU's.
Result<void> sve_domain_init(Domain& d, int32_t requested);

/// vcpu_load's part: CPTR_EL2.TZ and ZCR_EL2 for v's domain and, with SVE, v's
/// SVE registers, FPCR/FPSR and ZCR_EL1. False when v's domain has no SVE (the
/// caller restores FP/SIMD).
bool sve_load(Vcpu& v);

/// vcpu_save's part; false when v's domain has no SVE (the caller saves FP/SIMD).
bool sve_save(Vcpu& v);

}  // namespace keel::arm64
