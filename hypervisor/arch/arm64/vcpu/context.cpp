// SPDX-License-Identifier: MIT
//
// arch/arm64/vcpu/context.cpp
// Owns the vCPU context switch (see context.hpp). Order follows Xen's
// ctxt_switch_from/to: the virtual timer is saved before the vGIC (a timer that
// fires meanwhile is still captured as pending) and restored after it.
#include "arch/arm64/vcpu/context.hpp"

#include "arch/arm64/boot/stack.hpp"
#include "arch/arm64/hw/barrier.hpp"
#include "arch/arm64/hw/sysreg.hpp"
#include "arch/arm64/regs/hcr.hpp"
#include "arch/arm64/timer/vtimer.hpp"
#include "arch/arm64/vcpu/debug_regs.hpp"
#include "arch/arm64/vcpu/pmu_trap.hpp"
#include "arch/arm64/vcpu/setway.hpp"
#include "arch/arm64/vcpu/sve.hpp"
#include "arch/arm64/vgic/vgic.hpp"
#include "core/domain/domain.hpp"
#include "core/domain/vcpu.hpp"
#include "core/memory/p2m.hpp"
#include "core/percpu.hpp"

extern "C" {
void keel_fpsimd_save(keel::arm64::FpState* fp);
void keel_fpsimd_restore(const keel::arm64::FpState* fp);
[[noreturn]] void keel_enter_guest(const keel::arm64::TrapFrame* frame, uint64_t stack_top);
}

namespace keel::arm64 {
namespace {

void save_sysregs(VcpuSysregs& s)
{
    s.sctlr_el1 = SctlrEl1::read();
    s.cpacr_el1 = CpacrEl1::read();
    s.ttbr0_el1 = Ttbr0El1::read();
    s.ttbr1_el1 = Ttbr1El1::read();
    s.tcr_el1 = TcrEl1::read();
    s.esr_el1 = EsrEl1::read();
    s.afsr0_el1 = Afsr0El1::read();
    s.afsr1_el1 = Afsr1El1::read();
    s.far_el1 = FarEl1::read();
    s.mair_el1 = MairEl1::read();
    s.amair_el1 = AmairEl1::read();
    s.vbar_el1 = VbarEl1::read();
    s.contextidr_el1 = ContextidrEl1::read();
    s.tpidr_el0 = TpidrEl0::read();
    s.tpidr_el1 = TpidrEl1::read();
    s.tpidrro_el0 = TpidrroEl0::read();
    s.cntkctl_el1 = CntkctlEl1::read();
    s.par_el1 = ParEl1::read();
    s.sp_el0 = SpEl0::read();
    s.elr_el1 = ElrEl1::read();
    s.spsr_el1 = SpsrEl1::read();
    s.csselr_el1 = CsselrEl1::read();
    s.mdscr_el1 = MdscrEl1::read();
}

void restore_sysregs(const VcpuSysregs& s)
{
    SctlrEl1::write(s.sctlr_el1);
    CpacrEl1::write(s.cpacr_el1);
    Ttbr0El1::write(s.ttbr0_el1);
    Ttbr1El1::write(s.ttbr1_el1);
    TcrEl1::write(s.tcr_el1);
    EsrEl1::write(s.esr_el1);
    Afsr0El1::write(s.afsr0_el1);
    Afsr1El1::write(s.afsr1_el1);
    FarEl1::write(s.far_el1);
    MairEl1::write(s.mair_el1);
    AmairEl1::write(s.amair_el1);
    VbarEl1::write(s.vbar_el1);
    ContextidrEl1::write(s.contextidr_el1);
    TpidrEl0::write(s.tpidr_el0);
    TpidrEl1::write(s.tpidr_el1);
    TpidrroEl0::write(s.tpidrro_el0);
    CntkctlEl1::write(s.cntkctl_el1);
    ParEl1::write(s.par_el1);
    SpEl0::write(s.sp_el0);
    ElrEl1::write(s.elr_el1);
    SpsrEl1::write(s.spsr_el1);
    CsselrEl1::write(s.csselr_el1);
    MdscrEl1::write(s.mdscr_el1);
}

}  // namespace

void vcpu_cpu_init()
{
    VpidrEl2::write(MidrEl1::read());  // guests see the real CPU model (Xen does the same)
    VtcrEl2::write(p2m_vtcr());        // the same stage-2 geometry for every guest (stage-2 part)
    HcrEl2::write(kHcrGuest);
    debug_cpu_init();  // MDCR_EL2: debug and PMU registers trap
    pmu_cpu_init();    // keel's own counters stopped
    isb();
}

void vcpu_load(Vcpu& v, TrapFrame* frame)
{
    const Domain& d = *v.domain;
    HcrEl2::write(kHcrGuest | setway_hcr_bits(v.setway));
    VmpidrEl2::write(v.vmpidr);
    VttbrEl2::write(d.p2m.vttbr);
    CntvoffEl2::write(d.cntvoff);
    restore_sysregs(v.sysregs);
    debug_load(v.debug);
    if (!sve_load(v)) keel_fpsimd_restore(&v.fp);
    if (frame != nullptr) *frame = v.regs;
    vgic_restore(v);
    vtimer_restore(v);
    // The EL1 context and the stage-2 base take effect for the guest at the eret
    // (an exception return is context synchronizing); the isb covers keel's own
    // uses of them (AT, the vGIC/vtimer reads) before that.
    isb();
}

void vcpu_save(Vcpu& v, const TrapFrame& frame)
{
    v.regs = frame;
    vtimer_save(v);
    vgic_save(v);
    save_sysregs(v.sysregs);
    debug_put(v.debug);
    if (!sve_save(v)) keel_fpsimd_save(&v.fp);
}

void enter_vcpu(Vcpu& v)
{
    const CpuIndex cpu = this_cpu().index;
    // head.S: CPU n's stack is g_cpu_stacks[n], growing down from its end.
    const auto top = reinterpret_cast<uint64_t>(&g_cpu_stacks[cpu]) + kStackSize;
    keel_enter_guest(&v.regs, top);
}

}  // namespace keel::arm64
