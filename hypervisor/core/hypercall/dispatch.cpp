// SPDX-License-Identifier: MIT
//
// core/hypercall/dispatch.cpp
// Owns naming a hypercall from a table and marking continuations (see
// hypercall.hpp, hypercall_table.hpp; running one, dispatch_hypercall, is inline
// in hypercall_table.hpp). Pure.
#include "core/hypercall/hypercall_table.hpp"

namespace keel {

const char* hypercall_name(const HypercallTable& t, uint64_t nr)
{
    if (nr >= t.size() || t[static_cast<size_t>(nr)].name == nullptr) return "?";
    return t[static_cast<size_t>(nr)].name;
}

long hypercall_continue(Vcpu&, HypercallArgs& a)
{
    a.preempted_continuation = true;
    return 0;
}

}  // namespace keel
