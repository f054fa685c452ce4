// SPDX-License-Identifier: MIT
//
// guests/common/exceptions.cpp
// Owns guest_exception(), called by vectors.S for every exception.
#include "exceptions.hpp"

#include "arch.hpp"
#include "tap.hpp"

namespace guest {
namespace {

constinit IrqHandler g_irq[kMaxIrqHandlers] = {};
constinit volatile bool g_expect = false;
constinit FaultRecord g_fault;
constinit SyncHook g_sync_hook = nullptr;

constexpr uint64_t kKindSyncSpx = 4;  // current EL with SP_ELx, synchronous
constexpr uint64_t kKindIrqSpx = 5;   // current EL with SP_ELx, IRQ
constexpr uint32_t kSpecialIntid = 1020;

void handle_irqs()
{
    for (;;) {
        const auto intid = static_cast<uint32_t>(IccIar1::read() & 0xffffff);
        if (intid >= kSpecialIntid) return;
        if (intid < kMaxIrqHandlers && g_irq[intid] != nullptr) {
            g_irq[intid](intid);
        } else {
            tap::note("unexpected interrupt %u", intid);
        }
        IccEoir1::write(intid);  // EOImode 0: drop priority and deactivate
        isb();
    }
}

}  // namespace

void set_irq_handler(uint32_t intid, IrqHandler fn)
{
    if (intid < kMaxIrqHandlers) g_irq[intid] = fn;
}

void set_sync_hook(SyncHook fn) { g_sync_hook = fn; }

void expect_fault()
{
    g_fault = FaultRecord{};
    g_expect = true;
    dsb();
}

FaultRecord take_fault()
{
    dsb();
    g_expect = false;
    return g_fault;
}

}  // namespace guest

extern "C" void guest_exception(guest::Frame* f, uint64_t kind)
{
    using namespace guest;
    if (kind == kKindIrqSpx) {
        handle_irqs();
        return;
    }
    if (kind == kKindSyncSpx && g_sync_hook != nullptr && g_sync_hook(f)) return;
    if (kind == kKindSyncSpx && g_expect) {
        g_expect = false;
        g_fault.taken = true;
        g_fault.esr = f->esr;
        g_fault.far = f->far;
        g_fault.elr = f->elr;
        // A load/store is stepped over; a fetch from a bad address (reached
        // with BLR) returns to the caller.
        f->elr = esr_ec(f->esr) == kEcInstrAbortSameEl ? f->x[30] : f->elr + 4;
        return;
    }
    tap::bail("unexpected exception: kind %lu ESR %lx (EC %x) FAR %lx ELR %lx",
              static_cast<unsigned long>(kind), static_cast<unsigned long>(f->esr),
              esr_ec(f->esr), static_cast<unsigned long>(f->far),
              static_cast<unsigned long>(f->elr));
}
