// SPDX-License-Identifier: MIT
//
// core/memory/p2m.hpp
// Owns P2m: one domain's guest-physical → host-physical map (the stage-2
// translation table, its VMID, and the list of RAM blocks allocated from the
// domain pool so destruction gives every frame back).
// (Placeholder shape; the stage-2 part fills it in.)
#pragma once
#include <cstdint>

namespace keel {

struct P2m {
    uint64_t vttbr = 0;  // VTTBR_EL2 value (VMID | root table)
    uint16_t vmid = 0;
};

}  // namespace keel
