// SPDX-License-Identifier: MIT
//
// guests/setway/main.cpp
// Test guest for set/way cache maintenance (HCR_EL2.TSW / TVM emulation):
// turns its MMU and caches on (identity map, RAM write-back cacheable, plus a
// non-cacheable alias of RAM at 2 GiB), writes a pattern through the
// cacheable map, cleans every data/unified cache level by set/way (the
// CLIDR/CCSIDR walk with DC CSW, what firmware and old kernels do before
// turning caches off), then reads the pattern through the non-cacheable
// alias and again with its MMU and caches off. Writes to the VM controls
// (CONTEXTIDR_EL1, TTBR0_EL1) while the hypervisor traps them must still take
// effect; DC ISW and DC CISW on a line are accepted too. Under QEMU TCG caches
// are not modelled, so what this proves about memory is the emulation's path;
// the flush logic itself is unit-tested on the host (setway_state_test).
#include <cstdint>

#include "guest.hpp"

namespace {

namespace tap = guest::tap;

GUEST_SYSREG_ISB(Sctlr, "sctlr_el1");
GUEST_SYSREG_ISB(Tcr, "tcr_el1");
GUEST_SYSREG_ISB(Mair, "mair_el1");
GUEST_SYSREG_ISB(Ttbr0, "ttbr0_el1");
GUEST_SYSREG_ISB(Contextidr, "contextidr_el1");
GUEST_SYSREG_ISB(Clidr, "clidr_el1");
GUEST_SYSREG_ISB(Csselr, "csselr_el1");
GUEST_SYSREG_ISB(Ccsidr, "ccsidr_el1");
#undef SYSREG

constexpr uint64_t kSctlrM = 1u << 0, kSctlrC = 1u << 2, kSctlrI = 1u << 12;
constexpr uint64_t kRamBase = 0x4000'0000;
constexpr uint64_t kNcAlias = 0x8000'0000;  // VA of the non-cacheable view of RAM

// Level-1 table for a 4 GiB input range (T0SZ = 32): 1 GiB blocks.
alignas(4096) constinit uint64_t g_l1[512] = {};
constexpr uint64_t kBlock = 0x1, kAf = 1u << 10, kShInner = 3u << 8;
constexpr uint64_t attr(unsigned idx) { return uint64_t{idx} << 2; }
// MAIR: 0 Device-nGnRnE, 1 Normal write-back, 2 Normal non-cacheable.
constexpr uint64_t kMair = 0x00 | (0xffu << 8) | (0x44u << 16);
// TCR: T0SZ 32, IRGN0/ORGN0 write-back, SH0 inner, TG0 4 KiB, EPD1, IPS 32 bits.
constexpr uint64_t kTcr = 32 | (1u << 8) | (1u << 10) | (3u << 12) | (1u << 23);

constexpr uint32_t kWords = 16384;  // 128 KiB
alignas(64) constinit uint64_t g_data[kWords] = {};

void mmu_on()
{
    g_l1[0] = 0x0000'0000 | kBlock | kAf | attr(0);             // devices
    g_l1[1] = kRamBase | kBlock | kAf | kShInner | attr(1);     // RAM, cacheable
    g_l1[2] = kRamBase | kBlock | kAf | kShInner | attr(2);     // RAM again, non-cacheable
    guest::dsb();
    Mair::write(kMair);
    Tcr::write(kTcr);
    Ttbr0::write(reinterpret_cast<uint64_t>(g_l1));
    asm volatile("tlbi vmalle1; dsb sy; isb" ::: "memory");
    Sctlr::write(Sctlr::read() | kSctlrM | kSctlrC | kSctlrI);
}

void mmu_off() { Sctlr::write(Sctlr::read() & ~(kSctlrM | kSctlrC | kSctlrI)); }

// Every data or unified cache level, every set and way: DC CSW (Armv8.0 CCSIDR format).
uint64_t clean_all_by_set_way()
{
    uint64_t ops = 0;
    const uint64_t clidr = Clidr::read();
    const unsigned loc = (clidr >> 24) & 7;
    for (unsigned level = 0; level < loc; ++level) {
        const unsigned ctype = (clidr >> (3 * level)) & 7;
        if (ctype < 2) continue;  // no data cache at this level
        Csselr::write(level << 1);
        const uint64_t ccsidr = Ccsidr::read();
        const unsigned line_shift = static_cast<unsigned>(ccsidr & 7) + 4;
        const unsigned ways = static_cast<unsigned>((ccsidr >> 3) & 0x3ff) + 1;
        const unsigned sets = static_cast<unsigned>((ccsidr >> 13) & 0x7fff) + 1;
        const unsigned way_shift = ways > 1 ? static_cast<unsigned>(__builtin_clz(ways - 1)) : 0;
        for (unsigned set = 0; set < sets; ++set) {
            for (unsigned way = 0; way < ways; ++way) {
                const uint64_t sw = (uint64_t{way} << way_shift) | (uint64_t{set} << line_shift) |
                                    (uint64_t{level} << 1);
                asm volatile("dc csw, %0" ::"r"(sw) : "memory");
                ++ops;
            }
        }
    }
    guest::dsb();
    return ops;
}

bool pattern_at(const volatile uint64_t* p, uint64_t seed)
{
    for (uint32_t i = 0; i < kWords; ++i) {
        if (p[i] != (seed ^ (uint64_t{i} * 0x9e37'79b9'7f4a'7c15))) return false;
    }
    return true;
}

}  // namespace

void test_main(uint64_t)
{
    mmu_on();
    tap::ok((Sctlr::read() & (kSctlrM | kSctlrC)) == (kSctlrM | kSctlrC), "MMU and caches on");
    constexpr uint64_t kSeed = 0x5e7'0a75;
    for (uint32_t i = 0; i < kWords; ++i) g_data[i] = kSeed ^ (uint64_t{i} * 0x9e37'79b9'7f4a'7c15);

    // The first operation alone: the hypervisor flushes all of this guest's RAM there.
    const uint64_t f0 = guest::CntVct::read();
    asm volatile("dc csw, %0" ::"r"(uint64_t{0}) : "memory");
    const uint64_t f1 = guest::CntVct::read();
    tap::note("first DC CSW took %lu us (the whole-RAM flush)",
              static_cast<unsigned long>((f1 - f0) * 1000000 / guest::CntFrq::read()));
    const uint64_t t0 = guest::CntVct::read();
    const uint64_t ops = clean_all_by_set_way();
    const uint64_t t1 = guest::CntVct::read();
    tap::ok(ops != 0, "DC CSW over every set and way of every data cache level (%lu operations, %lu us)",
            static_cast<unsigned long>(ops),
            static_cast<unsigned long>((t1 - t0) * 1000000 / guest::CntFrq::read()));

    // The VM controls trap now (TVM): their writes must still take effect.
    Contextidr::write(0x42);
    Ttbr0::write(reinterpret_cast<uint64_t>(g_l1));
    tap::ok(Contextidr::read() == 0x42 && Ttbr0::read() == reinterpret_cast<uint64_t>(g_l1),
            "CONTEXTIDR_EL1 and TTBR0_EL1 writes take effect while the VM controls trap");

    const auto* nc = reinterpret_cast<const volatile uint64_t*>(
        kNcAlias + (reinterpret_cast<uint64_t>(g_data) - kRamBase));
    tap::ok(pattern_at(nc, kSeed), "the pattern reads back through the non-cacheable alias");

    mmu_off();
    tap::ok((Sctlr::read() & (kSctlrM | kSctlrC)) == 0, "MMU and caches off");
    tap::ok(pattern_at(g_data, kSeed), "the pattern reads back with the MMU and caches off");

    // Caches on again (the hypervisor flushes and stops trapping), and the other two ops.
    mmu_on();
    g_data[0] = 1;
    asm volatile("dc isw, %0; dc cisw, %0; dsb sy" ::"r"(uint64_t{0}) : "memory");
    tap::ok(g_data[0] == 1 && (Sctlr::read() & kSctlrM) != 0, "DC ISW and DC CISW complete");
    mmu_off();
    tap::ok(g_data[0] == 1, "data written with caches on is in memory after the caches go off");
}

void secondary_main(uint32_t) {}
