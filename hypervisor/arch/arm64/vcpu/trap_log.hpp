// SPDX-License-Identifier: MIT
//
// arch/arm64/vcpu/trap_log.hpp
// Owns "log once per domain" for guest traps keel does not handle: one bit per
// exception class (Domain::logged_ec) and one per other event
// (Domain::logged_misc), so a guest that repeats something unsupported in a
// loop cannot flood keel's console. Pure.
#pragma once
#include <cstdint>

#include "arch/arm64/regs/esr.hpp"
#include "core/domain/domain.hpp"

namespace keel::arm64 {

enum class TrapEvent : uint32_t {
    UnknownSysReg = 1u << 0,  // a trapped system register keel does not emulate
    SgiGroup0 = 1u << 1,      // ICC_SGI0R_EL1 / ICC_ASGI1R_EL1 written (ignored)
    PhysTimer = 1u << 2,      // unused: CNTP_*_EL0 are emulated now (timer/ptimer.cpp)
    HvcImmediate = 1u << 3,   // HVC with an immediate other than 0 / 0xEA1
    SmcImmediate = 1u << 4,   // SMC with an immediate other than 0
    Fiq = 1u << 5,            // a physical FIQ while the guest ran
    Hypercall = 1u << 6,      // a Xen hypercall before the hypercall layer exists
    SetWayFlush = 1u << 7,    // set/way maintenance flushed the guest's RAM (setway.cpp)
};

/// True the first time `e` happens in d.
inline bool first_time(Domain& d, TrapEvent e)
{
    const auto bit = static_cast<uint32_t>(e);
    return (d.logged_misc.fetch_or(bit, std::memory_order_relaxed) & bit) == 0;
}

/// True the first time exception class `ec` goes unhandled in d.
inline bool first_time(Domain& d, ExceptionClass ec)
{
    const uint64_t bit = uint64_t{1} << static_cast<uint8_t>(ec);
    return (d.logged_ec.fetch_or(bit, std::memory_order_relaxed) & bit) == 0;
}

}  // namespace keel::arm64
