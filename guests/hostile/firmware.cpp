// SPDX-License-Identifier: MIT
//
// guests/hostile/firmware.cpp
// Owns hostile=firmware: random SMCCC function ids and arguments over HVC #0
// and SMC #0 (PSCI, SMCCC arch, hypervisor and trusted-OS ranges, random 32-
// and 64-bit ids), HVC/SMC with other immediates, and PSCI edge cases with the
// results printed: CPU_ON of a running vCPU and of absent ones, AFFINITY_INFO
// of absent CPUs and bad levels, and at the end CPU_ON of vCPU 1 (after it
// turned itself off) at an entry point outside RAM. Never the calls that end
// this domain or this vCPU (SYSTEM_OFF/RESET/RESET2/SUSPEND, CPU_OFF/SUSPEND/
// FREEZE/DEFAULT_SUSPEND) except SYSTEM_OFF at the very end.
#include <initializer_list>

#include "hostile.hpp"
#include "insns.hpp"

namespace hostile {
namespace {

namespace psci = guest::psci;

constinit volatile uint32_t g_secondary_up = 0;
constinit volatile uint32_t g_secondary_off = 0;

bool ends_something(uint64_t fid)
{
    // SMCCC: the id is w0; bit 30 selects SMC64.
    const uint32_t f = static_cast<uint32_t>(fid) & ~0x40000000u;
    switch (f) {
    case 0x84000001:  // CPU_SUSPEND
    case 0x84000002:  // CPU_OFF
    case 0x84000003:  // CPU_ON: done on purpose below, not at random
    case 0x84000008:  // SYSTEM_OFF
    case 0x84000009:  // SYSTEM_RESET
    case 0x8400000B:  // CPU_FREEZE
    case 0x8400000C:  // CPU_DEFAULT_SUSPEND
    case 0x8400000E:  // SYSTEM_SUSPEND
    case 0x84000012:  // SYSTEM_RESET2
        return true;
    default: return false;
    }
}

uint64_t random_fid(guest::Prng& r)
{
    switch (r.below(8)) {
    case 0:
    case 1: return r.pick({0x84000000ul, 0xC4000000ul}) + r.below(0x20);
    case 2: return 0x80000000ul + r.pick({0ul, 1ul, 2ul, 3ul, 0x7ffful, 0x8000ul, 0x3ffful, r.below(0x10000)});
    case 3: return (0x80000000ul | (r.below(64) << 24)) + r.below(0x100);  // every owning entity, fast and yielding
    case 4: return r.pick({0x86000000ul, 0xC6000000ul, 0x8600FF01ul, 0x8600FF03ul, 0xBF00FF01ul, 0x82000000ul});
    case 5: return static_cast<uint32_t>(r.next());
    case 6: return r.next();
    default: return (r.next() & ~0xfffffffful) | r.pick({0x84000000ul, 0x84000008ul, 0x84000002ul, 0x80000000ul});
    }
}

uint64_t mpidr_of(uint32_t vcpu) { return vcpu; }  // Xen's vMPIDR: Aff0 = vCPU id (< 16)

struct Tally {
    uint64_t calls = 0, not_supported = 0, invalid = 0, other_neg = 0, ok = 0, positive = 0, undef = 0;
};
constinit Tally g_t;

void tally(uint64_t rc)
{
    const auto s = static_cast<int64_t>(static_cast<int32_t>(rc));
    if (s == psci::kNotSupported) ++g_t.not_supported;
    else if (s == psci::kInvalidParameters) ++g_t.invalid;
    else if (s < 0) ++g_t.other_neg;
    else if (s == 0) ++g_t.ok;
    else ++g_t.positive;
}

using Conduit = uint64_t (*)(uint64_t, uint64_t, uint64_t, uint64_t);
constinit uint64_t g_args[4] = {};
constinit Conduit g_conduit = nullptr;
constinit uint64_t g_rc = 0;
void call_conduit(uint64_t) { g_rc = g_conduit(g_args[0], g_args[1], g_args[2], g_args[3]); }

void edge(const char* what, uint64_t fid, uint64_t a1, uint64_t a2, uint64_t a3)
{
    const uint64_t rc = guest::hvc(fid, a1, a2, a3);
    ++g_t.calls;
    guest::print("HOSTILE-PSCI %s -> %ld\n", what, static_cast<long>(static_cast<int32_t>(rc)));
}

}  // namespace

void firmware_secondary()
{
    g_secondary_up = 1;
    guest::dsb();
    while (g_secondary_off == 0) guest::dmb();
    psci::cpu_off();
}

uint64_t run_firmware(uint64_t n)
{
    Ctx& c = ctx();
    guest::Prng& r = c.rng;
    const uint64_t entry = reinterpret_cast<uint64_t>(&guest_secondary_entry);
    const uint64_t self = guest::Mpidr::read() & 0xff00fffffful;

    edge("VERSION", psci::kVersion, 0, 0, 0);
    edge("CPU_ON(self)", psci::kCpuOn, self, entry, 0);
    for (uint64_t m : {2ul, 15ul, 16ul, 0x100ul, 0x10000ul, 0xff00fffffful, ~0ul})
        edge("CPU_ON(absent)", psci::kCpuOn, m, entry, 1);
    if (c.vcpus >= 2) {
        edge("CPU_ON(vcpu1)", psci::kCpuOn, mpidr_of(1), entry, 1);
        edge("CPU_ON(vcpu1 again)", psci::kCpuOn, mpidr_of(1), entry, 1);
        edge("CPU_ON32(vcpu1 again)", 0x84000003, mpidr_of(1), entry, 1);
        for (uint32_t i = 0; i < 1000000 && g_secondary_up == 0; ++i) guest::dmb();
        edge("AFFINITY_INFO(vcpu1)", psci::kAffinityInfo, mpidr_of(1), 0, 0);
    }
    for (uint64_t m : {2ul, 0x100ul, 0xff00000000ul, ~0ul}) edge("AFFINITY_INFO(absent)", psci::kAffinityInfo, m, 0, 0);
    for (uint64_t lvl : {1ul, 2ul, 3ul, 4ul, ~0ul}) edge("AFFINITY_INFO(self, level)", psci::kAffinityInfo, self, lvl, 0);
    for (uint64_t fid : {0x84000000ul, 0x84000008ul, 0xC4000003ul, 0x80000000ul, 0x12345678ul, ~0ul})
        edge("FEATURES", psci::kFeatures, fid, 0, 0);
    edge("MIGRATE_INFO_TYPE", 0x84000006, 0, 0, 0);
    edge("SMCCC_VERSION", 0x80000000, 0, 0, 0);
    edge("SMCCC_ARCH_FEATURES(WORKAROUND_1)", 0x80000001, 0x80008000, 0, 0);

    // Random ids over every conduit.
    const Conduit conduits[] = {hostile_hvc0, hostile_smc0, hostile_hvc1, hostile_hvc_ea0, hostile_hvc_ea2,
                                hostile_hvc_ffff, hostile_smc1, hostile_smc_ffff};
    for (uint64_t i = 0; i < n; ++i) {
        uint64_t fid = random_fid(r);
        while (ends_something(fid)) fid = random_fid(r);
        g_args[0] = fid;
        g_args[1] = r.one_in(2) ? any_value() : bad_ptr(0, 0);
        g_args[2] = any_value();
        g_args[3] = any_value();
        g_conduit = r.one_in(3) ? r.pick(conduits) : hostile_hvc0;
        ++g_t.calls;
        if (faulted(call_conduit, 0)) {
            ++g_t.undef;
        } else {
            tally(g_rc);
        }
    }
    guest::print("HOSTILE-RESULT firmware calls=%lu ok=%lu positive=%lu not_supported=%lu invalid=%lu other_neg=%lu "
                  "undef=%lu\n",
                  static_cast<unsigned long>(g_t.calls), static_cast<unsigned long>(g_t.ok),
                  static_cast<unsigned long>(g_t.positive), static_cast<unsigned long>(g_t.not_supported),
                  static_cast<unsigned long>(g_t.invalid), static_cast<unsigned long>(g_t.other_neg),
                  static_cast<unsigned long>(g_t.undef));

    if (c.vcpus >= 2) {
        // vCPU 1 turns itself off, then comes back at an entry point outside RAM.
        g_secondary_off = 1;
        guest::dsb();
        int64_t st = psci::kAffinityOn;
        for (uint32_t i = 0; i < 100000 && st != psci::kAffinityOff; ++i)
            st = psci::affinity_info(mpidr_of(1));
        guest::print("HOSTILE-PSCI AFFINITY_INFO(vcpu1 after CPU_OFF) -> %ld\n", static_cast<long>(st));
        const uint64_t bad = r.pick({0x1000ul, c.ram_end + 0x1000, 0x40000002ul, 0x8000000000ul});
        edge("CPU_ON(vcpu1, entry outside RAM)", psci::kCpuOn, mpidr_of(1), bad, 0);
        const uint64_t t0 = guest::CntVct::read(), f = guest::CntFrq::read();
        while (guest::CntVct::read() - t0 < f / 20) guest::dmb();  // 50 ms of vCPU 1 faulting
        edge("AFFINITY_INFO(vcpu1 faulting)", psci::kAffinityInfo, mpidr_of(1), 0, 0);
    }
    return g_t.calls;
}

}  // namespace hostile
