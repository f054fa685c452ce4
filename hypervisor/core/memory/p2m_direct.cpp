// SPDX-License-Identifier: MIT
//
// core/memory/p2m_direct.cpp
// Owns the block-by-block allocation of a direct-mapped domain's RAM
// (core/memory/p2m_direct.hpp). Pure.
#include "core/memory/p2m_direct.hpp"

#include <bit>

namespace keel {
namespace {

constexpr uint64_t k4GiB = uint64_t{1} << 32;
constexpr uint64_t kBank0MinFrames = (uint64_t{128} << 20) >> kPageShift;  // 128 MiB

unsigned floor_log2(uint64_t v) { return static_cast<unsigned>(63 - std::countl_zero(v)); }

// The block of 2^order frames below `low` if there is one, else anywhere below `limit`.
Result<Mfn> alloc_low_first(P2mEnv& env, unsigned order, PhysAddr low, PhysAddr limit)
{
    auto m = env.alloc_ram_below(order, low);
    if (m.ok() || m.error() != Errno::NoMem || low == limit) return m;
    return env.alloc_ram_below(order, limit);
}

// Maps a block the caller allocated; the pool gets it back when the p2m did not take it.
Result<void> take_block(P2m& p2m, P2mEnv& env, Mfn m, unsigned order, bool scrub)
{
    auto r = p2m_map_ram_direct(p2m, env, m, order, scrub);
    if (!r.ok() && r.error() != Errno::NoMem) env.free_ram(m, order);
    return r;
}

DirectRamBanks banks_of(const P2m& p2m, Mfn first)
{
    DirectRamBanks out;
    for (size_t i = 0; i < p2m.ram_range_count && i < P2m::kMaxRamRanges; ++i) {
        // Insertion sort: a handful of banks.
        size_t at = out.count++;
        for (; at > 0 && out.bank[at - 1].base > p2m.ram[i].base; --at)
            out.bank[at] = out.bank[at - 1];
        out.bank[at] = p2m.ram[i];
    }
    for (size_t i = 0; i < out.count; ++i)
        if (out.bank[i].contains(GuestPhysAddr{first.addr().raw()})) out.first = i;
    return out;
}

}  // namespace

uint64_t DirectRamBanks::total() const
{
    uint64_t sum = 0;
    for (size_t i = 0; i < count; ++i) sum += bank[i].size;
    return sum;
}

Result<DirectRamBanks> p2m_populate_direct(P2m& p2m, P2mEnv& env, uint64_t bytes, bool scrub)
{
    if (!p2m.ready() || bytes == 0 || bytes % kPageSize != 0) return Errno::Inval;
    const uint64_t ipa_limit = uint64_t{1} << env.ipa_bits();
    const PhysAddr limit{ipa_limit};
    const PhysAddr low{ipa_limit < k4GiB ? ipa_limit : k4GiB};
    const uint64_t frames = bytes >> kPageShift;

    // Bank 0: the largest power of two that fits, down to min(bytes, 128 MiB), below 4 GiB.
    unsigned top = floor_log2(frames);
    if (top > kP2mMaxOrder) top = kP2mMaxOrder;
    const unsigned bank0_min = floor_log2(frames < kBank0MinFrames ? frames : kBank0MinFrames);
    Mfn first{};
    unsigned first_order = 0;
    bool have_first = false;
    for (unsigned o = top + 1; o-- > bank0_min && !have_first;) {
        auto m = env.alloc_ram_below(o, low);
        if (!m.ok()) continue;
        first = m.value();
        first_order = o;
        have_first = true;
    }
    if (!have_first) return Errno::NoMem;
    KEEL_TRY(take_block(p2m, env, first, first_order, scrub));

    // The rest: the largest blocks the remaining size and the pool allow.
    uint64_t left = frames - (uint64_t{1} << first_order);
    unsigned cap = top;
    while (left != 0) {
        unsigned o = floor_log2(left);
        if (o > cap) o = cap;
        Mfn m{};
        for (;;) {
            auto r = alloc_low_first(env, o, low, limit);
            if (r.ok()) {
                m = r.value();
                break;
            }
            if (r.error() != Errno::NoMem || o == 0) return r.error();
            cap = --o;  // a fragmented pool is not asked for large blocks again
        }
        KEEL_TRY(take_block(p2m, env, m, o, scrub));
        left -= uint64_t{1} << o;
    }
    return banks_of(p2m, first);
}

}  // namespace keel
