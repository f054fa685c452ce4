// SPDX-License-Identifier: MIT
//
// arch/arm64/gic/irq.cpp
// Owns the INTID → handler table and the dispatch loop (see irq.hpp).
#include "arch/arm64/gic/irq.hpp"

#include "arch/arm64/gic/gic.hpp"
#include "arch/arm64/gic/gic_regs.hpp"
#include "build_config.hpp"
#include "core/console/log.hpp"
#include "core/percpu.hpp"

namespace keel::arm64 {
namespace {

struct IrqEntry {
    IrqHandler fn = nullptr;
    void* context = nullptr;
    const char* name = nullptr;
};
// Written by the boot CPU before the INTID is enabled, read-only afterwards.
constinit IrqEntry g_irq_table[kIntidLimit];
// Per CPU: the handler running now forwarded its interrupt to a guest.
constinit bool g_forwarded[config::kMaxCpus];

}  // namespace

void register_irq(uint32_t intid, IrqHandler fn, void* context, const char* name)
{
    if (intid >= kIntidLimit) return;
    g_irq_table[intid] = IrqEntry{fn, context, name};
}

bool irq_registered(uint32_t intid) { return intid < kIntidLimit && g_irq_table[intid].fn != nullptr; }

void irq_forwarded_to_guest() { g_forwarded[this_cpu().index] = true; }

void dispatch_irqs()
{
    PerCpu& self = this_cpu();
    for (;;) {
        const uint32_t intid = gic::acknowledge();
        if (intid >= kFirstSpecialIntid) break;  // 1020-1023: spurious / nothing for us
        const IrqEntry& e = g_irq_table[intid];
        g_forwarded[self.index] = false;
        if (e.fn != nullptr) {
            e.fn(intid, e.context);
        } else {
            log("keel: CPU {}: unexpected interrupt {} (no handler), disabled\n", self.index,
                intid);
            gic::disable(intid);
        }
        gic::priority_drop(intid);
        if (!g_forwarded[self.index]) gic::deactivate(intid);
        ++self.irq_count;
    }
}

}  // namespace keel::arm64
