// SPDX-License-Identifier: MIT
//
// arch/arm64/vcpu/sysreg_trap.cpp
// Owns the emulation of the system registers and instructions keel's HCR_EL2 /
// CNTHCTL_EL2 settings make trap (ESR_EL2 EC 0x18), what Linux needs of them:
//  - DC ISW/CSW/CISW (HCR_EL2.TSW) and, while HCR_EL2.TVM is set for the vCPU,
//    writes to the VM controls: setway.cpp (flush of the guest's RAM, as Xen).
//  - debug registers (MDCR_EL2.TDA/TDOSA/TDRA): debug_regs.cpp, per vCPU.
//  - PMU registers (MDCR_EL2.TPM/TPMCR): pmu_trap.cpp, hidden as in Xen.
//  - ACTLR_EL1 (HCR_EL2.TAC): reads give the host's value, writes are ignored
//    (Xen does the same).
//  - ICC_SGI1R_EL1 (GICv3, trapped with HCR_EL2.IMO): the vGIC's
//    vgic_handle_sgi1r(); ICC_SGI0R_EL1 / ICC_ASGI1R_EL1 (Group 0 / other
//    security state SGIs, meaningless to a Non-secure guest): ignored.
//  - CNTP_{CTL,CVAL,TVAL}_EL0 (CNTHCTL_EL2.EL1PCEN = 0): the emulated EL1
//    physical timer, arch/arm64/timer/ptimer.cpp (PPI 30).
//  - the ID registers (HCR_EL2.TID3): id_reg_trap.cpp, the domain's view.
// Anything else: undefined instruction, logged once per domain.
#include "arch/arm64/hw/sysreg.hpp"
#include "arch/arm64/regs/esr.hpp"
#include "arch/arm64/timer/ptimer.hpp"
#include "arch/arm64/vcpu/debug_regs.hpp"
#include "arch/arm64/vcpu/id_reg_trap.hpp"
#include "arch/arm64/vcpu/guest_trap.hpp"
#include "arch/arm64/vcpu/inject.hpp"
#include "arch/arm64/vcpu/pmu_trap.hpp"
#include "arch/arm64/vcpu/setway.hpp"
#include "arch/arm64/vcpu/sysreg_iss.hpp"
#include "arch/arm64/vcpu/trap_log.hpp"
#include "arch/arm64/vgic/vgic.hpp"
#include "core/console/log.hpp"
#include "core/domain/vcpu.hpp"

namespace keel::arm64 {
namespace {

// Rt = 31 is XZR for MRS/MSR: reads as zero, writes are discarded.
uint64_t reg_value(const TrapFrame& f, uint32_t rt) { return rt < 31 ? f.x[rt] : 0; }
void set_reg(TrapFrame& f, uint32_t rt, uint64_t value)
{
    if (rt < 31) f.x[rt] = value;
}

void log_once(Vcpu& v, TrapEvent e, const char* what, const TrapFrame& f)
{
    if (first_time(*v.domain, e)) {
        log("keel: d{} vCPU {}: {} at PC {:#x} (ESR {:#x}; logged once)\n", v.domain->id, v.id,
            what, f.elr, f.esr);
    }
}

}  // namespace

void handle_sysreg(Vcpu& v, TrapFrame& frame)
{
    const TrappedSysReg r = decode_sysreg_iss(Esr::Iss::get(frame.esr));
    if (is_id_space(r.key)) {
        handle_id_reg(v, frame, r);
        return;
    }
    switch (r.key) {
    case sysreg::ACTLR_EL1:
        if (r.read) set_reg(frame, r.rt, ActlrEl1::read());
        break;
    case sysreg::ICC_SGI1R_EL1:
        if (r.read) {
            inject_undef(v);  // write-only register
            return;
        }
        vgic_handle_sgi1r(v, reg_value(frame, r.rt));
        break;
    case sysreg::ICC_SGI0R_EL1:
    case sysreg::ICC_ASGI1R_EL1:
        log_once(v, TrapEvent::SgiGroup0, "ICC_SGI0R/ASGI1R_EL1 write ignored", frame);
        break;
    case sysreg::CNTP_CTL_EL0:
    case sysreg::CNTP_CVAL_EL0:
    case sysreg::CNTP_TVAL_EL0: {
        uint64_t value = reg_value(frame, r.rt);
        ptimer_access(v, r.key, r.read, value);
        if (r.read) set_reg(frame, r.rt, value);
        break;
    }
    default:
        // These advance the PC or inject an exception themselves.
        if (handle_setway_sysreg(v, frame, r) || handle_debug_sysreg(v, frame, r) ||
            handle_pmu_sysreg(v, frame, r)) {
            return;
        }
        if (first_time(*v.domain, TrapEvent::UnknownSysReg)) {
            const uint32_t iss = Esr::Iss::get(frame.esr);
            log("keel: d{} vCPU {}: {} S{}_{}_C{}_C{}_{} at PC {:#x}: undefined instruction "
                "injected (first unknown system register; logged once)\n",
                v.domain->id, v.id, r.read ? "MRS" : "MSR", SysRegIss::Op0::get(iss),
                SysRegIss::Op1::get(iss), SysRegIss::CRn::get(iss), SysRegIss::CRm::get(iss),
                SysRegIss::Op2::get(iss), frame.elr);
        }
        inject_undef(v);
        return;
    }
    advance_pc(frame);
}

}  // namespace keel::arm64
