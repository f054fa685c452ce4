// SPDX-License-Identifier: MIT
//
// guests/hostile/mmio.cpp
// Owns hostile=mmio: a load or store of random size (1/2/4/8) and random value
// at every byte offset of the emulated windows — vGIC distributor (64 KiB at
// 0x03001000), this domain's redistributor frames (128 KiB per vCPU at
// 0x03020000), vPL011 (4 KiB at 0x22000000) — then pairs and writeback forms
// (no syndrome) on them, then random accesses to unmapped IPA. Each access
// expects a fault; what came back is tallied: emulated, alignment fault (the
// guest's own: Device memory, MMU off), or an abort keel injected.
#include "hostile.hpp"
#include "insns.hpp"

namespace hostile {
namespace {

constinit uint32_t g_size = 0;
constinit bool g_write = false;
constinit uint64_t g_value = 0;
constinit bool g_unmapped = false;

void access(uint64_t addr)
{
    if (g_write) {
        switch (g_size) {
        case 1: hostile_st8(addr, g_value); break;
        case 2: hostile_st16(addr, g_value); break;
        case 4: hostile_st32(addr, g_value); break;
        default: hostile_st64(addr, g_value); break;
        }
    } else {
        switch (g_size) {
        case 1: g_value = hostile_ld8(addr); break;
        case 2: g_value = hostile_ld16(addr); break;
        case 4: g_value = hostile_ld32(addr); break;
        default: g_value = hostile_ld64(addr); break;
        }
    }
}
void pair(uint64_t addr)
{
    if (g_write) {
        hostile_stp(addr, g_value);
    } else {
        g_value = g_size == 1 ? hostile_ld_post(addr) : hostile_ldp(addr);
    }
}

struct Tally {
    uint64_t calls = 0, emulated = 0, alignment = 0, injected = 0, other = 0;
};
constinit Tally g_t;

void one(void (*fn)(uint64_t), uint64_t addr)
{
    guest::Prng& r = ctx().rng;
    g_size = 1u << r.below(4);
    g_write = r.one_in(2);
    g_value = any_value();
    ++g_t.calls;
    guest::expect_fault();
    fn(addr);
    const guest::FaultRecord f = guest::take_fault();
    if (!f.taken) {
        ++g_t.emulated;
        if (g_unmapped && g_t.emulated <= 4)
            guest::print("HOSTILE-NOTE mmio: no abort from unmapped IPA %lx (%u-byte %s)\n",
                          static_cast<unsigned long>(addr), g_size, g_write ? "write" : "read");
    } else if (guest::esr_ec(f.esr) == guest::kEcDataAbortSameEl && guest::esr_dfsc(f.esr) == 0x21) {
        ++g_t.alignment;
    } else if (guest::esr_ec(f.esr) == guest::kEcDataAbortSameEl) {
        ++g_t.injected;
    } else {
        ++g_t.other;
    }
}

void report(const char* what)
{
    guest::print("HOSTILE-RESULT mmio %s: accesses=%lu emulated=%lu alignment=%lu injected=%lu other=%lu\n", what,
                  static_cast<unsigned long>(g_t.calls), static_cast<unsigned long>(g_t.emulated),
                  static_cast<unsigned long>(g_t.alignment), static_cast<unsigned long>(g_t.injected),
                  static_cast<unsigned long>(g_t.other));
}

uint64_t window(const char* what, uint64_t base, uint64_t len)
{
    g_t = Tally{};
    for (uint64_t off = 0; off < len; ++off) one(access, base + off);
    for (uint32_t i = 0; i < 512; ++i) one(pair, base + (ctx().rng.below(len) & ~7ul));
    report(what);
    return g_t.calls;
}

}  // namespace

uint64_t run_mmio()
{
    Ctx& c = ctx();
    uint64_t calls = 0;
    calls += window("gicd", 0x03001000, 0x10000);
    calls += window("gicr", 0x03020000, 0x20000ul * (c.vcpus != 0 ? c.vcpus : 1));
    // The frames of vCPUs this domain does not have (keel: RAZ/WI, no abort).
    calls += window("gicr-absent", 0x03020000 + 0x20000ull * (c.vcpus != 0 ? c.vcpus : 1), 0x20000);
    calls += window("vpl011", 0x22000000, 0x1000);
    // What the vPL011 pass may have switched off: UARTCR (TXE|RXE|UARTEN), UARTIMSC, UARTICR.
    hostile_st32(0x22000030, 0x301);
    hostile_st32(0x22000038, 0);
    hostile_st32(0x22000044, 0x7ff);
    guest::print("\n");

    g_t = Tally{};
    g_unmapped = true;
    const uint64_t holes[][2] = {
        {0x0, 0x03001000},                                     // below the distributor
        {0x03011000, 0x03020000 - 0x03011000},                 // between GICD and GICR
        {0x04020000, 0x100000},                                // beyond the 16 MiB redistributor region
        {0x22001000, 0x1000000},                               // beyond the vPL011
        {0x38000000, 0x2000000},                               // grant window and magic pages (none mapped)
        {c.ram_end, 0x40000000},                               // beyond RAM
        {0x8000000000ul - 0x100000, 0x100000},                // the top of a 39-bit IPA space
    };
    for (uint32_t i = 0; i < 8192; ++i) {
        const auto& h = c.rng.pick(holes);
        const uint64_t addr = h[0] + c.rng.below(h[1]);
        one(c.rng.one_in(8) ? pair : access, addr);
    }
    report("unmapped");
    calls += g_t.calls;
    return calls;
}

}  // namespace hostile
