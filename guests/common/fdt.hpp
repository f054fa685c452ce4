// SPDX-License-Identifier: MIT
//
// guests/common/fdt.hpp
// Owns what a test guest reads from the device tree keel hands it in x0
// (Devicetree Specification, "Flattened Devicetree (DTB) Format"): its RAM
// (the first /memory bank and the total), /chosen/bootargs and the number of
// /cpus/cpu@N nodes. Read byte by byte (the MMU is off: no unaligned loads).
#pragma once
#include <cstdint>

namespace guest {

struct GuestDt {
    bool valid = false;
    uint32_t total_size = 0;
    uint64_t ram_base = 0;   // first bank
    uint64_t ram_size = 0;   // first bank
    uint64_t ram_total = 0;  // all banks
    const char* bootargs = "";
    uint32_t cpus = 0;
    bool has_vpl011 = false;  // a node named sbsa-uart@22000000
};

/// Reads the DTB at `addr`; valid is false when its header is not an FDT's.
GuestDt read_dt(uint64_t addr);

/// The value of "key=" in `args` as a number (decimal or 0x hex), or `dflt`.
uint64_t bootarg_u64(const char* args, const char* key, uint64_t dflt);

}  // namespace guest
