// SPDX-License-Identifier: MIT
//
// arch/arm64/vcpu/setway.cpp
// Owns the set/way traps and the guest RAM flush on the hardware (see setway.hpp).
#include "arch/arm64/vcpu/setway.hpp"

#include "arch/arm64/hw/barrier.hpp"
#include "arch/arm64/hw/sysreg.hpp"
#include "arch/arm64/regs/hcr.hpp"
#include "arch/arm64/vcpu/guest_trap.hpp"
#include "arch/arm64/vcpu/setway_state.hpp"
#include "arch/arm64/vcpu/sysreg_gpr.hpp"
#include "arch/arm64/vcpu/trap_log.hpp"
#include "core/console/log.hpp"
#include "core/domain/domain.hpp"
#include "core/domain/vcpu.hpp"
#include "core/memory/guest_copy.hpp"

namespace keel::arm64 {
namespace {

namespace vmreg {  // the registers HCR_EL2.TVM traps writes to (Arm ARM, HCR_EL2.TVM)
inline constexpr uint32_t SCTLR_EL1 = sysreg_key(3, 0, 1, 0, 0);
inline constexpr uint32_t TTBR0_EL1 = sysreg_key(3, 0, 2, 0, 0);
inline constexpr uint32_t TTBR1_EL1 = sysreg_key(3, 0, 2, 0, 1);
inline constexpr uint32_t TCR_EL1 = sysreg_key(3, 0, 2, 0, 2);
inline constexpr uint32_t AFSR0_EL1 = sysreg_key(3, 0, 5, 1, 0);
inline constexpr uint32_t AFSR1_EL1 = sysreg_key(3, 0, 5, 1, 1);
inline constexpr uint32_t ESR_EL1 = sysreg_key(3, 0, 5, 2, 0);
inline constexpr uint32_t FAR_EL1 = sysreg_key(3, 0, 6, 0, 0);
inline constexpr uint32_t MAIR_EL1 = sysreg_key(3, 0, 10, 2, 0);
inline constexpr uint32_t AMAIR_EL1 = sysreg_key(3, 0, 10, 3, 0);
inline constexpr uint32_t CONTEXTIDR_EL1 = sysreg_key(3, 0, 13, 0, 1);
}  // namespace vmreg

// Writes a VM control register for the guest; false when `key` is not one.
bool write_vm_reg(uint32_t key, uint64_t v)
{
    switch (key) {
    case vmreg::SCTLR_EL1: SctlrEl1::write(v); return true;
    case vmreg::TTBR0_EL1: Ttbr0El1::write(v); return true;
    case vmreg::TTBR1_EL1: Ttbr1El1::write(v); return true;
    case vmreg::TCR_EL1: TcrEl1::write(v); return true;
    case vmreg::AFSR0_EL1: Afsr0El1::write(v); return true;
    case vmreg::AFSR1_EL1: Afsr1El1::write(v); return true;
    case vmreg::ESR_EL1: EsrEl1::write(v); return true;
    case vmreg::FAR_EL1: FarEl1::write(v); return true;
    case vmreg::MAIR_EL1: MairEl1::write(v); return true;
    case vmreg::AMAIR_EL1: AmairEl1::write(v); return true;
    case vmreg::CONTEXTIDR_EL1: ContextidrEl1::write(v); return true;
    default: return false;
    }
}

void flush_one_page(void* ctx, uint64_t gfn)
{
    // A page that is not RAM any more (given back) has nothing to flush.
    (void)clean_inval_guest_page(*static_cast<Domain*>(ctx), gfn);
}

// One budget of the flush; true when it is complete.
bool flush_step(Vcpu& v)
{
    Domain& d = *v.domain;
    GfnRange ranges[P2m::kMaxRamRanges];
    size_t n = 0;
    for (size_t i = 0; i < d.p2m.ram_range_count && i < P2m::kMaxRamRanges; ++i) {
        const Range<GuestPhysAddr>& r = d.p2m.ram[i];
        ranges[n++] = GfnRange{r.base.raw() >> kPageShift, r.size >> kPageShift};
    }
    return setway_flush_step(v.setway, ranges, n, kSetWayFlushPagesPerTrap, flush_one_page, &d);
}

}  // namespace

bool handle_setway_sysreg(Vcpu& v, TrapFrame& frame, const TrappedSysReg& r)
{
    switch (r.key) {
    case sysreg::DC_ISW:
    case sysreg::DC_CSW:
    case sysreg::DC_CISW: setway_on_dc_sw(v.setway); break;
    default: {
        if (r.read) return false;  // TRVM is never set: reads do not trap
        const bool was_on = guest_caches_on(SctlrEl1::read());
        if (!write_vm_reg(r.key, sysreg_rt_value(frame, r.rt))) return false;
        setway_on_vm_write(v.setway, was_on, guest_caches_on(SctlrEl1::read()));
        break;
    }
    }
    const bool was_flushing = v.setway.flushing;
    const bool done = flush_step(v);
    if (was_flushing && done && first_time(*v.domain, TrapEvent::SetWayFlush)) {
        log("keel: d{} vCPU {}: set/way maintenance: guest RAM cleaned and invalidated "
            "({} pages in {} steps; logged once)\n",
            v.domain->id, v.id, v.setway.pages, v.setway.steps);
    }
    HcrEl2::write(kHcrGuest | setway_hcr_bits(v.setway));  // in effect at the eret
    if (done) advance_pc(frame);  // else: the instruction runs again and flushes on
    return true;
}

}  // namespace keel::arm64
