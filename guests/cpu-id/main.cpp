// SPDX-License-Identifier: MIT
//
// guests/cpu-id/main.cpp
// Test guest: the CPU feature view keel gives a domain. Reads every ID register
// of the space HCR_EL2.TID3 traps (CRm 1..7, reserved encodings included: they
// must read as zero, not fault) and prints each as "# id <CRm>.<op2> <value>"
// (the scenario compares them with keel's table, build/host/keel_id_view);
// checks what must hold whatever the CPU: no PMU, SPE, trace, MTE, SME, AMU,
// RAS, MPAM, pointer authentication or EL2; SVE and ID_AA64ZFR0 only when the
// domain node has `sve` (bootarg guest.sve=<bits>); the same values on a second
// read. With `sve`: the vector length is the domain's, and Z0-Z31, P0-P15, FFR
// and ZCR_EL1 keep their values across guest.sve_rounds yields while another
// domain on the same CPU does the same with its own values (guest.seed).
#include "guest.hpp"
#include "xen.hpp"

using namespace guest;

namespace {

constexpr unsigned idx(unsigned crm, unsigned op2) { return crm * 8 + op2; }
constexpr uint64_t field(uint64_t v, unsigned lsb) { return (v >> lsb) & 0xf; }

constexpr unsigned kMaxVlBytes = 256;
constexpr unsigned kSveBufBytes = 32 * kMaxVlBytes + 17 * (kMaxVlBytes / 8);
alignas(16) constinit uint8_t g_want[kSveBufBytes] = {};
alignas(16) constinit uint8_t g_got[kSveBufBytes] = {};

void check_sve(uint64_t sve_bits, uint64_t seed, uint64_t rounds)
{
    sve_enable();
    sve_set_zcr(0xf);  // ask for the longest: ZCR_EL2 caps it at the domain's
    const uint64_t vl = sve_vl_bytes();
    tap::ok(vl * 8 == sve_bits, "SVE vector length %lu bits = the domain's sve", vl * 8);
    if (vl > kMaxVlBytes || vl == 0) return;
    const uint64_t zcr = vl / 16 - 1;  // LEN for this length, read back after the yields
    sve_set_zcr(zcr);
    const unsigned z = 32 * static_cast<unsigned>(vl), pl = static_cast<unsigned>(vl / 8);
    uint32_t x = static_cast<uint32_t>(seed) * 2654435761u + 1;
    for (unsigned i = 0; i < z + 16 * pl; ++i) {
        x = x * 1103515245u + 12345u;
        g_want[i] = static_cast<uint8_t>(x >> 16);
    }
    // FFR: a monotonic predicate (WRFFR's rule): the first seed*3 elements.
    const unsigned ffr_bits = static_cast<unsigned>(seed * 3 % (pl * 8));
    for (unsigned i = 0; i < pl; ++i) {
        const unsigned lo = i * 8;
        g_want[z + 16 * pl + i] = static_cast<uint8_t>(
            ffr_bits >= lo + 8 ? 0xff : ffr_bits > lo ? (1u << (ffr_bits - lo)) - 1 : 0);
    }
    sve_load(g_want);
    for (uint64_t r = 0; r < rounds; ++r) (void)xen::sched_op(xa::kSchedYield, nullptr);
    sve_store(g_got);
    unsigned bad = 0;
    for (unsigned i = 0; i < z + 17 * pl; ++i) bad += g_got[i] != g_want[i] ? 1 : 0;
    tap::ok(bad == 0, "Z0-Z31, P0-P15 and FFR (%u bytes) kept across %lu yields (%u differ)",
            z + 17 * pl, static_cast<unsigned long>(rounds), bad);
    tap::ok(sve_get_zcr() == zcr, "ZCR_EL1 kept (%lx)", static_cast<unsigned long>(sve_get_zcr()));
}

}  // namespace

void test_main(uint64_t)
{
    const GuestDt& d = dt();
    const uint64_t sve_bits = bootarg_u64(d.bootargs, "guest.sve", 0);
    uint64_t first[64] = {};
    for (unsigned i = idx(1, 0); i < idx(8, 0); ++i) {
        first[i] = read_id_reg(i);
        print("# id %u.%u %lx\n", i / 8, i % 8, static_cast<unsigned long>(first[i]));
    }
    tap::ok(true, "all 56 ID registers read without a fault (reserved ones included)");
    bool stable = true;
    for (unsigned i = idx(1, 0); i < idx(8, 0); ++i) stable = stable && read_id_reg(i) == first[i];
    tap::ok(stable, "a second read gives the same values");

    const uint64_t pfr0 = first[idx(4, 0)], pfr1 = first[idx(4, 1)], dfr0 = first[idx(5, 0)];
    const uint64_t isar1 = first[idx(6, 1)], isar2 = first[idx(6, 2)];
    tap::ok(field(pfr0, 8) == 0, "ID_AA64PFR0.EL2 = 0: no EL2 in the guest");
    tap::ok(field(pfr0, 28) == 0 && field(pfr1, 12) == 0, "RAS hidden");
    tap::ok(field(pfr0, 40) == 0 && field(pfr1, 16) == 0, "MPAM hidden");
    tap::ok(field(pfr0, 44) == 0, "AMU hidden");
    tap::ok(field(pfr1, 8) == 0, "MTE hidden");
    tap::ok(field(pfr1, 24) == 0 && first[idx(4, 5)] == 0, "SME hidden (ID_AA64SMFR0 = 0)");
    tap::ok(field(dfr0, 8) == 0, "ID_AA64DFR0.PMUVer = 0: no PMU");
    tap::ok(field(dfr0, 32) == 0 && field(dfr0, 44) == 0 && field(dfr0, 4) == 0,
            "SPE, TRBE and trace hidden");
    tap::ok(field(isar1, 4) == 0 && field(isar1, 8) == 0 && field(isar1, 24) == 0 &&
                field(isar1, 28) == 0 && field(isar2, 8) == 0 && field(isar2, 12) == 0,
            "pointer authentication hidden");
    tap::ok(field(first[idx(1, 2)], 24) == 0, "ID_DFR0.PerfMon = 0 (AArch32 view: no PMU)");
    if (sve_bits == 0) {
        tap::ok(field(pfr0, 32) == 0 && first[idx(4, 4)] == 0,
                "no sve in the domain node: ID_AA64PFR0.SVE = 0, ID_AA64ZFR0 = 0");
    } else {
        tap::ok(field(pfr0, 32) != 0, "sve = %lu in the domain node: ID_AA64PFR0.SVE = %lu",
                static_cast<unsigned long>(sve_bits), static_cast<unsigned long>(field(pfr0, 32)));
        check_sve(sve_bits, bootarg_u64(d.bootargs, "guest.seed", 1),
                  bootarg_u64(d.bootargs, "guest.sve_rounds", 200));
    }
    print("# cpu-id done\n");
}
