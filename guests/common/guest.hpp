// SPDX-License-Identifier: MIT
//
// guests/common/guest.hpp
// Owns the contract between the common runtime and one test guest: the guest
// defines test_main() (primary vCPU; TAP lines; returning ends the test with
// "# guest done" and PSCI SYSTEM_OFF) and, if it starts other vCPUs,
// secondary_main(). Everything else comes from guests/common/.
#pragma once
#include <cstdint>

#include "arch.hpp"
#include "console.hpp"
#include "exceptions.hpp"
#include "fdt.hpp"
#include "gic.hpp"
#include "psci.hpp"
#include "tap.hpp"
#include "timer.hpp"

extern "C" void guest_secondary_entry();  // start.S: PSCI CPU_ON entry point
extern "C" [[noreturn]] void park();

void test_main(uint64_t dtb);
void secondary_main(uint32_t cpu);  // x0 of CPU_ON (the context id) = the vCPU index

namespace guest {
/// The device tree as read at entry.
const GuestDt& dt();
}  // namespace guest
