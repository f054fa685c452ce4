// SPDX-License-Identifier: MIT
//
// include/public/xen/sched.hpp
// Owns the HYPERVISOR_sched_op part of the Xen guest ABI as keel defines it
// (AArch64): SCHEDOP_* numbers, SHUTDOWN_* reasons and the op structs (Xen's
// public sched.h; docs: ../shared/docs/xen-arm-guest-abi.md §2.3, §3.11).
// Freestanding.
#pragma once
#include <cstddef>
#include <cstdint>

#include "public/xen/xen.hpp"

namespace keel::xen {

enum class SchedOp : uint32_t {
    Yield = 0,
    Block = 1,
    Shutdown = 2,        // SchedShutdown
    Poll = 3,            // SchedPoll
    RemoteShutdown = 4,  // SchedRemoteShutdown
    ShutdownCode = 5,    // SchedShutdown
    Watchdog = 6,        // SchedWatchdog
    PinOverride = 7,
};

enum class Shutdown : uint32_t {
    Poweroff = 0,
    Reboot = 1,
    Suspend = 2,
    Crash = 3,
    Watchdog = 4,
    SoftReset = 5,
};

struct SchedShutdown {
    uint32_t reason;  // Shutdown
};
static_assert(sizeof(SchedShutdown) == 4);

struct SchedPoll {
    uint64_t ports;     // guest handle: evtchn_port_t array (a guest virtual address)
    uint32_t nr_ports;
    uint32_t pad0;
    uint64_t timeout;   // absolute system time in ns, 0: none
};
static_assert(sizeof(SchedPoll) == 24);
static_assert(offsetof(SchedPoll, nr_ports) == 8);
static_assert(offsetof(SchedPoll, timeout) == 16);

struct SchedRemoteShutdown {
    domid_t domain_id;
    uint8_t pad0[2];
    uint32_t reason;
};
static_assert(sizeof(SchedRemoteShutdown) == 8);
static_assert(offsetof(SchedRemoteShutdown, reason) == 4);

struct SchedWatchdog {
    uint32_t id;       // 0: allocate a new watchdog
    uint32_t timeout;  // seconds; 0: destroy
};
static_assert(sizeof(SchedWatchdog) == 8);

}  // namespace keel::xen
