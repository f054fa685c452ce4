// SPDX-License-Identifier: MIT
//
// core/hypercall/runstate.cpp
// Owns the runstate arithmetic (see runstate.hpp). Pure.
#include "core/hypercall/runstate.hpp"

namespace keel {

void runstate_change(RunstateAccount& r, xen::Runstate s, uint64_t now_ns)
{
    if (r.entry_ns != 0 && now_ns > r.entry_ns) {
        r.time[static_cast<uint32_t>(r.state) % xen::kNrRunstates] += now_ns - r.entry_ns;
    }
    r.state = s;
    r.entry_ns = now_ns;
}

xen::VcpuRunstateInfo runstate_info(const RunstateAccount& r)
{
    xen::VcpuRunstateInfo info{};
    info.state = static_cast<int32_t>(r.state);
    info.state_entry_time = r.entry_ns;
    for (unsigned i = 0; i < xen::kNrRunstates; ++i) info.time[i] = r.time[i];
    return info;
}

}  // namespace keel
