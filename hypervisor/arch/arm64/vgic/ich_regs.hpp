// SPDX-License-Identifier: MIT
//
// arch/arm64/vgic/ich_regs.hpp
// Owns the field layouts of the GICv3 virtual CPU interface control registers
// keel programs at EL2 (GICv3 spec, Arm IHI 0069, "ICH_*" registers): the list
// registers ICH_LR<n>_EL2, ICH_HCR_EL2, ICH_VTR_EL2, ICH_VMCR_EL2, ICH_MISR_EL2,
// and the pure encoders built on them. No hardware access: vgic_hw.cpp does that.
#pragma once
#include <cstdint>

#include "lib/bits.hpp"

namespace keel::arm64 {

// ICH_LR<n>_EL2: one virtual interrupt the virtual CPU interface presents.
struct IchLr {
    using VIntid = BitField<31, 0, uint32_t>;   // the INTID the guest sees
    using PIntid = BitField<44, 32, uint32_t>;  // HW == 1: the physical INTID deactivated with it
    using Eoi = Bit<41>;                        // HW == 0: maintenance interrupt on deactivation
    using Priority = BitField<55, 48, uint8_t>;
    using Group = Bit<60>;                     // 1: Group 1 (virtual IRQ)
    using Hw = Bit<61>;                        // 1: linked to physical interrupt pINTID
    using State = BitField<63, 62, uint32_t>;  // LrState
};

enum class LrState : uint32_t {
    Invalid = 0,
    Pending = 1,
    Active = 2,
    PendingActive = 3,
};
constexpr bool lr_state_pending(LrState s) { return (static_cast<uint32_t>(s) & 1u) != 0; }
constexpr bool lr_state_active(LrState s) { return (static_cast<uint32_t>(s) & 2u) != 0; }
constexpr LrState lr_state_of(bool pending, bool active)
{
    return static_cast<LrState>((pending ? 1u : 0u) | (active ? 2u : 0u));
}

constexpr LrState lr_state(uint64_t lr) { return static_cast<LrState>(IchLr::State::get(lr)); }
constexpr uint32_t lr_intid(uint64_t lr) { return IchLr::VIntid::get(lr); }
constexpr uint8_t lr_priority(uint64_t lr) { return IchLr::Priority::get(lr); }
constexpr bool lr_hw(uint64_t lr) { return IchLr::Hw::get(lr); }
constexpr uint64_t lr_with_state(uint64_t lr, LrState s)
{
    return IchLr::State::put(lr, static_cast<uint32_t>(s));
}

// A Group 1 list register value. `pintid` != kLrNoPhys links it to that
// physical interrupt (HW = 1): the guest's deactivation deactivates it too.
inline constexpr uint32_t kLrNoPhys = ~uint32_t{0};
constexpr uint64_t make_lr(uint32_t intid, uint8_t priority, LrState state,
                           uint32_t pintid = kLrNoPhys)
{
    uint64_t v = IchLr::VIntid::make(intid) | IchLr::Priority::make(priority) |
                 IchLr::Group::make(true) | IchLr::State::make(static_cast<uint32_t>(state));
    if (pintid != kLrNoPhys) v |= IchLr::Hw::make(true) | IchLr::PIntid::make(pintid);
    return v;
}

// ICH_HCR_EL2: the virtual CPU interface's enable and maintenance-interrupt controls.
struct IchHcr {
    using En = Bit<0>;       // virtual CPU interface on
    using Uie = Bit<1>;      // maintenance interrupt while at most one LR holds an interrupt
    using Lrenpie = Bit<2>;  // ... while EOIcount != 0
    using Npie = Bit<3>;     // ... while no LR is in the pending state
    using EoiCount = BitField<31, 27, uint32_t>;
};

// ICH_VTR_EL2: what the virtual CPU interface implements.
struct IchVtr {
    using ListRegs = BitField<4, 0, uint32_t>;  // number of list registers - 1
    using IdBits = BitField<25, 23, uint32_t>;
    using PreBits = BitField<28, 26, uint32_t>;  // virtual preemption bits - 1
    using PriBits = BitField<31, 29, uint32_t>;  // virtual priority bits - 1
};
constexpr uint32_t vtr_list_regs(uint64_t vtr) { return IchVtr::ListRegs::get(vtr) + 1; }
// ICH_AP0R<n>/ICH_AP1R<n> implemented: one per 32 preemption levels (5 bits: 1, 6: 2, 7: 4).
constexpr uint32_t vtr_apr_count(uint64_t vtr)
{
    const uint32_t pre_bits = IchVtr::PreBits::get(vtr) + 1;
    return pre_bits <= 5 ? 1u : (pre_bits == 6 ? 2u : 4u);
}

// ICH_VMCR_EL2: the guest's view of its CPU interface (ICV_PMR_EL1, ICV_IGRPEN1_EL1, ...).
struct IchVmcr {
    using Veng0 = Bit<0>;
    using Veng1 = Bit<1>;  // ICV_IGRPEN1_EL1.Enable
    using Vcbpr = Bit<4>;
    using Veoim = Bit<9>;
    using Vbpr1 = BitField<20, 18, uint32_t>;
    using Vbpr0 = BitField<23, 21, uint32_t>;
    using Vpmr = BitField<31, 24, uint32_t>;  // ICV_PMR_EL1.Priority
};

// ICH_MISR_EL2: which maintenance condition is asserted.
struct IchMisr {
    using Eoi = Bit<0>;
    using U = Bit<1>;
    using Lrenp = Bit<2>;
    using Np = Bit<3>;
};

static_assert(make_lr(27, 0xa0, LrState::Pending, 27) ==
              (uint64_t{1} << 62 | uint64_t{1} << 61 | uint64_t{1} << 60 | uint64_t{0xa0} << 48 |
               uint64_t{27} << 32 | 27));
static_assert(vtr_list_regs(0x90080003) == 4);  // QEMU: 4 list registers
static_assert(vtr_apr_count(uint64_t{4} << 26) == 1);
static_assert(vtr_apr_count(uint64_t{6} << 26) == 4);

}  // namespace keel::arm64
