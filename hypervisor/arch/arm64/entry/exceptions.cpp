// SPDX-License-Identifier: MIT
//
// arch/arm64/entry/exceptions.cpp
// Owns what happens after vectors.S: decoding which exception was taken and
// sending it to its handler. An exception keel did not expect prints a full
// report (ESR decoded, FAR, ELR, registers, backtrace) and stops every CPU.
#include "arch/arm64/entry/trap_frame.hpp"
#include "arch/arm64/gic/irq.hpp"
#include "arch/arm64/regs/esr.hpp"
#include "arch/arm64/smp/ipi.hpp"
#include "arch/arm64/vcpu/guest_trap.hpp"
#include "core/console/log.hpp"

extern "C" [[noreturn]] void park();

namespace keel::arm64 {
namespace {

// Out of line and cold: the report's formatting needs stack buffers (and so the
// stack protector), which the hot trap path then does not pay for.
[[noreturn, gnu::cold, gnu::noinline]] void unexpected_exception(const TrapFrame& frame, uint32_t kind)
{
    stop_all_cpus();  // [smp]
    const auto ec = Esr::Ec::get(frame.esr);
    log("keel: PANIC unexpected exception kind {} ESR {:#x} ({}) FAR {:#x} ELR {:#x}\n", kind,
        frame.esr, exception_class_name(ec), frame.far, frame.elr);
    park();
}

}  // namespace

extern "C" void keel_exception(TrapFrame* frame, uint32_t kind)
{
    // [gic] An IRQ taken at EL2 (only where keel opened PSTATE.I: the idle loop).
    if (static_cast<VectorKind>(kind) == VectorKind::CurrentSpxIrq) {
        dispatch_irqs();
        return;
    }
    // [vcpu] Anything from a guest (EL1/EL0, AArch64 or AArch32 EL0): its trap path.
    if (kind >= static_cast<uint32_t>(VectorKind::Lower64Sync) &&
        kind <= static_cast<uint32_t>(VectorKind::Lower32Serror)) {
        guest_trap(*frame, static_cast<VectorKind>(kind));
        return;
    }
    unexpected_exception(*frame, kind);
}

}  // namespace keel::arm64

namespace keel {
[[noreturn]] void panic(const char* file, int line, const char* what)
{
    arm64::stop_all_cpus();  // [smp]
    log("keel: PANIC {}:{}: {}\n", file, line, what);
    park();
}
}  // namespace keel
