// SPDX-License-Identifier: MIT
//
// arch/arm64/vgic/vgic_bank.hpp
// Owns the register semantics the distributor and the redistributor SGI frame
// share (GICv3 spec, IHI 0069): the set/clear enable, pending and active
// registers, IPRIORITYR bytes, ICFGR pairs, and the access-width checks and
// 64-bit register halves every emulated register uses. Pure; vGIC lock held.
#pragma once
#include <cstdint>

#include "arch/arm64/vgic/vgic_state.hpp"
#include "core/domain/mmio.hpp"

namespace keel {
struct Domain;
struct Vcpu;
}  // namespace keel

namespace keel::arm64::vgic {

// Allowed access sizes, OR-ed (a size's bit is the size itself).
inline constexpr uint8_t kW8 = 1, kW32 = 4, kW64 = 8;

/// The access has an allowed size and is naturally aligned.
bool width_ok(const MmioAccess& a, uint8_t widths);

/// A 64-bit register's value as read by `a` (64-bit, or the 32-bit half at a.offset).
uint64_t read64(uint64_t reg, const MmioAccess& a);
/// `reg` after the write `a` (64-bit, or one 32-bit half).
uint64_t write64(uint64_t reg, const MmioAccess& a);

// GIC[DR]_IS/ICENABLER, IS/ICPENDR, IS/ICACTIVER: which one, from its offset.
enum class BankReg : uint8_t {
    SetEnable,
    ClearEnable,
    SetPending,
    ClearPending,
    SetActive,
    ClearActive
};
/// The register at `offset` of the 0x100-0x3FF block, by its 0x80-byte group.
BankReg bank_reg_at(uint32_t offset);

/// Reads a bank register. Interrupts held in list registers report the state
/// keel last saw there (their holder: `owner` for SGIs/PPIs, lr_owner for SPIs).
uint32_t bank_read(const Domain& d, const VgicIrqBank& b, uint32_t first_intid, const Vcpu* owner,
                   BankReg r);

/// Writes a bank register; returns the bits that may now be deliverable
/// (newly enabled and pending, newly pending and enabled, newly active).
/// Clearing the pending or active state of an interrupt a list register holds
/// changes only the bank, not that LR (as under Xen).
uint32_t bank_write(VgicIrqBank& b, BankReg r, uint32_t value);

/// IPRIORITYR access of a.size bytes starting at INTID `index` of bank `b`.
void priority_access(VgicIrqBank& b, uint32_t index, MmioAccess& a);

/// ICFGR word covering 16 INTIDs starting at bit `half` * 16 of bank `b`.
uint32_t icfgr_read(const VgicIrqBank& b, uint32_t half);
void icfgr_write(VgicIrqBank& b, uint32_t half, uint32_t value);

}  // namespace keel::arm64::vgic
