// SPDX-License-Identifier: MIT
//
// core/memory/p2m_direct.hpp
// Owns how a direct-mapped domain (dom0) gets its RAM: `bytes` from the domain
// pool in a few large naturally aligned blocks, each mapped at its own address
// (IPA == PA, p2m_map_ram_direct), after Xen 4.17's allocate_memory_11()
// (xen/arch/arm/domain_build.c): the first block, bank 0, is the largest power
// of two that fits, taken from below 4 GiB and no smaller than min(bytes,
// 128 MiB) (it holds the kernel, the DTB and the initrd); the rest in the
// largest blocks available, lowest addresses first, below 4 GiB first. Memory
// above the stage-2 input size is never used. Pure: through P2mEnv.
#pragma once
#include <cstddef>
#include <cstdint>

#include "core/memory/p2m.hpp"
#include "lib/addr.hpp"
#include "lib/result.hpp"

namespace keel {

struct DirectRamBanks {
    Range<GuestPhysAddr> bank[P2m::kMaxRamRanges];  // sorted by address, adjacent ones merged
    size_t count = 0;
    size_t first = 0;  // the bank that holds the first (largest, below 4 GiB) block
    uint64_t total() const;
};

/// Allocates and maps `bytes` (a non-zero multiple of 4 KiB) of RAM 1:1 in
/// `p2m` (ready). Errno::Inval for a bad size; Errno::NoMem when the pool has
/// no first block of min(bytes, 128 MiB) below 4 GiB or runs out before
/// `bytes`; Errno::NoSpc when the RAM would need more than kMaxRamRanges
/// banks. On failure what was mapped stays the p2m's (p2m_destroy frees it).
/// `scrub` false: the blocks are not zeroed (Xen's bootscrub=0 for dom0's RAM
/// at boot, memory no domain has held).
Result<DirectRamBanks> p2m_populate_direct(P2m& p2m, P2mEnv& env, uint64_t bytes,
                                           bool scrub = true);

}  // namespace keel
