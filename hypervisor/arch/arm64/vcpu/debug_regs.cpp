// SPDX-License-Identifier: MIT
//
// arch/arm64/vcpu/debug_regs.cpp
// Owns MDCR_EL2, the trapped debug register accesses and the lazy switch of
// the breakpoint/watchpoint registers (see debug_regs.hpp).
//
// Why trap every access instead of handing the registers to a vCPU that
// touched them (KVM's "dirty" scheme): with TDA always set the VcpuDebug copy
// is the truth, so a vCPU leaving the CPU needs no save, only its enables
// cleared (when it had any), and the DCC and the external-debug view never
// reach a guest. Debuggers program these registers rarely; the trap costs
// them, not the switch of every vCPU.
#include "arch/arm64/vcpu/debug_regs.hpp"

#include "arch/arm64/hw/barrier.hpp"
#include "arch/arm64/hw/debug_sysreg.hpp"
#include "arch/arm64/regs/debug.hpp"
#include "arch/arm64/vcpu/exception_entry.hpp"
#include "arch/arm64/vcpu/guest_trap.hpp"
#include "arch/arm64/vcpu/inject.hpp"
#include "arch/arm64/vcpu/sysreg_gpr.hpp"
#include "core/domain/vcpu.hpp"

namespace keel::arm64 {
namespace {

// DBGAUTHSTATUS_EL1 as a guest sees it: Non-secure invasive and non-invasive
// debug implemented and enabled (NSID, NSNID = 0b11), no Secure state
// (SID, SNID = 0b00). Not the host's value: some CPUs (QEMU's cortex-a57) do
// not implement the register at all.
constexpr uint64_t kGuestDbgAuthStatus = 0xf;

DebugCaps debug_caps()
{
    const uint64_t dfr0 = IdAa64Dfr0El1::read();
    return DebugCaps{breakpoint_count(dfr0), watchpoint_count(dfr0), kGuestDbgAuthStatus};
}

unsigned limit(unsigned n) { return n < VcpuDebug::kMaxPoints ? n : VcpuDebug::kMaxPoints; }

void set_os_lock(bool locked)
{
    OslarEl1::write(locked ? 1 : 0);
}

// The hardware gets every breakpoint/watchpoint register and the OS lock of s.
void load_points(const VcpuDebug& s, const DebugCaps& caps)
{
    for (unsigned n = 0; n < limit(caps.breakpoints); ++n) {
        write_dbg_point(DbgPointReg::Bcr, n, 0);  // disabled while its address changes
        write_dbg_point(DbgPointReg::Bvr, n, s.bvr[n]);
        write_dbg_point(DbgPointReg::Bcr, n, s.bcr[n]);
    }
    for (unsigned n = 0; n < limit(caps.watchpoints); ++n) {
        write_dbg_point(DbgPointReg::Wcr, n, 0);
        write_dbg_point(DbgPointReg::Wvr, n, s.wvr[n]);
        write_dbg_point(DbgPointReg::Wcr, n, s.wcr[n]);
    }
    set_os_lock(s.os_lock);
}

// Back to what a vCPU without debug state runs with: nothing enabled, OS lock open.
void clear_points(const DebugCaps& caps, bool os_lock_was_set)
{
    for (unsigned n = 0; n < limit(caps.breakpoints); ++n) write_dbg_point(DbgPointReg::Bcr, n, 0);
    for (unsigned n = 0; n < limit(caps.watchpoints); ++n) write_dbg_point(DbgPointReg::Wcr, n, 0);
    if (os_lock_was_set) set_os_lock(false);
}

// After a write that changed what the hardware must hold (v is running here).
void sync_hw(VcpuDebug& s, const DebugCaps& caps)
{
    s.hw_wanted = debug_needs_hw(s, caps);
    if (s.hw_wanted) {
        load_points(s, caps);
        s.on_cpu = true;
    } else if (s.on_cpu) {
        clear_points(caps, true);
        s.on_cpu = false;
    }
}

}  // namespace

void debug_cpu_init()
{
    const uint64_t dfr0 = IdAa64Dfr0El1::read();
    const uint8_t pmcr_n = has_pmuv3(dfr0) ? Pmcr::N::get(PmcrEl0::read()) : 0;
    MdcrEl2::write(mdcr_guest(dfr0, pmcr_n));
    // Whatever firmware or a previous owner left: no breakpoint or watchpoint
    // enabled, and the OS lock (set by a cold reset) open, so a guest's own
    // debug state is the only one that counts.
    clear_points(debug_caps(), true);
    isb();
}

bool handle_debug_sysreg(Vcpu& v, TrapFrame& frame, const TrappedSysReg& r)
{
    if (SysRegIss::Op0::get(r.key) != 2) return false;
    const DebugCaps caps = debug_caps();
    const uint64_t mdscr_before = MdscrEl1::read();
    uint64_t mdscr = mdscr_before;
    const DebugAccess a = emulate_debug_reg(v.debug, mdscr, caps, r.key, r.read,
                                            sysreg_rt_value(frame, r.rt), from_el0(frame.spsr));
    switch (a.outcome) {
    case DebugOutcome::NotDebug: return false;
    case DebugOutcome::Undef: inject_undef(v); return true;
    case DebugOutcome::DoneReloadHw: sync_hw(v.debug, caps); break;
    case DebugOutcome::Done: break;
    }
    if (r.read) sysreg_set_rt(frame, r.rt, a.value);
    if (mdscr != mdscr_before) MdscrEl1::write(mdscr);  // in effect at the eret
    advance_pc(frame);
    return true;
}

void debug_load_slow(VcpuDebug& s)
{
    load_points(s, debug_caps());
    s.on_cpu = true;
}

void debug_put_slow(VcpuDebug& s)
{
    clear_points(debug_caps(), s.os_lock);
    s.on_cpu = false;
}

}  // namespace keel::arm64
