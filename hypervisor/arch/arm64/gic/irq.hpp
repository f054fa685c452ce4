// SPDX-License-Identifier: MIT
//
// arch/arm64/gic/irq.hpp
// Owns the EL2 interrupt dispatcher: the table of handlers keel registered by
// INTID, and the acknowledge / handle / priority-drop / deactivate loop that runs
// when an IRQ is taken at EL2 (exceptions.cpp calls dispatch_irqs()).
#pragma once
#include <cstdint>

namespace keel::arm64 {

/// Runs with interrupts masked on the CPU that took the interrupt. Must be short;
/// deferrable work goes to the CPU's pending-work bits.
using IrqHandler = void (*)(uint32_t intid, void* context);

/// Registers the handler of `intid` (0-1019), the same on every CPU for SGIs and
/// PPIs. Boot CPU, before the interrupt is enabled; re-registering replaces.
void register_irq(uint32_t intid, IrqHandler fn, void* context, const char* name);

/// Whether `intid` has a handler (someone in keel owns it).
bool irq_registered(uint32_t intid);

/// Called from a handler: the interrupt it handles was forwarded to a guest
/// through a hardware-linked list register (ICH_LR<n>_EL2.HW = 1), so the
/// guest's deactivation of the virtual interrupt deactivates it. dispatch_irqs()
/// then only drops its priority (ICC_EOIR1_EL1) and leaves it active.
void irq_forwarded_to_guest();

/// Handles every pending Group 1 interrupt of this CPU: ICC_IAR1_EL1, the
/// handler, ICC_EOIR1_EL1, ICC_DIR_EL1 (unless the handler called
/// irq_forwarded_to_guest()); stops at a special INTID (1020-1023).
/// An INTID without a handler is reported once and disabled. Counts into
/// PerCpu::irq_count.
void dispatch_irqs();

}  // namespace keel::arm64
