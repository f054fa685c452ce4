// SPDX-License-Identifier: MIT
//
// core/hypercall/handlers.hpp
// Owns the declarations of the hypercall core's handlers (one file each,
// named after the hypercall); entry.cpp puts them into the dispatch table.
// Target only.
#pragma once
#include "core/hypercall/hypercall_table.hpp"

namespace keel {

long do_xen_version(Vcpu& v, HypercallArgs& a);   // xen_version.cpp
long do_console_io(Vcpu& v, HypercallArgs& a);    // console_io.cpp
long do_vm_assist(Vcpu& v, HypercallArgs& a);     // vm_assist.cpp
long do_vcpu_op(Vcpu& v, HypercallArgs& a);       // vcpu_op.cpp
long do_sched_op(Vcpu& v, HypercallArgs& a);      // sched_op.cpp
long do_hvm_op(Vcpu& v, HypercallArgs& a);        // hvm_op.cpp
long do_multicall(Vcpu& v, HypercallArgs& a);     // multicall.cpp
long do_platform_op(Vcpu& v, HypercallArgs& a);   // privileged.cpp
long do_domctl(Vcpu& v, HypercallArgs& a);        // privileged.cpp
long do_sysctl(Vcpu& v, HypercallArgs& a);        // privileged.cpp
long do_hypfs_op(Vcpu& v, HypercallArgs& a);      // privileged.cpp

/// The table handle_hypercall dispatches through, and the one multicall
/// entries are dispatched through (multicall refused).
const HypercallTable& hypercall_table();
const HypercallTable& multicall_entry_table();

}  // namespace keel
