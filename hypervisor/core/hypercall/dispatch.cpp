// SPDX-License-Identifier: MIT
//
// core/hypercall/dispatch.cpp
// Owns running one hypercall from a table and marking continuations (see
// hypercall.hpp, hypercall_table.hpp). Pure.
#include "core/hypercall/hypercall_table.hpp"

namespace keel {

long dispatch_hypercall(const HypercallTable& t, Vcpu& v, uint64_t nr, HypercallArgs& a)
{
    if (nr >= t.size()) return hc_error(Errno::NoSys);
    const HypercallEntry& e = t[static_cast<size_t>(nr)];
    if (e.fn == nullptr) return hc_error(Errno::NoSys);
    return e.fn(v, a);
}

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
