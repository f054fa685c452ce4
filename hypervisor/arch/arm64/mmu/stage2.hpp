// SPDX-License-Identifier: MIT
//
// arch/arm64/mmu/stage2.hpp
// Owns the stage-2 (EL1&0 guest) attribute encoding for the generic walker
// (page_table.hpp): {access, execute, memory type, kind} to and from the
// attribute bits of a stage-2 block or page descriptor. Keel writes stage-2
// memory attributes with HCR_EL2.FWB = 0, so they combine with the guest's own
// stage-1 attributes (the stricter wins). The translation controls (VTCR_EL2,
// VTTBR_EL2) are stage2_control.hpp's. Pure.
// Source: Arm ARM (DDI 0487), "Stage 2 attribute fields in VMSAv8-64 Block and
// Page descriptors" and "Stage 2 memory type and Cacheability attributes when
// FEAT_S2FWB is disabled".
#pragma once
#include <cstdint>

#include "arch/arm64/mmu/descriptor.hpp"
#include "lib/addr.hpp"
#include "lib/bits.hpp"

namespace keel::arm64 {

// Stage-2 memory types, as MemAttr[3:0] values (FWB = 0): [3:2] outer, [1:0]
// inner for Normal memory (0b01 non-cacheable, 0b11 write-back); [3:2] = 0b00
// selects Device memory with [1:0] the Device type.
enum class S2MemType : uint8_t {
    DeviceNGnRnE = 0b0000,
    DeviceNGnRE = 0b0001,
    NormalNonCacheable = 0b0101,
    Normal = 0b1111,  // outer and inner write-back (the allocation hints are stage 1's)
};

// S2AP: what the guest may do with the mapping.
enum class S2Access : uint8_t { None = 0b00, R = 0b01, W = 0b10, RW = 0b11 };

// What keel mapped there, in the descriptor's software bits (ignored by the
// hardware): lets keel tell guest RAM from anything mapped later (grants, ...)
// when it walks the table itself. The p2m's entry types (core/memory/p2m.hpp
// P2mType) are these kinds.
enum class S2Kind : uint8_t {
    None = 0,
    Ram = 1,         // the domain's own RAM (domain pool, owned through its p2m)
    Mmio = 2,        // a device window
    SharedInfo = 3,  // keel's shared_info page of the domain (heap pool)
    GrantTable = 4,  // a frame of the domain's grant table (heap pool)
    GrantMapRw = 5,  // another domain's page mapped by grant, writable (holds a frame ref)
    GrantMapRo = 6,  // ... read-only
    StaticShm = 7,   // xen,shared-mem host memory (never freed by the p2m)
    ForeignRw = 8,   // another domain's RAM page mapped by a privileged domain (holds a frame ref)
};

struct Stage2Attrs {
    S2Access access = S2Access::RW;
    bool exec = true;
    S2MemType type = S2MemType::Normal;
    S2Kind kind = S2Kind::Ram;
    constexpr bool operator==(const Stage2Attrs&) const = default;
};

// Attribute fields of a stage-2 block/page descriptor.
struct Stage2Desc {
    using MemAttr = BitField<5, 2, uint8_t>;
    using S2ap = BitField<7, 6, uint8_t>;
    using Sh = BitField<9, 8, uint8_t>;
    using Af = Bit<10>;                        // access flag: set, keel does no access tracking
    using Contiguous = Bit<52>;
    using Xn = Bit<54>;                        // XN[1] (bit 53 is XN[0] only with FEAT_XNX: 0)
    using Software = BitField<58, 55, uint8_t>;  // reserved for software use: S2Kind
};

inline constexpr uint8_t kS2ShOuter = 0b10;
inline constexpr uint8_t kS2ShInner = 0b11;

// RAM a guest owns: normal write-back, read/write, executable.
inline constexpr Stage2Attrs kS2GuestRam{S2Access::RW, true, S2MemType::Normal, S2Kind::Ram};
// A device window passed through: Device-nGnRE, read/write, never executable.
inline constexpr Stage2Attrs kS2Device{S2Access::RW, false, S2MemType::DeviceNGnRE,
                                       S2Kind::Mmio};

// keel's own pages shown to a guest (shared_info, grant-table frames): normal
// write-back, read/write, never executable.
inline constexpr Stage2Attrs kS2KeelPage{S2Access::RW, false, S2MemType::Normal,
                                         S2Kind::SharedInfo};

// The stage-2 "format" for the generic walker. keel's stage-2 starts at level 1
// with one root page (VTCR_EL2.SL0 = 1): up to 39 input bits; a CPU with a
// smaller physical address size gets a smaller T0SZ on the same tables
// (stage2_control.hpp), never a different root.
struct Stage2 {
    using InAddr = GuestPhysAddr;
    using Attrs = Stage2Attrs;
    static constexpr unsigned kStartLevel = 1;
    static constexpr unsigned kInputBits = 39;

    static constexpr uint64_t encode(Attrs a)
    {
        const bool normal = (static_cast<uint8_t>(a.type) & 0b1100) != 0;
        // Shareability applies to Normal memory only; Device is always treated as
        // Outer Shareable, which is what keel writes for it.
        return Stage2Desc::MemAttr::make(static_cast<uint8_t>(a.type)) |
               Stage2Desc::S2ap::make(static_cast<uint8_t>(a.access)) |
               Stage2Desc::Sh::make(normal ? kS2ShInner : kS2ShOuter) |
               Stage2Desc::Af::make(true) | Stage2Desc::Xn::make(!a.exec) |
               Stage2Desc::Software::make(static_cast<uint8_t>(a.kind));
    }
    static constexpr Attrs decode(uint64_t d)
    {
        Attrs a;
        a.type = static_cast<S2MemType>(Stage2Desc::MemAttr::get(d));
        a.access = static_cast<S2Access>(Stage2Desc::S2ap::get(d));
        a.exec = !Stage2Desc::Xn::get(d);
        a.kind = static_cast<S2Kind>(Stage2Desc::Software::get(d));
        return a;
    }
};

// Hand-computed from the Arm ARM field positions (valid 0, type 1, MemAttr 5:2,
// S2AP 7:6, SH 9:8, AF 10, XN 54, software 58:55): a 2 MiB RAM block and a
// device page.
static_assert(vmsa::make_leaf(PhysAddr{0x4020'0000}, 2, Stage2::encode(kS2GuestRam)) ==
              0x0080'0000'4020'07fd);
static_assert(vmsa::make_leaf(PhysAddr{0x0900'0000}, 3, Stage2::encode(kS2Device)) ==
              0x0140'0000'0900'06c7);
static_assert(Stage2::decode(Stage2::encode(kS2GuestRam)) == kS2GuestRam);
static_assert(Stage2::decode(Stage2::encode(kS2Device)) == kS2Device);

}  // namespace keel::arm64
