// SPDX-License-Identifier: MIT
//
// guests/common/exceptions.hpp
// Owns what a test guest does with its exceptions: IRQs are acknowledged
// through ICC_IAR1_EL1 and handed to the handler registered for the INTID; a
// synchronous exception is either one the test asked for (recorded, the
// faulting instruction stepped over) or a failure that ends the test.
#pragma once
#include <cstdint>

namespace guest {

// Layout written by vectors.S.
struct Frame {
    uint64_t x[31];
    uint64_t elr;
    uint64_t spsr;
    uint64_t esr;
    uint64_t far;
    uint64_t pad;
};
static_assert(sizeof(Frame) == 288);

using IrqHandler = void (*)(uint32_t intid);
inline constexpr uint32_t kMaxIrqHandlers = 64;  // SGIs, PPIs and SPIs up to 63

void set_irq_handler(uint32_t intid, IrqHandler fn);

/// A guest's own synchronous exceptions (e.g. debug exceptions): called first
/// for every synchronous exception from the current EL; true when it dealt
/// with it (the frame, ELR and SPSR included, is restored on return).
using SyncHook = bool (*)(Frame* f);
void set_sync_hook(SyncHook fn);

struct FaultRecord {
    bool taken = false;
    uint64_t esr = 0;
    uint64_t far = 0;
    uint64_t elr = 0;
};

/// The next synchronous exception on this vCPU is expected: record it and
/// resume after the faulting instruction (after an instruction abort: at the
/// return address in x30, so reach a bad address with a call).
void expect_fault();
/// What happened since expect_fault(); clears the expectation.
FaultRecord take_fault();

// ESR_EL1 exception classes (Arm ARM, ESR_ELx.EC).
inline constexpr uint32_t kEcDataAbortSameEl = 0x25;
inline constexpr uint32_t kEcInstrAbortSameEl = 0x21;
inline constexpr uint32_t kEcUnknown = 0x00;
constexpr uint32_t esr_ec(uint64_t esr) { return static_cast<uint32_t>((esr >> 26) & 0x3f); }
// Data abort ISS: WnR (bit 6), DFSC (bits 5:0).
constexpr bool esr_wnr(uint64_t esr) { return ((esr >> 6) & 1) != 0; }
constexpr uint32_t esr_dfsc(uint64_t esr) { return static_cast<uint32_t>(esr & 0x3f); }

}  // namespace guest
