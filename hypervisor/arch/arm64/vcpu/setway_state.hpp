// SPDX-License-Identifier: MIT
//
// arch/arm64/vcpu/setway_state.hpp
// Owns what set/way cache maintenance means for a guest (Xen's p2m.c
// p2m_set_way_flush / p2m_toggle_cache): set/way operations cannot be
// virtualized one by one (the guest does not own the caches' sets and ways,
// and a vCPU moves between CPUs), so the first DC ISW/CSW/CISW cleans and
// invalidates the guest's whole RAM to the point of coherency and starts
// trapping the virtual memory controls (HCR_EL2.TVM); while they trap, a
// write that turns the guest's MMU+caches on or off flushes again, and once
// they are on, trapping stops until the next set/way operation. The flush goes
// page by page over the guest's RAM ranges with a budget per step, so a large
// domain is flushed over several traps (the trapping instruction is retried
// until the flush is done) and the CPU can be rescheduled in between. Pure;
// setway.cpp does it on the hardware.
#pragma once
#include <cstddef>
#include <cstdint>

namespace keel::arm64 {

struct SetWayState {
    bool tvm = false;       // HCR_EL2.TVM is set for this vCPU
    bool flushing = false;  // a flush of the guest's RAM is under way
    uint32_t range = 0;     // where the flush goes on: range index ...
    uint64_t page = 0;      // ... and page within it
    uint32_t steps = 0;     // steps (traps) the current or last flush took
    uint64_t pages = 0;     // pages it flushed
};

struct GfnRange {
    uint64_t first_gfn = 0;
    uint64_t pages = 0;
};

/// SCTLR_EL1.M and .C both set: the guest's accesses to its RAM are cacheable.
constexpr bool guest_caches_on(uint64_t sctlr_el1) { return (sctlr_el1 & 0x5) == 0x5; }

/// DC ISW/CSW/CISW (a write; reads do not exist). On the first one since the
/// vCPU's caches were last turned on: flush, and trap the VM controls.
void setway_on_dc_sw(SetWayState& s);

/// A trapped write to a VM control register (SCTLR_EL1, TTBR0/1_EL1, TCR_EL1,
/// ...), with the caches' state before and after it. A toggle flushes; caches
/// on stops the trapping.
void setway_on_vm_write(SetWayState& s, bool caches_were_on, bool caches_now_on);

/// Flushes the next pages of the ranges, at most `budget` of them, through
/// flush_page(ctx, gfn); true when the flush is complete (then s.flushing is
/// false). A flush that is not under way is complete at once.
using FlushPageFn = void (*)(void* ctx, uint64_t gfn);
bool setway_flush_step(SetWayState& s, const GfnRange* ranges, size_t count, uint64_t budget,
                       FlushPageFn flush_page, void* ctx);

}  // namespace keel::arm64
