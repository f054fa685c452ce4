// SPDX-License-Identifier: MIT
//
// arch/arm64/hw/id_regs.hpp
// Owns reading the host's ID registers of the ID space HCR_EL2.TID3 traps
// (op0=3, op1=0, CRn=0, CRm=1..7) by index (arch/arm64/vcpu/id_view.hpp:
// CRm * 8 + op2). Encoded names, so reserved encodings (RAZ) assemble too.
#pragma once
#include <cstdint>

namespace keel::arm64 {

/// The host's value of ID register CRm = index / 8, op2 = index % 8 (CRm 1..7);
/// 0 for any other index.
inline uint64_t read_host_id_reg(unsigned index)
{
    uint64_t v = 0;
    switch (index) {
#define KEEL_ID_CASE(crm, op2)                                              \
    case (crm) * 8 + (op2):                                                 \
        asm volatile("mrs %0, S3_0_C0_C" #crm "_" #op2 : "=r"(v));          \
        break;
#define KEEL_ID_ROW(crm)                                                    \
    KEEL_ID_CASE(crm, 0) KEEL_ID_CASE(crm, 1) KEEL_ID_CASE(crm, 2)          \
    KEEL_ID_CASE(crm, 3) KEEL_ID_CASE(crm, 4) KEEL_ID_CASE(crm, 5)          \
    KEEL_ID_CASE(crm, 6) KEEL_ID_CASE(crm, 7)
        KEEL_ID_ROW(1)
        KEEL_ID_ROW(2)
        KEEL_ID_ROW(3)
        KEEL_ID_ROW(4)
        KEEL_ID_ROW(5)
        KEEL_ID_ROW(6)
        KEEL_ID_ROW(7)
#undef KEEL_ID_ROW
#undef KEEL_ID_CASE
    default: break;
    }
    return v;
}

}  // namespace keel::arm64
