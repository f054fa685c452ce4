// SPDX-License-Identifier: MIT
//
// core/memory/p2m_selftest.hpp
// Owns the on-target checks of the stage-2 part (keel.selftest): a throw-away
// domain gets RAM, the CPU's own stage-1+2 walk (AT S12E1R) must agree with
// keel's tables, guest copies must round-trip, and destroying it must give
// every frame, table page and the VMID back. Target only.
#pragma once

namespace keel {

/// Reports "ok N - stage2: ..." lines through the self-test protocol.
void p2m_selftests();

}  // namespace keel
