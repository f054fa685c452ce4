// SPDX-License-Identifier: MIT
//
// tests/fuzz/support/fake_memory.hpp
// Owns the host stand-in for keel's memory manager in the handler harness
// (fake_memory.cpp): one host allocation whose addresses serve as physical
// addresses (keel's heap pool is identity-mapped, and grant_table.cpp /
// memory_op.cpp turn heap pointers into frame numbers that way), holding a
// heap pool and a domain pool under one real FrameTable with the real
// FrameAllocators; transient map slots and the vmap window map a frame at its
// own address, with every live mapping counted so the harness can check that
// nothing stays mapped and that each vmap pins its frame. Free domain-pool
// frames are ASan-poisoned: a keel write into a frame it freed is a crash.
#pragma once
#include <cstdint>

#include "lib/addr.hpp"

namespace keel::fuzz {

inline constexpr uint64_t kHeapFrames = 2048;    // 8 MiB: objects, tables, grant frames
inline constexpr uint64_t kDomainFrames = 1024;  // 4 MiB: guest RAM

/// Builds the bank, the frame table and both pools (once per process) and
/// attaches this thread to CPU 0's PerCpu.
void fake_memory_init();

/// The bank's first frame and its frame count (heap pool first, then the domain pool).
Mfn bank_first();
uint64_t bank_frames();
bool in_domain_pool(Mfn m);

/// Live vmap_page mappings of frame m / of any frame; live transient slots.
uint32_t vmap_count(Mfn m);
uint64_t vmap_live();
unsigned transient_live();

/// Called by the fake P2mEnv when RAM goes back to / comes from the domain pool.
void poison_frames(Mfn first, uint64_t count);
void unpoison_frames(Mfn first, uint64_t count);

}  // namespace keel::fuzz
