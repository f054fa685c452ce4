// SPDX-License-Identifier: MIT
//
// core/hypercall/hypercall_table.hpp
// Owns the shape of the hypercall dispatch table (style.md c.10): one entry
// per Xen hypercall number (0..63), each with its handler, how many arguments
// it takes and its name; an empty slot answers -ENOSYS, as Xen does for every
// number ARM has no handler for (ABI §2.2, Xen 4.17 hypercall-defs.c "arm"
// column: the deprecated *_compat calls are -ENOSYS too). The table is built
// at compile time from a set of handlers, so the host tests build it with
// fakes and the target (entry.cpp) with keel's handlers. Pure.
#pragma once
#include <array>
#include <cstdint>

#include "core/hypercall/hypercall.hpp"
#include "public/xen/xen.hpp"

namespace keel {

struct HypercallEntry {
    HypercallFn fn = nullptr;  // nullptr: -ENOSYS
    uint8_t nargs = 0;         // arguments it reads (x0..x{nargs-1})
    const char* name = nullptr;
};

using HypercallTable = std::array<HypercallEntry, xen::kNrHypercalls>;

// Every hypercall keel answers with something other than -ENOSYS.
struct HypercallHandlers {
    HypercallFn platform_op;
    HypercallFn memory_op;
    HypercallFn multicall;
    HypercallFn xen_version;
    HypercallFn console_io;
    HypercallFn grant_table_op;
    HypercallFn vm_assist;
    HypercallFn vcpu_op;
    HypercallFn sched_op;
    HypercallFn event_channel_op;
    HypercallFn hvm_op;
    HypercallFn sysctl;
    HypercallFn domctl;
    HypercallFn hypfs_op;
};

constexpr size_t hypercall_index(xen::Hypercall h) { return static_cast<size_t>(h); }

constexpr HypercallTable make_hypercall_table(const HypercallHandlers& h)
{
    HypercallTable t{};
    auto set = [&t](xen::Hypercall nr, HypercallFn fn, uint8_t nargs, const char* name) {
        t[hypercall_index(nr)] = HypercallEntry{fn, nargs, name};
    };
    using xen::Hypercall;
    set(Hypercall::PlatformOp, h.platform_op, 1, "platform_op");
    set(Hypercall::MemoryOp, h.memory_op, 2, "memory_op");
    set(Hypercall::Multicall, h.multicall, 2, "multicall");
    set(Hypercall::XenVersion, h.xen_version, 2, "xen_version");
    set(Hypercall::ConsoleIo, h.console_io, 3, "console_io");
    set(Hypercall::GrantTableOp, h.grant_table_op, 3, "grant_table_op");
    set(Hypercall::VmAssist, h.vm_assist, 2, "vm_assist");
    set(Hypercall::VcpuOp, h.vcpu_op, 3, "vcpu_op");
    set(Hypercall::SchedOp, h.sched_op, 2, "sched_op");
    set(Hypercall::EventChannelOp, h.event_channel_op, 2, "event_channel_op");
    set(Hypercall::HvmOp, h.hvm_op, 2, "hvm_op");
    set(Hypercall::Sysctl, h.sysctl, 1, "sysctl");
    set(Hypercall::Domctl, h.domctl, 1, "domctl");
    set(Hypercall::HypfsOp, h.hypfs_op, 5, "hypfs_op");
    // xsm_op (27): Xen without XSM answers -ENOSYS (dummy do_xsm_op); argo_op
    // (39) and dm_op (41) exist only with CONFIG_ARGO / CONFIG_IOREQ_SERVER,
    // off in Xen 4.17's ARM defaults; physdev_op (33) is -ENOSYS on ARM
    // without PCI. They stay empty.
    return t;
}

/// The same table with multicall replaced by `nested`: what a multicall's
/// entries are dispatched through (Xen refuses re-entry with -EINVAL).
constexpr HypercallTable without_multicall(HypercallTable t, HypercallFn nested)
{
    t[hypercall_index(xen::Hypercall::Multicall)].fn = nested;
    return t;
}

/// Runs hypercall `nr` from `t`: -ENOSYS when nr is out of range or its slot is empty.
/// Inline: it is on every hypercall's path, and it is two checks and a call.
inline long dispatch_hypercall(const HypercallTable& t, Vcpu& v, uint64_t nr, HypercallArgs& a)
{
    if (nr >= t.size()) return hc_error(Errno::NoSys);
    const HypercallEntry& e = t[static_cast<size_t>(nr)];
    if (e.fn == nullptr) return hc_error(Errno::NoSys);
    return e.fn(v, a);
}

/// The name of hypercall `nr` ("?" when unknown), for logs.
const char* hypercall_name(const HypercallTable& t, uint64_t nr);

}  // namespace keel
