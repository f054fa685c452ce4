// SPDX-License-Identifier: MIT
//
// arch/arm64/vgic/vgic_lr.cpp
// Owns the list-register algorithms declared in vgic_lr.hpp.
//
// Rules (GICv3 spec, IHI 0069, "List registers" and ICH_LR<n>_EL2):
// - An active interrupt must stay in a list register until the guest
//   deactivates it, so actives are placed first and never evicted.
// - A hardware-linked LR never holds pending+active: the physical interrupt keeps
//   the pending state (a level that is still high fires again after the guest's
//   deactivation), so new pending state for an HW interrupt in an LR is dropped.
//   Two kinds: the virtual timer PPI (HwLink, pINTID = the host's timer PPI) and
//   SPIs given to the domain 1:1 (VgicIrqBank::hw, pINTID = vINTID).
// - Group 1 only: every interrupt of this vGIC is Non-secure Group 1.
// - Level-triggered interrupts with a modelled source (VgicIrqBank::sourced,
//   the vPL011 and the emulated physical timer) are resampled when the guest
//   deactivates them, not at every exit: their LRs carry EOI = 1, so the
//   deactivation raises the maintenance interrupt (ICH_MISR_EL2.EOI) and
//   lr_sync re-pends the interrupt if its line is still high. Chosen over
//   resampling at exit because an exit may come long after the EOI (a guest
//   spinning with the interrupt deactivated would not see it again), and it
//   costs nothing on exits that have no such LR.
#include "arch/arm64/vgic/vgic_lr.hpp"

#include "arch/arm64/vgic/vgic_irq.hpp"
#include "core/domain/domain.hpp"
#include "core/domain/vcpu.hpp"

