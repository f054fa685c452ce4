// SPDX-License-Identifier: MIT
//
// arch/arm64/vcpu/id_reg_trap.cpp
// Owns guest reads of the ID registers: HCR_EL2.TID3 traps them (EC 0x18) and
// the guest gets guest_id_reg() of the host's value on this CPU. TID1 (REVIDR,
// AIDR) and TID2 (CTR, CLIDR, CCSIDR, CSSELR) are not set: those describe the
// cache and implementation, which are the hardware's and need no hiding.
#include "arch/arm64/vcpu/id_reg_trap.hpp"

#include "arch/arm64/hw/id_regs.hpp"
#include "arch/arm64/hw/sysreg.hpp"
#include "arch/arm64/mmu/stage2_control.hpp"
#include "arch/arm64/vcpu/guest_trap.hpp"
#include "arch/arm64/vcpu/id_view.hpp"
#include "arch/arm64/vcpu/inject.hpp"
#include "arch/arm64/vcpu/sve.hpp"
#include "core/boot/boot_state.hpp"
#include "core/console/log.hpp"
#include "core/domain/domain.hpp"
#include "core/domain/vcpu.hpp"
#include "core/memory/p2m.hpp"

namespace keel::arm64 {

GuestCpuConfig guest_cpu_config(const Domain& d)
{
    // [dom0] A direct-mapped domain's physical addresses are the host's (its
    // devices sit where the host DT says, e.g. QEMU virt's ECAM at 0x40_1000_0000):
    // it sees the host's PARange, as under Xen. What keel's 39-bit stage 2 cannot
    // map is a stage-2 fault (an abort injected), never a silent alias.
    const unsigned ipa_bits = d.direct_map ? 52 : vtcr_ipa_bits(p2m_vtcr());
    return GuestCpuConfig{.sve = d.sve_vl_bits != 0, .ipa_bits = ipa_bits};
}

Result<void> cpu_features_domain_init(Domain& d, int32_t sve_bits)
{
    if (boot_options().log_cpu_features) {
        for (unsigned crm = 1; crm < 8; ++crm) {
            uint64_t r[8];
            for (unsigned op2 = 0; op2 < 8; ++op2) r[op2] = read_host_id_reg(id_reg_index(crm, op2));
            log("keel: d{} ({}): host id {}: {:x} {:x} {:x} {:x} {:x} {:x} {:x} {:x}\n", d.id, d.name,
                crm, r[0], r[1], r[2], r[3], r[4], r[5], r[6], r[7]);
        }
    }
    return sve_domain_init(d, sve_bits);
}

void handle_id_reg(Vcpu& v, TrapFrame& frame, const TrappedSysReg& r)
{
    if (!r.read) {
        inject_undef(v);  // read-only registers
        return;
    }
    const unsigned index =
        id_reg_index(SysRegIss::CRm::get(r.key), SysRegIss::Op2::get(r.key));
    const HostCpuFacts facts{.aa64pfr0 = IdAa64Pfr0El1::read()};
    const uint64_t value =
        guest_id_reg(index, read_host_id_reg(index), facts, guest_cpu_config(*v.domain));
    if (r.rt < 31) frame.x[r.rt] = value;
    advance_pc(frame);
}

}  // namespace keel::arm64
