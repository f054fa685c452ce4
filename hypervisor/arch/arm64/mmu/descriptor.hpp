// SPDX-License-Identifier: MIT
//
// arch/arm64/mmu/descriptor.hpp
// Owns the parts of the VMSAv8-64 translation-table format (4 KiB granule) that
// stage 1 and stage 2 share: levels and their sizes, the valid/type bits, table
// descriptors, the output address of blocks and pages. The attribute bits of a
// block or page differ between stages; those live in stage1.hpp (and stage2.hpp).
// Source: Arm ARM (DDI 0487), "VMSAv8-64 translation table format descriptors".
#pragma once
#include <cstdint>

#include "lib/addr.hpp"
#include "lib/bits.hpp"

namespace keel::arm64::vmsa {

inline constexpr unsigned kLastLevel = 3;
inline constexpr unsigned kEntriesPerTable = 512;   // 4 KiB / 8-byte descriptors
inline constexpr unsigned kBitsPerLevel = 9;
inline constexpr unsigned kFirstBlockLevel = 1;     // 4 KiB granule: 1 GiB and 2 MiB blocks

// Input-address bits resolved at `level`: [level_shift + 8 : level_shift].
constexpr unsigned level_shift(unsigned level)
{
    return static_cast<unsigned>(kPageShift) + kBitsPerLevel * (kLastLevel - level);
}
constexpr uint64_t level_size(unsigned level) { return uint64_t{1} << level_shift(level); }

static_assert(level_size(1) == uint64_t{1} << 30 && level_size(2) == uint64_t{2} << 20);

// Descriptor bits common to every level and stage.
using Valid = Bit<0>;
using TypeBit = Bit<1>;                  // levels 0-2: 1 = table, 0 = block; level 3: 1 = page
using OutputAddr = BitField<47, 12>;     // table / page address; blocks use the top part only
// Table descriptors: hierarchical controls (left 0 by keel: no restriction).
using NsTable = Bit<63>;
using ApTable = BitField<62, 61, uint8_t>;
using XnTable = Bit<60>;
using PxnTable = Bit<59>;

// Everything of a block/page descriptor that is neither type nor output address:
// the stage's attribute fields, which a split copies unchanged into the pages.
inline constexpr uint64_t kLeafAttrMask = ~(OutputAddr::kMask | Valid::kMask | TypeBit::kMask);

constexpr bool is_valid(uint64_t d) { return Valid::get(d); }
constexpr bool is_table(uint64_t d, unsigned level)
{
    return level < kLastLevel && Valid::get(d) && TypeBit::get(d);
}
// A block (levels 1-2) or a page (level 3). A level-3 descriptor with the type
// bit clear is reserved and translates as invalid.
constexpr bool is_leaf(uint64_t d, unsigned level)
{
    return Valid::get(d) && (level == kLastLevel ? TypeBit::get(d) : !TypeBit::get(d));
}

constexpr uint64_t make_table(PhysAddr next)
{
    return Valid::make(true) | TypeBit::make(true) | (next.raw() & OutputAddr::kMask);
}
constexpr PhysAddr table_address(uint64_t d) { return PhysAddr{d & OutputAddr::kMask}; }

// A block (level 1-2) or page (level 3) at `out` with stage attribute bits `attrs`.
constexpr uint64_t make_leaf(PhysAddr out, unsigned level, uint64_t attrs)
{
    const uint64_t oa = out.raw() & OutputAddr::kMask & ~(level_size(level) - 1);
    return Valid::make(true) | TypeBit::make(level == kLastLevel) | oa | (attrs & kLeafAttrMask);
}
constexpr PhysAddr leaf_address(uint64_t d, unsigned level)
{
    return PhysAddr{d & OutputAddr::kMask & ~(level_size(level) - 1)};
}
constexpr uint64_t leaf_attrs(uint64_t d) { return d & kLeafAttrMask; }

static_assert(make_table(PhysAddr{0x4123'4000}) == 0x4123'4003);
static_assert(make_leaf(PhysAddr{0x4020'0000}, 2, 0) == 0x4020'0001);
static_assert(make_leaf(PhysAddr{0x0900'0000}, 3, 0) == 0x0900'0003);

}  // namespace keel::arm64::vmsa
