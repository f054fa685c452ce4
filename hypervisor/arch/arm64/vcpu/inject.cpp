// SPDX-License-Identifier: MIT
//
// arch/arm64/vcpu/inject.cpp
// Owns writing an injected exception into the running vCPU (see inject.hpp).
#include "arch/arm64/vcpu/inject.hpp"

#include "arch/arm64/hw/sysreg.hpp"
#include "arch/arm64/vcpu/exception_entry.hpp"
#include "core/sched/schedule.hpp"
#include "lib/check.hpp"

namespace keel::arm64 {
namespace {

// ID_AA64MMFR1_EL1.PAN [23:20] != 0: FEAT_PAN (Arm ARM, ID_AA64MMFR1_EL1).
bool cpu_has_pan() { return BitField<23, 20, uint32_t>::get(IdAa64Mmfr1El1::read()) != 0; }

void deliver(Vcpu& v, uint64_t esr, bool set_far, uint64_t far)
{
    KEEL_CHECK(&v == current_vcpu());
    TrapFrame& f = current_frame();
    const El1Entry e =
        el1_sync_entry(f.elr, f.spsr, VbarEl1::read(), SctlrEl1::read(), cpu_has_pan());
    EsrEl1::write(esr);
    if (set_far) FarEl1::write(far);
    ElrEl1::write(e.elr);
    SpsrEl1::write(e.spsr);
    f.elr = e.pc;
    f.spsr = e.pstate;
}

// ESR_EL1.IL is RES1 for every exception injected here: EC 0 (unknown reason),
// instruction aborts, and data aborts without a valid syndrome (ISV = 0)
// (Arm ARM, ESR_EL1 "IL, bit [25]").
constexpr bool kIl = true;

}  // namespace

void inject_undef(Vcpu& v) { deliver(v, esr_undef(kIl), false, 0); }

void inject_data_abort(Vcpu& v, uint64_t far)
{
    deliver(v, esr_data_abort(current_frame().spsr, kIl), true, far);
}

void inject_instr_abort(Vcpu& v, uint64_t far)
{
    deliver(v, esr_instr_abort(current_frame().spsr, kIl), true, far);
}

}  // namespace keel::arm64
