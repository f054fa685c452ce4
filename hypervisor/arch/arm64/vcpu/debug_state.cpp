// SPDX-License-Identifier: MIT
//
// arch/arm64/vcpu/debug_state.cpp
// Owns emulate_debug_reg() and debug_needs_hw() (see debug_state.hpp).
// Encodings: Arm ARM DDI 0487, "Debug registers" (op0 = 2).
#include "arch/arm64/vcpu/debug_state.hpp"

#include "arch/arm64/regs/debug.hpp"
#include "arch/arm64/vcpu/sysreg_iss.hpp"

namespace keel::arm64 {
namespace {

namespace dbg {
inline constexpr uint32_t OSDTRRX_EL1 = sysreg_key(2, 0, 0, 0, 2);
inline constexpr uint32_t MDCCINT_EL1 = sysreg_key(2, 0, 0, 2, 0);
inline constexpr uint32_t MDSCR_EL1 = sysreg_key(2, 0, 0, 2, 2);
inline constexpr uint32_t OSDTRTX_EL1 = sysreg_key(2, 0, 0, 3, 2);
inline constexpr uint32_t OSECCR_EL1 = sysreg_key(2, 0, 0, 6, 2);
inline constexpr uint32_t MDRAR_EL1 = sysreg_key(2, 0, 1, 0, 0);
inline constexpr uint32_t OSLAR_EL1 = sysreg_key(2, 0, 1, 0, 4);
inline constexpr uint32_t OSLSR_EL1 = sysreg_key(2, 0, 1, 1, 4);
inline constexpr uint32_t OSDLR_EL1 = sysreg_key(2, 0, 1, 3, 4);
inline constexpr uint32_t DBGPRCR_EL1 = sysreg_key(2, 0, 1, 4, 4);
inline constexpr uint32_t DBGCLAIMSET_EL1 = sysreg_key(2, 0, 7, 8, 6);
inline constexpr uint32_t DBGCLAIMCLR_EL1 = sysreg_key(2, 0, 7, 9, 6);
inline constexpr uint32_t DBGAUTHSTATUS_EL1 = sysreg_key(2, 0, 7, 14, 6);
inline constexpr uint32_t MDCCSR_EL0 = sysreg_key(2, 3, 0, 1, 0);
inline constexpr uint32_t DBGDTR_EL0 = sysreg_key(2, 3, 0, 4, 0);
inline constexpr uint32_t DBGDTRRXTX_EL0 = sysreg_key(2, 3, 0, 5, 0);
}  // namespace dbg

// DBGBVR/BCR/WVR/WCR<n>_EL1: op0 = 2, op1 = 0, CRn = 0, CRm = n, op2 = 4..7.
constexpr uint32_t kPointKeyMask = SysRegIss::Op0::kMask | SysRegIss::Op1::kMask |
                                   SysRegIss::CRn::kMask;
constexpr uint32_t kPointKeyBase = sysreg_key(2, 0, 0, 0, 0);
// Address bits [1:0] of DBGBVR/DBGWVR are RES0.
constexpr uint64_t kPointValueMask = ~uint64_t{3};

constexpr DebugAccess undef() { return {DebugOutcome::Undef, 0}; }
constexpr DebugAccess done(uint64_t v = 0) { return {DebugOutcome::Done, v}; }
constexpr DebugAccess reload() { return {DebugOutcome::DoneReloadHw, 0}; }

DebugAccess point_access(VcpuDebug& s, const DebugCaps& caps, uint32_t key, bool read,
                         uint64_t value)
{
    const unsigned n = SysRegIss::CRm::get(key);
    const unsigned op2 = SysRegIss::Op2::get(key);
    const bool watch = op2 >= 6;
    if (n >= (watch ? caps.watchpoints : caps.breakpoints) || n >= VcpuDebug::kMaxPoints) {
        return undef();  // the register does not exist on this CPU
    }
    uint64_t* reg = nullptr;
    uint64_t mask = 0;
    switch (op2) {
    case 4: reg = &s.bvr[n]; mask = kPointValueMask; break;
    case 5: reg = &s.bcr[n]; mask = kDbgbcrWritable; break;
    case 6: reg = &s.wvr[n]; mask = kPointValueMask; break;
    default: reg = &s.wcr[n]; mask = kDbgwcrWritable; break;
    }
    if (read) return done(*reg);
    *reg = value & mask;
    return reload();
}

// Read-only registers: a write is undefined.
constexpr DebugAccess read_only(bool read, uint64_t v) { return read ? done(v) : undef(); }

}  // namespace

DebugAccess emulate_debug_reg(VcpuDebug& s, uint64_t& mdscr, const DebugCaps& caps, uint32_t key,
                              bool read, uint64_t value, bool from_el0)
{
    if (SysRegIss::Op0::get(key) != 2) return {};
    // EL0 reaches only the DCC registers (when MDSCR_EL1.TDCC is 0).
    const bool el0_register = SysRegIss::Op1::get(key) == 3;
    if (from_el0 && !el0_register) return undef();

    if ((key & kPointKeyMask) == kPointKeyBase && SysRegIss::Op2::get(key) >= 4) {
        return point_access(s, caps, key, read, value);
    }
    switch (key) {
    case dbg::MDSCR_EL1:
        if (read) return done(mdscr & kMdscrGuestWritable);
        mdscr = value & kMdscrGuestWritable;
        return done();
    case dbg::MDCCINT_EL1:
        if (read) return done(s.mdccint);
        s.mdccint = value;
        return done();
    case dbg::OSLAR_EL1:
        if (read) return undef();  // write-only
        s.os_lock = (value & 1) != 0;
        return reload();
    case dbg::OSLSR_EL1:
        return read_only(read, Oslsr::Oslm1::make(true) | Oslsr::Oslk::make(s.os_lock));
    case dbg::DBGCLAIMSET_EL1:
    case dbg::DBGCLAIMCLR_EL1:
        if (read) return done(s.claim);
        if (key == dbg::DBGCLAIMSET_EL1) {
            s.claim = static_cast<uint8_t>(s.claim | value);
        } else {
            s.claim = static_cast<uint8_t>(s.claim & ~value);
        }
        return done();
    case dbg::DBGAUTHSTATUS_EL1: return read_only(read, caps.authstatus);
    case dbg::MDRAR_EL1: return read_only(read, 0);  // no memory-mapped debug view
    case dbg::MDCCSR_EL0: return read_only(read, 0);  // the DCC is never full
    case dbg::OSDLR_EL1:
    case dbg::DBGPRCR_EL1:
    case dbg::OSDTRRX_EL1:
    case dbg::OSDTRTX_EL1:
    case dbg::OSECCR_EL1: return done(0);  // RAZ/WI
    case dbg::DBGDTR_EL0:
    case dbg::DBGDTRRXTX_EL0: return undef();  // no debug comms channel
    default: return {};
    }
}

bool debug_needs_hw(const VcpuDebug& s, const DebugCaps& caps)
{
    if (s.os_lock) return true;
    for (unsigned n = 0; n < caps.breakpoints && n < VcpuDebug::kMaxPoints; ++n) {
        if (DbgCtrlEnable::get(s.bcr[n])) return true;
    }
    for (unsigned n = 0; n < caps.watchpoints && n < VcpuDebug::kMaxPoints; ++n) {
        if (DbgCtrlEnable::get(s.wcr[n])) return true;
    }
    return false;
}

}  // namespace keel::arm64
