// SPDX-License-Identifier: MIT
//
// lib/fdt_layout.hpp
// Owns the DTB wire format facts that fdt.cpp and fdt_check.cpp share: token
// values, header field offsets, supported versions, and the byte-at-a-time
// big-endian readers (no alignment assumed: the MMU may be off).
// Internal to lib/fdt*; everything else uses lib/fdt.hpp.
#pragma once
#include <cstdint>

namespace keel::fdt_layout {

// Structure block tokens (Devicetree spec, "Structure Block").
constexpr uint32_t kTokBad = 0;  // keel's own: no valid token here
constexpr uint32_t kTokBeginNode = 1;
constexpr uint32_t kTokEndNode = 2;
constexpr uint32_t kTokProp = 3;
constexpr uint32_t kTokNop = 4;
constexpr uint32_t kTokEnd = 9;

// Header field offsets (Devicetree spec, "Header", struct fdt_header).
constexpr uint32_t kHdrTotalsize = 4;
constexpr uint32_t kHdrOffDtStruct = 8;
constexpr uint32_t kHdrOffDtStrings = 12;
constexpr uint32_t kHdrOffMemRsvmap = 16;
constexpr uint32_t kHdrVersion = 20;
constexpr uint32_t kHdrLastCompVersion = 24;
constexpr uint32_t kHdrSizeDtStrings = 32;
constexpr uint32_t kHdrSizeDtStruct = 36;  // since version 17

constexpr uint32_t kMinVersion = 16;          // oldest layout keel reads
constexpr uint32_t kMaxLastCompVersion = 17;  // newest layout keel understands
constexpr uint32_t kHeaderSizeV16 = 36;       // no size_dt_struct before version 17
constexpr uint32_t kRsvEntrySize = 16;        // struct fdt_reserve_entry: address, size

inline uint32_t be32(const uint8_t* p)
{
    return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

inline uint64_t be64(const uint8_t* p) { return (uint64_t{be32(p)} << 32) | be32(p + 4); }

constexpr uint32_t align4(uint32_t v) { return (v + 3u) & ~3u; }

}  // namespace keel::fdt_layout
