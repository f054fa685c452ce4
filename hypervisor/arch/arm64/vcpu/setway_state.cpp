// SPDX-License-Identifier: MIT
//
// arch/arm64/vcpu/setway_state.cpp
// Owns the set/way decisions and the resumable flush walk (see setway_state.hpp).
#include "arch/arm64/vcpu/setway_state.hpp"

namespace keel::arm64 {
namespace {

// (Re)start from the first page: what was flushed before the new request may
// be dirty again.
void start_flush(SetWayState& s)
{
    s.flushing = true;
    s.range = 0;
    s.page = 0;
    s.steps = 0;
    s.pages = 0;
}

}  // namespace

void setway_on_dc_sw(SetWayState& s)
{
    if (s.tvm) return;  // this batch of set/way operations is being handled
    s.tvm = true;
    start_flush(s);
}

void setway_on_vm_write(SetWayState& s, bool caches_were_on, bool caches_now_on)
{
    if (caches_were_on != caches_now_on) start_flush(s);
    if (caches_now_on) s.tvm = false;
}

bool setway_flush_step(SetWayState& s, const GfnRange* ranges, size_t count, uint64_t budget,
                       FlushPageFn flush_page, void* ctx)
{
    if (!s.flushing) return true;
    ++s.steps;
    while (s.range < count) {
        const GfnRange& r = ranges[s.range];
        while (s.page < r.pages) {
            if (budget == 0) return false;
            flush_page(ctx, r.first_gfn + s.page);
            ++s.page;
            ++s.pages;
            --budget;
        }
        ++s.range;
        s.page = 0;
    }
    s.flushing = false;
    s.range = 0;
    return true;
}

}  // namespace keel::arm64
