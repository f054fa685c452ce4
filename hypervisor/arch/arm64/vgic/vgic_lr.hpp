// SPDX-License-Identifier: MIT
//
// arch/arm64/vgic/vgic_lr.hpp
// Owns list-register management for one vCPU, over a copy of its list
// registers (LrFile) so it runs the same on the host as on the CPU: retiring
// LRs the guest finished with (sync), folding every LR back into the banks
// (fold_all, on deschedule), and filling free LRs with the interrupts the vCPU
// should see next (fill: active ones first, then pending by priority, evicting a
// lower-priority pending LR when all are taken). The caller reads the hardware
// LRs into the file and writes back the `dirty` ones. Domain vGIC lock held.
#pragma once
#include <cstdint>

#include "arch/arm64/vgic/ich_regs.hpp"
#include "arch/arm64/vgic/vgic_state.hpp"

namespace keel {
struct Domain;
struct Vcpu;
}  // namespace keel

namespace keel::arm64::vgic {

struct LrFile {
    uint64_t lr[kVgicMaxLrs] = {};
    uint32_t count = 0;  // implemented list registers (ICH_VTR_EL2.ListRegs + 1)
    uint32_t dirty = 0;  // LRs whose value changed (to write back)
};

// A virtual INTID delivered through hardware-linked LRs (ICH_LR<n>_EL2.HW = 1):
// the guest's deactivation of `vintid` deactivates physical `pintid` (the
// virtual timer PPI). vintid == kLrNoPhys: none.
struct HwLink {
    uint32_t vintid = kLrNoPhys;
    uint32_t pintid = kLrNoPhys;
};

struct SyncResult {
    uint32_t released = 0;     // LRs the guest retired (now free)
    bool hw_released = false;  // one of them was a hardware-linked PPI (the timer's physical is inactive now)
    bool repended = false;     // a released interrupt is pending again (its line is still high)
};

/// Frees the LRs in v's lr_used that the hardware shows Invalid (the guest
/// deactivated them), resamples the line of those that follow one, and
/// refreshes v's snapshot from `f`. Released LRs with EOI = 1 are zeroed in `f`
/// (dirty: the caller writes them back, or the maintenance interrupt stays up).
SyncResult lr_sync(Domain& d, Vcpu& v, LrFile& f);

/// The hardware-linked LR of `vintid` holds it pending only, and its physical
/// source has gone low: frees it (zeroed in `f`, dirty) without keeping the
/// pending state. Returns whether it did; the caller deactivates the physical INTID.
bool lr_retract_hw(Domain& d, Vcpu& v, LrFile& f, uint32_t vintid);

/// Moves the state of every LR keel placed back into the banks and clears those LRs.
void lr_fold_all(Domain& d, Vcpu& v, LrFile& f);

struct FillResult {
    bool overflow = false;   // something offerable did not fit (ask for ICH_HCR_EL2.UIE)
    uint32_t hw_placed = 0;  // LRs newly written with HW = 1 for the HwLink (not hardware-linked SPIs)
};

/// Merges new pending state into LRs that already hold the interrupt, then
/// places what the vCPU should see next. Call after lr_sync().
FillResult lr_fill(Domain& d, Vcpu& v, LrFile& f, HwLink hw);

}  // namespace keel::arm64::vgic
