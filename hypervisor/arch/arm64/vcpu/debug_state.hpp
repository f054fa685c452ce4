// SPDX-License-Identifier: MIT
//
// arch/arm64/vcpu/debug_state.hpp
// Owns a vCPU's self-hosted debug state and what a guest's access to a debug
// register does to it. keel traps every debug register access (MDCR_EL2.TDA,
// TDOSA, TDRA; regs/debug.hpp mdcr_guest) and keeps the guest's values here:
// breakpoints and watchpoints (DBGBVR/BCR/WVR/WCR<n>_EL1, n below the CPU's
// count), the OS lock (OSLAR/OSLSR_EL1), the claim tags (DBGCLAIMSET/CLR_EL1)
// and MDCCINT_EL1. MDSCR_EL1 lives with the other EL1 registers (VcpuSysregs)
// and is passed in. The rest reads as zero and ignores writes (OSDLR_EL1,
// DBGPRCR_EL1, MDRAR_EL1, the external-debug save/restore registers) or is
// undefined (the DCC data registers: the virtual CPU has no debug comms
// channel), as in Xen. Since every access traps, these values are the truth:
// the hardware holds them only while the vCPU runs with a breakpoint or
// watchpoint enabled or its OS lock set (debug_regs.cpp). Pure.
#pragma once
#include <cstdint>

namespace keel::arm64 {

struct VcpuDebug {
    static constexpr unsigned kMaxPoints = 16;  // ID_AA64DFR0_EL1.BRPs/WRPs are 4 bits
    uint64_t bvr[kMaxPoints] = {};
    uint64_t bcr[kMaxPoints] = {};
    uint64_t wvr[kMaxPoints] = {};
    uint64_t wcr[kMaxPoints] = {};
    uint64_t mdccint = 0;
    uint8_t claim = 0;     // DBGCLAIM tags (8 bits)
    bool os_lock = false;    // OSLSR_EL1.OSLK; unlocked at reset, as in Xen and KVM
    bool hw_wanted = false;  // debug_needs_hw() as of the last write
    bool on_cpu = false;     // debug_regs.cpp: the hardware holds these values now
};

// What the CPU has, as the emulation needs it.
struct DebugCaps {
    unsigned breakpoints = 0;  // ID_AA64DFR0_EL1.BRPs + 1
    unsigned watchpoints = 0;  // ID_AA64DFR0_EL1.WRPs + 1
    uint64_t authstatus = 0;   // DBGAUTHSTATUS_EL1 as the guest reads it
};

enum class DebugOutcome : uint8_t {
    NotDebug,      // not a debug register: someone else's
    Undef,         // undefined instruction for the guest
    Done,          // emulated; a read gives `value`
    DoneReloadHw,  // emulated write that changes what the hardware must hold
};

struct DebugAccess {
    DebugOutcome outcome = DebugOutcome::NotDebug;
    uint64_t value = 0;  // what an MRS reads
};

/// Emulates one trapped access (`key` as in sysreg_iss.hpp) by the guest at EL1
/// (or EL0 when from_el0). `mdscr` is the vCPU's MDSCR_EL1.
DebugAccess emulate_debug_reg(VcpuDebug& s, uint64_t& mdscr, const DebugCaps& caps, uint32_t key,
                              bool read, uint64_t value, bool from_el0);

/// The hardware must hold s while its vCPU runs: a breakpoint or watchpoint is
/// enabled, or the OS lock is set.
bool debug_needs_hw(const VcpuDebug& s, const DebugCaps& caps);

}  // namespace keel::arm64
