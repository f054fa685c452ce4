// SPDX-License-Identifier: MIT
//
// core/hypercall/hypercall.hpp
// Owns the interface every Xen hypercall handler in keel shares
// (docs/xen-abi-design.md "A → everyone"): the arguments as the guest passed
// them, the handler signature, the errno convention, the entry from the
// HVC #0xEA1 trap, and continuations (a long call stops, stores its progress
// in its arguments and has the guest re-execute the HVC).
//
// Register convention (ABI §2.1): number in x16, arguments x0-x4, result x0;
// keel preserves every other register (Xen release builds do the same).
#pragma once
#include <cstdint>

#include "lib/errno.hpp"

namespace keel {

struct Vcpu;
namespace arm64 {
struct TrapFrame;
}

struct HypercallArgs {
    uint64_t arg[5] = {};                 // x0..x4 on entry; what a continuation re-executes with
    bool preempted_continuation = false;  // set by hypercall_continue(): x0 is not written
};

/// A handler returns the value for x0: >= 0 success, -errno (Xen's values) failure.
using HypercallFn = long (*)(Vcpu& v, HypercallArgs& a);

constexpr long hc_error(Errno e) { return -static_cast<long>(e); }

/// HVC #0xEA1 from vCPU v (loaded on this CPU): dispatches by frame.x[16] and
/// writes x0, or carries out a continuation (x0-x4 from the args, PC back to
/// the HVC). Called by arch/arm64/vcpu/hvc_smc.cpp.
void handle_hypercall(Vcpu& v, arm64::TrapFrame& frame);

/// True when the calling vCPU's slice is over or this CPU has pending work (a
/// wake, a cross-CPU call): a long handler then returns hypercall_continue().
bool hypercall_preempt_check();

/// Marks the call as preempted: `a` (with the progress the handler stored in
/// it) goes back into x0-x4 and the HVC is executed again when the vCPU next
/// runs. The return value is not seen by the guest. Inside a multicall the
/// entry's arguments are updated instead (multicall.cpp).
long hypercall_continue(Vcpu& v, HypercallArgs& a);

}  // namespace keel
