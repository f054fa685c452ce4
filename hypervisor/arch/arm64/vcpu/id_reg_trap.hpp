// SPDX-License-Identifier: MIT
//
// arch/arm64/vcpu/id_reg_trap.hpp
// Owns guest reads of the ID registers (HCR_EL2.TID3): the value is the
// domain's view (id_view.hpp) of the host's register; a new domain's CPU
// features. Target only.
#pragma once
#include "arch/arm64/entry/trap_frame.hpp"
#include "arch/arm64/vcpu/sysreg_iss.hpp"
#include "lib/result.hpp"

namespace keel {
struct Vcpu;
struct Domain;
}  // namespace keel

namespace keel::arm64 {

struct GuestCpuConfig;

/// True when `r` is in the ID space (op0=3, op1=0, CRn=0, CRm=1..7).
constexpr bool is_id_space(uint32_t key)
{
    return (key & ~(SysRegIss::CRm::kMask | SysRegIss::Op2::kMask)) == sysreg_key(3, 0, 0, 0, 0) &&
           SysRegIss::CRm::get(key) != 0;
}

/// Emulates the trapped access `r` to the ID space: a read gets the domain's
/// view, a write (the registers are read-only) an undefined instruction.
void handle_id_reg(Vcpu& v, TrapFrame& frame, const TrappedSysReg& r);

/// What domain d is given (SVE or not, its IPA size).
GuestCpuConfig guest_cpu_config(const Domain& d);

/// A new domain's CPU features: SVE as its node asks (`sve_bits`:
/// DomainSpec::sve_bits; sve.hpp), and with keel.log_cpu_features the host's ID
/// registers in the log ("keel: d1 (domU1): host id <CRm>: <op2 0..7>"), which
/// the cpu-id scenario feeds to build/host/.../keel_id_view.
Result<void> cpu_features_domain_init(Domain& d, int32_t sve_bits);

}  // namespace keel::arm64
