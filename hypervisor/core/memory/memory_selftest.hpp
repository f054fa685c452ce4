// SPDX-License-Identifier: MIT
//
// core/memory/memory_selftest.hpp
// Owns the on-target checks of memory bring-up (run with keel.selftest, on the
// boot CPU, after memory_init): each reports through selftest::report().
#pragma once

namespace keel {

/// Domain and heap pools: blocks of several orders allocated and freed; free
/// counts and free lists come back exactly.
void selftest_frame_allocator();
/// EL2 stage-1 as the CPU sees it (AT S1E2R/W, PAR_EL1): text read-only and
/// executable, data writable and execute-never, rodata and DTB read-only, the
/// heap writable, domain-pool RAM not mapped at all.
void selftest_stage1();
/// Transient map slots: a remapped slot shows the new frame, never the stale one.
void selftest_transient_map();

/// All of the above, in that order.
void memory_selftests();

}  // namespace keel
