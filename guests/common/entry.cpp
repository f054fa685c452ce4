// SPDX-License-Identifier: MIT
//
// guests/common/entry.cpp
// Owns the step from start.S to a test: the primary vCPU reads its device
// tree, runs test_main() and reports done; a vCPU started with PSCI CPU_ON runs
// secondary_main() (a guest that starts none need not define it).
#include "guest.hpp"

#include "arch.hpp"
#include "tap.hpp"

extern "C" [[noreturn]] void park();

namespace guest {
constinit GuestDt g_dt;
const GuestDt& dt() { return g_dt; }
}  // namespace guest

__attribute__((weak)) void secondary_main(uint32_t) {}

extern "C" [[noreturn]] void guest_primary_main(uint64_t dtb)
{
    guest::g_dt = guest::read_dt(dtb);
    test_main(dtb);
    guest::tap::done();
}

extern "C" [[noreturn]] void guest_secondary_main(uint64_t cpu)
{
    secondary_main(static_cast<uint32_t>(cpu));
    park();
}
