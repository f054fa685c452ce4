// SPDX-License-Identifier: MIT
//
// arch/arm64/vgic/vgic_hw.cpp
// Owns the index → system register mapping declared in vgic_hw.hpp: each ICH
// register is a distinct instruction encoding, so an index becomes a switch.
#include "arch/arm64/vgic/vgic_hw.hpp"

#include "arch/arm64/hw/sysreg.hpp"

namespace keel::arm64::vgic {
namespace {

template <typename R0, typename R1, typename R2, typename R3, typename R4, typename R5, typename R6,
          typename R7>
struct Eight {
    static uint64_t read(uint32_t n)
    {
        switch (n) {
            case 0: return R0::read();
            case 1: return R1::read();
            case 2: return R2::read();
            case 3: return R3::read();
            case 4: return R4::read();
            case 5: return R5::read();
            case 6: return R6::read();
            case 7: return R7::read();
            default: return 0;
        }
    }
    static void write(uint32_t n, uint64_t v)
    {
        switch (n) {
            case 0: R0::write(v); break;
            case 1: R1::write(v); break;
            case 2: R2::write(v); break;
            case 3: R3::write(v); break;
            case 4: R4::write(v); break;
            case 5: R5::write(v); break;
            case 6: R6::write(v); break;
            case 7: R7::write(v); break;
            default: break;
        }
    }
};

using LrLow =
    Eight<IchLr0El2, IchLr1El2, IchLr2El2, IchLr3El2, IchLr4El2, IchLr5El2, IchLr6El2, IchLr7El2>;
using LrHigh = Eight<IchLr8El2, IchLr9El2, IchLr10El2, IchLr11El2, IchLr12El2, IchLr13El2,
                     IchLr14El2, IchLr15El2>;
// Indices 4-7 alias 0-3; callers never pass them (n < 4).
using Ap0r = Eight<IchAp0r0El2, IchAp0r1El2, IchAp0r2El2, IchAp0r3El2, IchAp0r0El2, IchAp0r1El2,
                   IchAp0r2El2, IchAp0r3El2>;
using Ap1r = Eight<IchAp1r0El2, IchAp1r1El2, IchAp1r2El2, IchAp1r3El2, IchAp1r0El2, IchAp1r1El2,
                   IchAp1r2El2, IchAp1r3El2>;

}  // namespace

uint64_t lr_read(uint32_t n) { return n < 8 ? LrLow::read(n) : LrHigh::read(n - 8); }
void lr_write(uint32_t n, uint64_t value)
{
    if (n < 8) {
        LrLow::write(n, value);
    } else {
        LrHigh::write(n - 8, value);
    }
}
uint64_t ap0r_read(uint32_t n) { return n < 4 ? Ap0r::read(n) : 0; }
void ap0r_write(uint32_t n, uint64_t value)
{
    if (n < 4) Ap0r::write(n, value);
}
uint64_t ap1r_read(uint32_t n) { return n < 4 ? Ap1r::read(n) : 0; }
void ap1r_write(uint32_t n, uint64_t value)
{
    if (n < 4) Ap1r::write(n, value);
}

}  // namespace keel::arm64::vgic
