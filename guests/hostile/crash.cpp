// SPDX-License-Identifier: MIT
//
// guests/hostile/crash.cpp
// Owns hostile=crash: vCPU 0 points VBAR_EL1 at unmapped IPA and stores to
// unmapped IPA, so keel's injected data abort vectors into another abort (an
// instruction abort at VBAR+0x200), and so on for ever. keel may crash the
// domain or let it loop; with a second vCPU the loop is bounded: vCPU 1
// watches for 2 s of virtual time, says so, and powers the domain off.
#include "hostile.hpp"
#include "insns.hpp"

namespace hostile {
namespace {

constexpr uint64_t kNoVectors = 0x20000000;  // unmapped: between the GIC and the vPL011
constexpr uint64_t kNowhere = 0x10000000;    // unmapped
constinit volatile uint32_t g_watch = 0;

}  // namespace

void crash_secondary()
{
    g_watch = 1;
    guest::dsb();
    const uint64_t t0 = guest::CntVct::read(), f = guest::CntFrq::read();
    while (guest::CntVct::read() - t0 < 2 * f) guest::dmb();
    guest::print("HOSTILE-DONE crash calls=1 (vcpu0 still looping in aborts after 2 s; vcpu1 powers off)\n");
    guest::psci::system_off();
}

[[noreturn]] void run_crash()
{
    Ctx& c = ctx();
    if (c.vcpus >= 2) {
        (void)guest::psci::cpu_on(1, reinterpret_cast<uint64_t>(&guest_secondary_entry), 1);
        while (g_watch == 0) guest::dmb();
    }
    guest::print("HOSTILE-CRASH VBAR_EL1=%lx, storing to %lx\n", static_cast<unsigned long>(kNoVectors),
                  static_cast<unsigned long>(kNowhere));
    hostile_set_vbar(kNoVectors);
    hostile_st64(kNowhere, 0xdead);
    for (;;) guest::wfi();  // not reached
}

}  // namespace hostile
