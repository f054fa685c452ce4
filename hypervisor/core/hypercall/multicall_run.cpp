// SPDX-License-Identifier: MIT
//
// core/hypercall/multicall_run.cpp
// Owns the multicall loop (see multicall_run.hpp). Pure.
#include "core/hypercall/multicall_run.hpp"

namespace keel {

long multicall_nested(Vcpu&, HypercallArgs&) { return hc_error(Errno::Inval); }

long run_multicall(Vcpu& v, HypercallArgs& a, const HypercallTable& entries, MulticallIo& io)
{
    uint64_t list = a.arg[0];
    const uint32_t nr = static_cast<uint32_t>(a.arg[1]);
    for (uint32_t i = 0; i < nr; ++i) {
        if (i != 0 && io.preempt()) {
            a.arg[0] = list;
            a.arg[1] = nr - i;
            return hypercall_continue(v, a);
        }
        xen::MulticallEntry e{};
        if (!io.read(list, e).ok()) return hc_error(Errno::Fault);

        HypercallArgs sub;
        for (unsigned k = 0; k < 5; ++k) sub.arg[k] = e.args[k];
        e.result = static_cast<uint64_t>(dispatch_hypercall(entries, v, e.op, sub));

        if (sub.preempted_continuation) {
            // The entry runs again from where it stopped: its arguments carry the progress.
            for (unsigned k = 0; k < 5; ++k) e.args[k] = sub.arg[k];
            if (!io.write_entry(list, e).ok()) return hc_error(Errno::Fault);
            a.arg[0] = list;
            a.arg[1] = nr - i;
            return hypercall_continue(v, a);
        }
        if (!io.write_result(list, e.result).ok()) return hc_error(Errno::Fault);
        list += sizeof(xen::MulticallEntry);
    }
    return 0;
}

}  // namespace keel
