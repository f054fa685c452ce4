// SPDX-License-Identifier: MIT
//
// arch/arm64/smp/ipi_selftest.hpp
// Owns the on-target IPI check (keel.selftest): an SGI round trip between every
// ordered pair of online CPUs (a sends to b, b answers a), bounded waits.
#pragma once

namespace keel::arm64 {

/// Boot CPU, after start_secondaries(). Reports one line
/// "ipi: SGI round trip between every ordered pair of N online CPUs" and a
/// "# note" with min/avg/max round-trip time. Pairs with a == b are included
/// (a CPU's SGI to itself), so the check also runs with one CPU.
void selftest_sgi_round_trip();

}  // namespace keel::arm64
