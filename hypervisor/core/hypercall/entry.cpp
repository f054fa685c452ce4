// SPDX-License-Identifier: MIT
//
// core/hypercall/entry.cpp
// Owns the HVC #0xEA1 entry (see hypercall.hpp): arguments from the trap
// frame, dispatch through keel's table, the result or the continuation back
// into the frame; the preemption check long handlers poll. Target only.
#include "arch/arm64/entry/trap_frame.hpp"
#include "arch/arm64/vcpu/trap_log.hpp"
#include "core/console/log.hpp"
#include "core/domain/domain.hpp"
#include "core/domain/vcpu.hpp"
#include "core/hypercall/handlers.hpp"
#include "core/event/event_channel.hpp"
#include "core/grant/grant_table.hpp"
#include "core/hypercall/multicall_run.hpp"
#include "core/memory/memory_op.hpp"
#include "core/sched/schedule.hpp"

namespace keel {
namespace {

constexpr HypercallHandlers kHandlers{
    .platform_op = do_platform_op,
    .memory_op = do_memory_op,
    .multicall = do_multicall,
    .xen_version = do_xen_version,
    .console_io = do_console_io,
    .grant_table_op = do_grant_table_op,
    .vm_assist = do_vm_assist,
    .vcpu_op = do_vcpu_op,
    .sched_op = do_sched_op,
    .event_channel_op = do_event_channel_op,
    .hvm_op = do_hvm_op,
    .sysctl = do_sysctl,
    .domctl = do_domctl,
    .hypfs_op = do_hypfs_op,
};

constexpr HypercallTable kTable = make_hypercall_table(kHandlers);
constexpr HypercallTable kMulticallEntries = without_multicall(kTable, multicall_nested);

// Out of line and cold: log()'s buffers would otherwise put a stack-protector
// frame on every hypercall.
[[gnu::cold, gnu::noinline]] void log_not_implemented(Vcpu& v, uint64_t nr)
{
    if (arm64::first_time(*v.domain, arm64::TrapEvent::Hypercall)) {
        log("keel: d{} vCPU {}: hypercall {} ({}) not implemented: -ENOSYS (logged once)\n",
            v.domain->id, v.id, nr, hypercall_name(kTable, nr));
    }
}

}  // namespace

const HypercallTable& hypercall_table() { return kTable; }
const HypercallTable& multicall_entry_table() { return kMulticallEntries; }

void handle_hypercall(Vcpu& v, arm64::TrapFrame& frame)
{
    const uint64_t nr = frame.x[16];
    HypercallArgs a;
    for (unsigned i = 0; i < 5; ++i) a.arg[i] = frame.x[i];
    const long r = dispatch_hypercall(kTable, v, nr, a);
    if (a.preempted_continuation) {
        // ELR_EL2 points after the HVC: back by one instruction re-executes it
        // with the progress the handler stored in x0-x4.
        for (unsigned i = 0; i < 5; ++i) frame.x[i] = a.arg[i];
        frame.elr -= 4;
        return;
    }
    if (r == hc_error(Errno::NoSys) && (nr >= kTable.size() || kTable[nr].fn == nullptr)) {
        log_not_implemented(v, nr);
    }
    frame.x[0] = static_cast<uint64_t>(r);
}

bool hypercall_preempt_check() { return sched_preempt_pending(); }

}  // namespace keel
