// SPDX-License-Identifier: MIT
//
// guests/common/timer.cpp
// Owns the virtual timer helpers (see timer.hpp).
#include "timer.hpp"

#include "arch.hpp"

namespace guest::timer {

uint64_t freq() { return CntFrq::read() & 0xffffffff; }

uint64_t now()
{
    isb();
    return CntVct::read();
}

uint64_t us_to_ticks(uint64_t us) { return us * freq() / 1000000; }

uint64_t ticks_to_us(uint64_t ticks)
{
    const uint64_t f = freq();
    return f == 0 ? 0 : ticks / f * 1000000 + ticks % f * 1000000 / f;
}

void arm_at(uint64_t cval, bool masked)
{
    CntvCval::write(cval);
    CntvCtl::write(kCtlEnable | (masked ? kCtlImask : 0));
    isb();
}

void disarm()
{
    CntvCtl::write(0);
    isb();
}

uint64_t ctl() { return CntvCtl::read(); }

}  // namespace guest::timer