namespace keel::arm64::vgic {
namespace {

constexpr uint32_t bit(uint32_t n) { return uint32_t{1} << n; }

// Gives `intid`'s LR up: its state returns to the bank, LR i becomes free. An
// interrupt whose pending state follows its line is pending again exactly when
// the line is high (the resample at deactivation, and at fold). Returns whether
// it is pending in the bank now.
bool release(Domain& d, Vcpu& v, uint32_t i, uint64_t lr, bool keep_state)
{
    const uint32_t intid = lr_intid(lr);
    const IrqSlot s = irq_slot(d, v, intid);
    bool pending = false;
    if (s.bank != nullptr) {
        s.bank->in_lr &= ~s.bit;
        if (keep_state) {
            const LrState st = lr_state(lr);
            if (lr_state_pending(st)) s.bank->pending |= s.bit;
            if (lr_state_active(st)) s.bank->active |= s.bit;
        }
        if (follows_line(*s.bank) & s.bit) {
            s.bank->pending = (s.bank->pending & ~s.bit) | (s.bank->line & s.bit);
        }
        pending = (s.bank->pending & s.bit) != 0;
    }
    v.vgic.lr_used &= ~bit(i);
    v.vgic.lr[i] = 0;
    return pending;
}

struct Candidate {
    uint32_t intid = kLrNoPhys;
    uint8_t priority = 0xff;
    bool active = false;
};

// Considers every set bit of `mask` in bank `b` (INTIDs first + i) for `best`:
// actives beat pendings, then lower priority value, then lower INTID.
void consider(const VgicIrqBank& b, uint32_t first, uint32_t mask, bool active, Candidate& best)
{
    for (uint32_t i = 0; mask != 0; ++i, mask >>= 1) {
        if (!(mask & 1u)) continue;
        const bool better = best.intid == kLrNoPhys || (active && !best.active) ||
                            (active == best.active && b.priority[i] < best.priority);
        if (better) best = {first + i, b.priority[i], active};
    }
}

Candidate next_candidate(const Domain& d, const Vcpu& v)
{
    Candidate best;
    const VgicIrqBank& p = v.vgic.priv;
    consider(p, 0, p.active & ~p.in_lr, true, best);
    const uint32_t banks = spi_banks(d.vgic);
    for (uint32_t b = 0; b < banks; ++b) {
        const VgicIrqBank& s = d.vgic.spi[b];
        const uint32_t active = s.active & ~s.in_lr;
        if (active == 0) continue;  // the common case: spi_targets_mask's scan skipped
        consider(s, 32 + b * 32, active & spi_targets_mask(d, b, static_cast<uint8_t>(v.id)), true, best);
    }
    if (best.intid != kLrNoPhys) return best;
    consider(p, 0, offerable(d, p), false, best);
    for (uint32_t b = 0; b < banks; ++b) {
        const VgicIrqBank& s = d.vgic.spi[b];
        const uint32_t pending = offerable(d, s);
        if (pending == 0) continue;
        consider(s, 32 + b * 32, pending & spi_targets_mask(d, b, static_cast<uint8_t>(v.id)), false, best);
    }
    return best;
}

// A free LR, or kVgicMaxLrs.
uint32_t free_lr(const Vcpu& v, const LrFile& f)
{
    for (uint32_t i = 0; i < f.count; ++i) {
        if (!(v.vgic.lr_used & bit(i))) return i;
    }
    return kVgicMaxLrs;
}

// The pending-only LR with the lowest priority below `c`'s (any, when c is
// active and must get an LR), or kVgicMaxLrs.
uint32_t victim_lr(const Vcpu& v, const LrFile& f, const Candidate& c)
{
    uint32_t victim = kVgicMaxLrs;
    uint8_t worst = c.active ? 0 : c.priority;
    for (uint32_t i = 0; i < f.count; ++i) {
        if (!(v.vgic.lr_used & bit(i)) || lr_state(f.lr[i]) != LrState::Pending) continue;
        const uint8_t prio = lr_priority(f.lr[i]);
        if (prio > worst || (c.active && victim == kVgicMaxLrs)) {
            worst = prio;
            victim = i;
        }
    }
    return victim;
}

// Drops the pending part of LR i when its interrupt follows a line that fell:
// a pending-only LR is freed, pending+active becomes active. Returns whether it did.
bool retract_fallen(Domain& d, Vcpu& v, LrFile& f, uint32_t i, const IrqSlot& s)
{
    if (!(follows_line(*s.bank) & ~s.bank->line & s.bit) || lr_hw(f.lr[i])) return false;
    const LrState st = lr_state(f.lr[i]);
    if (st == LrState::Pending) {
        (void)release(d, v, i, f.lr[i], false);
        f.lr[i] = 0;
    } else if (st == LrState::PendingActive) {
        f.lr[i] = lr_with_state(f.lr[i], LrState::Active);
        v.vgic.lr[i] = f.lr[i];
    } else {
        return false;
    }
    f.dirty |= bit(i);
    return true;
}

void merge_pending(Domain& d, Vcpu& v, LrFile& f)
{
    for (uint32_t i = 0; i < f.count; ++i) {
        if (!(v.vgic.lr_used & bit(i))) continue;
        const IrqSlot s = irq_slot(d, v, lr_intid(f.lr[i]));
        if (s.bank == nullptr) continue;
        if (s.bank->sourced != 0 && retract_fallen(d, v, f, i, s)) continue;
        if (!(s.bank->pending & s.bit)) continue;
        s.bank->pending &= ~s.bit;
        if (lr_state(f.lr[i]) == LrState::Active && !lr_hw(f.lr[i])) {
            f.lr[i] = lr_with_state(f.lr[i], LrState::PendingActive);
            f.dirty |= bit(i);
        }
        // Pending already, or hardware-linked: the one pending state covers it.
    }
}

}  // namespace

SyncResult lr_sync(Domain& d, Vcpu& v, LrFile& f)
{
    SyncResult r;
    for (uint32_t i = 0; i < f.count; ++i) {
        if (!(v.vgic.lr_used & bit(i))) continue;
        v.vgic.lr[i] = f.lr[i];
        if (lr_state(f.lr[i]) != LrState::Invalid) continue;
        if (lr_hw(f.lr[i]) && is_private(lr_intid(f.lr[i]))) r.hw_released = true;
        if (release(d, v, i, f.lr[i], false)) r.repended = true;
        if (IchLr::Eoi::get(f.lr[i])) {
            // An invalid LR with EOI = 1 keeps the EOI maintenance interrupt
            // asserted (ICH_EISR_EL2) until it is rewritten.
            f.lr[i] = 0;
            f.dirty |= bit(i);
        }
        r.released |= bit(i);
    }
    return r;
}

bool lr_retract_hw(Domain& d, Vcpu& v, LrFile& f, uint32_t vintid)
{
    for (uint32_t i = 0; i < f.count; ++i) {
        if (!(v.vgic.lr_used & bit(i)) || lr_intid(f.lr[i]) != vintid || !lr_hw(f.lr[i])) continue;
        if (lr_state(f.lr[i]) != LrState::Pending) return false;
        const IrqSlot s = irq_slot(d, v, vintid);
        if (s.bank != nullptr) s.bank->pending &= ~s.bit;
        (void)release(d, v, i, f.lr[i], false);
        f.lr[i] = 0;
        f.dirty |= bit(i);
        return true;
    }
    return false;
}

void lr_fold_all(Domain& d, Vcpu& v, LrFile& f)
{
    for (uint32_t i = 0; i < f.count; ++i) {
        if (!(v.vgic.lr_used & bit(i))) continue;
        release(d, v, i, f.lr[i], true);
        f.lr[i] = 0;
        f.dirty |= bit(i);
    }
    v.vgic.lr_used = 0;
}

FillResult lr_fill(Domain& d, Vcpu& v, LrFile& f, HwLink hw)
{
    FillResult r;
    merge_pending(d, v, f);
    // Each round places one interrupt; an eviction only ever replaces a pending
    // LR by a more urgent interrupt, so the rounds are bounded.
    for (uint32_t round = 0; round < kVgicIntidLimit + kVgicMaxLrs; ++round) {
        const Candidate c = next_candidate(d, v);
        if (c.intid == kLrNoPhys) return r;
        uint32_t i = free_lr(v, f);
        if (i == kVgicMaxLrs) {
            i = victim_lr(v, f, c);
            if (i == kVgicMaxLrs) {
                r.overflow = true;
                return r;
            }
            release(d, v, i, f.lr[i], true);
        }
        const IrqSlot s = irq_slot(d, v, c.intid);
        // Hardware-linked: the virtual timer PPI (hw), or an SPI given 1:1 (bank.hw).
        const bool is_hw_spi = (s.bank->hw & s.bit) != 0;
        const bool is_hw = c.intid == hw.vintid || is_hw_spi;
        const bool pending = (s.bank->pending & s.bit) != 0;
        const bool active = (s.bank->active & s.bit) != 0;
        // HW: never pending+active; the pending part stays in the bank (and is
        // dropped by merge_pending while the LR holds the interrupt).
        const LrState st = lr_state_of(pending && !(is_hw && active), active);
        s.bank->active &= ~s.bit;
        if (lr_state_pending(st)) s.bank->pending &= ~s.bit;
        s.bank->in_lr |= s.bit;
        if (is_spi(c.intid)) d.vgic.lr_owner[spi_index(c.intid)] = static_cast<uint8_t>(v.id);
        const uint32_t pintid = is_hw_spi ? c.intid : (is_hw ? hw.pintid : kLrNoPhys);
        f.lr[i] = make_lr(c.intid, c.priority, st, pintid);
        // Level with a modelled source: the guest's deactivation raises the EOI
        // maintenance interrupt, so keel resamples the line then.
        // (Never with HW = 1: bit 41 is then part of pINTID.)
        if (!is_hw && (follows_line(*s.bank) & s.bit)) f.lr[i] |= IchLr::Eoi::make(true);
        f.dirty |= bit(i);
        if (is_hw && !is_hw_spi) r.hw_placed |= bit(i);
        v.vgic.lr[i] = f.lr[i];
        v.vgic.lr_used |= bit(i);
    }
    r.overflow = true;  // not reached in practice; fail safe by asking to be called again
    return r;
}

}  // namespace keel::arm64::vgic
