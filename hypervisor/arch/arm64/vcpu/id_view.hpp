// SPDX-License-Identifier: MIT
//
// arch/arm64/vcpu/id_view.hpp
// Owns the CPU feature view a domain's guests see: given the host's value of an
// AArch64 ID register (op0=3, op1=0, CRn=0, CRm=1..7, the ones HCR_EL2.TID3
// traps) and what the domain is given (SVE or not, its stage-2 IPA size), the
// value the guest reads. Only features keel virtualises (or that need nothing
// from a hypervisor) are shown; everything else reads as "not implemented".
// The table and the reason for each field are in docs/xen-compat.md ("CPU
// features guests see"). Pure: host-tested.
#pragma once
#include <cstddef>
#include <cstdint>

namespace keel::arm64 {

/// Index of an ID register in the ID space: CRm * 8 + op2 (CRm 1..7, op2 0..7).
constexpr unsigned id_reg_index(unsigned crm, unsigned op2) { return crm * 8 + op2; }
inline constexpr unsigned kIdRegFirst = id_reg_index(1, 0);
inline constexpr unsigned kIdRegEnd = id_reg_index(8, 0);  // one past CRm 7, op2 7

namespace idreg {
inline constexpr unsigned ID_PFR0 = id_reg_index(1, 0);
inline constexpr unsigned ID_DFR0 = id_reg_index(1, 2);
inline constexpr unsigned ID_AA64PFR0 = id_reg_index(4, 0);
inline constexpr unsigned ID_AA64PFR1 = id_reg_index(4, 1);
inline constexpr unsigned ID_AA64ZFR0 = id_reg_index(4, 4);
inline constexpr unsigned ID_AA64SMFR0 = id_reg_index(4, 5);
inline constexpr unsigned ID_AA64DFR0 = id_reg_index(5, 0);
inline constexpr unsigned ID_AA64ISAR0 = id_reg_index(6, 0);
inline constexpr unsigned ID_AA64ISAR1 = id_reg_index(6, 1);
inline constexpr unsigned ID_AA64ISAR2 = id_reg_index(6, 2);
inline constexpr unsigned ID_AA64MMFR0 = id_reg_index(7, 0);
inline constexpr unsigned ID_AA64MMFR1 = id_reg_index(7, 1);
inline constexpr unsigned ID_AA64MMFR2 = id_reg_index(7, 2);
}  // namespace idreg

/// What a domain is given beyond the base view.
struct GuestCpuConfig {
    bool sve = false;       // the domain has Xen's `sve` (ID_AA64PFR0.SVE, ID_AA64ZFR0 shown)
    unsigned ipa_bits = 40; // its stage-2 input size (caps ID_AA64MMFR0.PARange)
};

/// The host values the view needs besides the register itself: whether EL0
/// runs AArch32 (ID_AA64PFR0.EL0 == 2) decides whether the AArch32 ID
/// registers mean anything.
struct HostCpuFacts {
    uint64_t aa64pfr0 = 0;
};

/// The value a guest reads from ID register `index` (id_reg_index) when the
/// host's is `host`. Registers keel does not know read as zero (the
/// architecture's "reserved, RAZ" for this space).
uint64_t guest_id_reg(unsigned index, uint64_t host, const HostCpuFacts& facts,
                      const GuestCpuConfig& cfg);

/// The register's architectural name ("ID_AA64PFR0_EL1"), or nullptr for a
/// reserved encoding.
const char* id_reg_name(unsigned index);

/// ID_AA64MMFR0_EL1.PARange encoding of the largest physical size <= bits.
unsigned parange_for_bits(unsigned bits);

}  // namespace keel::arm64
