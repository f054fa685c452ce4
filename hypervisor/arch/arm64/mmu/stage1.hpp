// SPDX-License-Identifier: MIT
//
// arch/arm64/mmu/stage1.hpp
// Owns the EL2 stage-1 attribute encoding (non-VHE EL2: one privilege level,
// no ASIDs): keel's memory types as MAIR_EL2 indices, the access permissions,
// and the translation of {permissions, memory type} to and from the attribute
// bits of a block or page descriptor. Sources: Arm ARM (DDI 0487), "Stage 1
// attribute fields in VMSAv8-64 Block and Page descriptors" and "MAIR_EL2".
#pragma once
#include <cstdint>

#include "arch/arm64/mmu/descriptor.hpp"
#include "lib/addr.hpp"
#include "lib/bits.hpp"

namespace keel::arm64 {

// Memory types, valued as their MAIR_EL2 attribute index (AttrIndx).
enum class MemType : uint8_t {
    DeviceNGnRnE = 0,
    Normal = 1,        // write-back, read/write-allocate, inner and outer
    DeviceNGnRE = 2,
    NormalNonCacheable = 3,
};

// MAIR_EL2 attribute encodings (Arm ARM, MAIR_EL2.Attr<n>).
inline constexpr uint8_t kMairDeviceNGnRnE = 0x00;
inline constexpr uint8_t kMairNormalWriteBack = 0xff;  // Outer/Inner WB non-transient, RA, WA
inline constexpr uint8_t kMairDeviceNGnRE = 0x04;
inline constexpr uint8_t kMairNormalNonCacheable = 0x44;
inline constexpr uint64_t kMairEl2 =
    uint64_t{kMairDeviceNGnRnE} << (8 * static_cast<unsigned>(MemType::DeviceNGnRnE)) |
    uint64_t{kMairNormalWriteBack} << (8 * static_cast<unsigned>(MemType::Normal)) |
    uint64_t{kMairDeviceNGnRE} << (8 * static_cast<unsigned>(MemType::DeviceNGnRE)) |
    uint64_t{kMairNormalNonCacheable} << (8 * static_cast<unsigned>(MemType::NormalNonCacheable));
static_assert(kMairEl2 == 0x4404'ff00);

// What keel may do with a mapping. No RWX: SCTLR_EL2.WXN would make it XN anyway.
enum class Perm : uint8_t { R, RW, RX };

struct Stage1Attrs {
    Perm perm = Perm::R;
    MemType type = MemType::Normal;
    constexpr bool operator==(const Stage1Attrs&) const = default;
};

// Attribute fields of a stage-1 block/page descriptor.
struct Stage1Desc {
    using AttrIndx = BitField<4, 2, uint8_t>;
    using Ns = Bit<5>;                      // ignored in the Non-secure EL2 regime
    using ApUser = Bit<6>;                  // AP[1]: RES1 in a one-privilege-level regime
    using ApReadOnly = Bit<7>;              // AP[2]
    using Sh = BitField<9, 8, uint8_t>;
    using Af = Bit<10>;                     // access flag: set, keel does no access tracking
    using Ng = Bit<11>;                     // no ASIDs at non-VHE EL2: 0
    using Contiguous = Bit<52>;
    using Xn = Bit<54>;                     // execute-never (bit 53, PXN, is RES0 here)
};

inline constexpr uint8_t kShInner = 0b11;

// The stage-1 EL2 "format" for the generic walker (arch/arm64/mmu/page_table.hpp).
struct Stage1El2 {
    using InAddr = VirtAddr;
    using Attrs = Stage1Attrs;
    static constexpr unsigned kStartLevel = 0;
    static constexpr unsigned kInputBits = 48;  // TCR_EL2.T0SZ = 16

    static constexpr uint64_t encode(Attrs a)
    {
        return Stage1Desc::AttrIndx::make(static_cast<uint8_t>(a.type)) |
               Stage1Desc::ApUser::make(true) |
               Stage1Desc::ApReadOnly::make(a.perm != Perm::RW) |
               Stage1Desc::Sh::make(kShInner) | Stage1Desc::Af::make(true) |
               Stage1Desc::Xn::make(a.perm != Perm::RX);
    }
    static constexpr Attrs decode(uint64_t d)
    {
        Attrs a;
        a.type = static_cast<MemType>(Stage1Desc::AttrIndx::get(d));
        if (!Stage1Desc::ApReadOnly::get(d)) {
            a.perm = Perm::RW;
        } else {
            a.perm = Stage1Desc::Xn::get(d) ? Perm::R : Perm::RX;
        }
        return a;
    }
};

// Hand-computed from the Arm ARM field positions: a 2 MiB text block and a UART page.
static_assert(vmsa::make_leaf(PhysAddr{0x4020'0000}, 2,
                              Stage1El2::encode({Perm::RX, MemType::Normal})) ==
              0x0000'0000'4020'07c5);
static_assert(vmsa::make_leaf(PhysAddr{0x0900'0000}, 3,
                              Stage1El2::encode({Perm::RW, MemType::DeviceNGnRE})) ==
              0x0040'0000'0900'074b);

}  // namespace keel::arm64
