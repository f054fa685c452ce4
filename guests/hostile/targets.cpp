// SPDX-License-Identifier: MIT
//
// guests/hostile/targets.cpp
// Owns the hostile guest's choice of targets: pointers, GFNs, values and
// domain ids drawn from the classes where hypervisors break (guest address
// map: RAM at 0x40000000, GICD 0x03001000, GICR 0x03020000, vPL011 0x22000000,
// grant window 0x38000000, magic pages 0x39000000 — Xen's arch-arm.h layout),
// and the fault-expecting call used by every mode. Nothing generated here ever
// names the guest's own image: keel must never be told to write there.
#include "hostile.hpp"
#include "public/xen/xen.hpp"

namespace hostile {
namespace {

constexpr uint64_t kGicd = 0x03001000, kGicr = 0x03020000, kUart = 0x22000000;
constexpr uint64_t kGnttab = keel::xen::kGuestGnttabBase, kMagic = keel::xen::kGuestMagicBase;

uint64_t upper_addr()
{
    Ctx& c = ctx();
    return c.upper + c.rng.below(c.upper_end - c.upper);
}

}  // namespace

uint64_t bad_ptr(uint64_t scratch, uint64_t scratch_len)
{
    Ctx& c = ctx();
    guest::Prng& r = c.rng;
    uint64_t p = 0;
    switch (r.below(14)) {
    case 0:
    case 1:
    case 2:
        p = scratch != 0 ? scratch + r.below(scratch_len) : upper_addr();
        break;
    case 3:
    case 4: p = upper_addr(); break;
    case 5: p = c.ram_end - r.below(64); break;                         // straddles the end of RAM
    case 6: p = c.ram_end + r.below(0x10000); break;                    // just beyond
    case 7: p = r.pick({kGicd, kGicr, kUart}) + r.below(0x10000); break;  // MMIO
    case 8: p = kGnttab + r.below(0x20000); break;                      // grant window
    case 9: p = kMagic + r.below(0x10000); break;
    case 10: p = r.below(0x40000000); break;                            // low IPA, mostly unmapped
    case 11: p = (1ul << r.pick({39ul, 40ul, 44ul, 48ul})) - r.below(64); break;  // IPA size edges
    case 12: p = r.pick({0ul, ~0ul, 0xffff800000000000ul, 0xffffffffffff0000ul, 1ul << 63}); break;
    default: p = r.next(); break;
    }
    if (r.one_in(4)) p = (p & ~7ul) | r.below(8);  // unaligned variants
    // Never the image (also when a random draw landed there): point at scratch instead.
    if (p >= c.ram_base && p < c.upper && (scratch == 0 || p < scratch || p >= scratch + scratch_len))
        p = scratch != 0 ? scratch + (p % scratch_len) : upper_addr();
    return p;
}

uint64_t fault_ptr()
{
    Ctx& c = ctx();
    for (;;) {
        const uint64_t p = bad_ptr(0, 0);
        if (p + 64 <= c.ram_base || p >= c.ram_end) return p;
    }
}

uint64_t any_gfn()
{
    Ctx& c = ctx();
    guest::Prng& r = c.rng;
    uint64_t g = 0;
    switch (r.below(10)) {
    case 0:
    case 1:
    case 2: g = upper_addr() >> 12; break;
    case 3: g = (c.ram_end >> 12) - r.below(3) + r.below(3); break;
    case 4: g = r.pick({kGicd, kGicr, kUart}) >> 12; break;
    case 5: g = (kGnttab >> 12) + r.below(64); break;
    case 6: g = (kMagic >> 12) + r.below(16); break;
    case 7: g = r.pick({0ul, 1ul, ~0ul, 0xfffffffful, 1ul << 27, (1ul << 27) - 1, 1ul << 36}); break;
    case 8: g = r.below(0x40000); break;  // below RAM
    default: g = r.next() >> r.below(64); break;
    }
    if (g >= (c.ram_base >> 12) && g < (c.upper >> 12)) g = upper_addr() >> 12;
    return g;
}

uint16_t any_domid()
{
    Ctx& c = ctx();
    guest::Prng& r = c.rng;
    switch (r.below(6)) {
    case 0: return 0x7ff0;  // DOMID_SELF
    case 1: return c.self;
    case 2: return static_cast<uint16_t>(r.below(9));  // dom0 (absent) and the neighbours
    case 3: return static_cast<uint16_t>(0x7ff0 + r.below(16));
    case 4: return r.pick({uint16_t{0x7fff}, uint16_t{0xffff}, uint16_t{0x8000}, uint16_t{0x3ff}});
    default: return static_cast<uint16_t>(r.next());
    }
}

uint64_t any_value()
{
    guest::Prng& r = ctx().rng;
    switch (r.below(9)) {
    case 0:
    case 1: return r.below(16);
    case 2: return r.below(4096);
    case 3: return r.pick({~0ul, 0x7ffffffful, 0x80000000ul, 0xfffffffful, 1ul << 63, 0xfffful,
                           0x10000ul, 1ul << 32, (1ul << 32) + 1});
    case 4: return any_domid();
    case 5: return any_gfn();
    case 6: return ~r.below(64);  // small negatives
    case 7: return r.below(1u << 20);
    default: return r.next();
    }
}

void fill_hostile(void* p, uint64_t len)
{
    auto* w = static_cast<volatile uint64_t*>(p);
    guest::Prng& r = ctx().rng;
    for (uint64_t i = 0; i < len / 8; ++i) {
        switch (r.below(4)) {
        case 0: w[i] = any_gfn(); break;
        case 1: w[i] = bad_ptr(0, 0); break;
        default: w[i] = any_value() | (r.one_in(3) ? any_value() << 32 : 0); break;
        }
    }
}

bool faulted(void (*fn)(uint64_t), uint64_t arg)
{
    guest::expect_fault();
    fn(arg);
    return guest::take_fault().taken;
}

}  // namespace hostile
