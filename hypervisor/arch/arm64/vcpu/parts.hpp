// SPDX-License-Identifier: MIT
//
// arch/arm64/vcpu/parts.hpp
// Owns nothing but the declarations the vCPU core calls in the other [guests]
// parts, spelled as docs/guests-design.md names them, with what the vCPU core
// expects of each. Until a part provides one, parts_stubs.cpp has a weak
// stand-in that logs once (so a missing part is visible, never silent).
#pragma once
#include <cstdint>

#include "arch/arm64/entry/trap_frame.hpp"
#include "core/memory/p2m.hpp"

namespace keel {
struct Vcpu;
struct Domain;
}  // namespace keel

namespace keel::arm64 {

// vGIC part (arch/arm64/vgic/). All called on the CPU that runs or ran v.
/// v is being loaded on this CPU: ICH_* registers and list registers from v
/// (ICH_HCR_EL2.En = 1), including interrupts made pending while v was off.
void vgic_restore(Vcpu& v);
/// v leaves this CPU: list registers folded back into v's state.
void vgic_save(Vcpu& v);
/// Whether v has an interrupt it would take if it were running (WFI). Called
/// while v is loaded, from its own trap.
bool vgic_has_pending(Vcpu& v);
/// The guest wrote `value` to ICC_SGI1R_EL1 (trapped; v is loaded).
void vgic_handle_sgi1r(Vcpu& v, uint64_t value);

// vtimer part (arch/arm64/timer/vtimer*).
/// v is being loaded on this CPU (after vgic_restore): CNTV_* from v.
void vtimer_restore(Vcpu& v);
/// v leaves this CPU (before vgic_save): CNTV_* into v; while v is off, a keel
/// timer on this CPU stands in for its virtual timer and injects PPI 27.
void vtimer_save(Vcpu& v);
/// v is Dead and about to be freed: drop whatever keel still holds for it
/// (the stand-in timer). Runs on v.processor, the CPU whose timer queue has it.
void vtimer_vcpu_destroy(Vcpu& v);

// stage-2 part (arch/arm64/vcpu/stage2_fault.*).
/// A data or instruction abort from the guest (ESR EC 0x24 / 0x20) that stage 2
/// reported: emulate MMIO through Domain::mmio (and advance the PC), or inject
/// an abort with inject_data_abort / inject_instr_abort.
void handle_stage2_abort(Vcpu& v, TrapFrame& frame);

}  // namespace keel::arm64

// stage-2 part, keel namespace: p2m_destroy(Domain&) and p2m_vtcr() in core/memory/p2m.hpp.
