// SPDX-License-Identifier: MIT
//
// guests/cpu-iso/main.cpp
// Test guest for the isolation of a vCPU's self-hosted debug and PMU state:
// two domUs of this guest share one physical CPU and yield to each other every
// round. Role a (bootargs "role=a") arms hardware breakpoint 0 on
// target_fn() and watchpoint 0 on stores to g_watched and keeps them armed,
// expects each to fire for it every round, single-steps a sequence that traps
// to the hypervisor (an emulated MRS, a yielding hypercall), and writes the
// PMU controls. Role b enables debug exceptions too (MDSCR_EL1.MDE/KDE,
// PSTATE.D clear) with its own, disabled, distinct register values, runs the
// same code at the same addresses, and must never take a debug exception; it
// reads its own values back after every switch. Both see the PMU hidden, as
// Xen 4.17 shows it to a domU: the common registers read as zero and ignore
// writes, PMEVCNTR<n>_EL0 / PMCCFILTR_EL0 are undefined. `rounds=N` (50).
#include <cstdint>

#include "bench.hpp"
#include "guest.hpp"
#include "xen.hpp"

namespace {

using guest::Frame;
namespace tap = guest::tap;

GUEST_SYSREG_ISB(IdDfr0, "id_aa64dfr0_el1");
GUEST_SYSREG_ISB(Mdscr, "mdscr_el1");
GUEST_SYSREG_ISB(Oslar, "S2_0_C1_C0_4");
GUEST_SYSREG_ISB(Oslsr, "S2_0_C1_C1_4");
GUEST_SYSREG_ISB(Bvr0, "S2_0_C0_C0_4");
GUEST_SYSREG_ISB(Bcr0, "S2_0_C0_C0_5");
GUEST_SYSREG_ISB(Wvr0, "S2_0_C0_C0_6");
GUEST_SYSREG_ISB(Wcr0, "S2_0_C0_C0_7");
GUEST_SYSREG_ISB(Bvr1, "S2_0_C0_C1_4");
GUEST_SYSREG_ISB(Bcr1, "S2_0_C0_C1_5");
GUEST_SYSREG_ISB(ClaimSet, "S2_0_C7_C8_6");
GUEST_SYSREG_ISB(ClaimClr, "S2_0_C7_C9_6");
GUEST_SYSREG_ISB(Pmcr, "S3_3_C9_C12_0");
GUEST_SYSREG_ISB(Pmcntenset, "S3_3_C9_C12_1");
GUEST_SYSREG_ISB(Pmccntr, "S3_3_C9_C13_0");
GUEST_SYSREG_ISB(Pmuserenr, "S3_3_C9_C14_0");
GUEST_SYSREG_ISB(Pmintenset, "S3_0_C9_C14_1");
GUEST_SYSREG_ISB(Pmevcntr0, "S3_3_C14_C8_0");
GUEST_SYSREG_ISB(Pmccfiltr, "S3_3_C14_C15_7");
#undef SYSREG

constexpr uint64_t kMdscrSs = 1u << 0, kMdscrKde = 1u << 13, kMdscrMde = 1u << 15;
constexpr uint64_t kSpsrSs = 1u << 21;
// DBGBCR: BAS 0b1111 (an A64 instruction), PMC 0b11 (EL1 and EL0), E.
constexpr uint64_t kBcrArmed = (0xfu << 5) | (3u << 1) | 1u;
// DBGWCR: BAS 0xff (8 bytes), LSC 0b10 (stores), PAC 0b11, E.
constexpr uint64_t kWcrArmedStore = (0xffu << 5) | (2u << 3) | (3u << 1) | 1u;
constexpr uint32_t kEcBreakpointSame = 0x31, kEcStepSame = 0x33, kEcWatchpointSame = 0x35;

constinit volatile uint64_t g_watched = 0;
constinit volatile uint32_t g_bp_hits = 0, g_wp_hits = 0, g_other_debug = 0;
constinit volatile uint64_t g_wp_far = 0;
constinit volatile bool g_stepping = false;
constexpr uint32_t kMaxSteps = 16;
constinit volatile uint64_t g_steps[kMaxSteps] = {};
constinit volatile uint32_t g_step_count = 0;

}  // namespace

// The breakpoint target, and the single-step sequence (s0 .. s6 labels).
extern "C" [[gnu::noinline]] void target_fn() { asm volatile("nop" ::: "memory"); }
extern "C" void step_seq();
extern "C" const char step_s1[], step_s2[], step_s5[], step_s6[];
asm(R"(
    .text
    .global step_seq, step_s1, step_s2, step_s5, step_s6
    .balign 4
step_seq:
    nop                          // breakpoint 0 here starts the stepping
step_s1:
    mrs     x9, actlr_el1        // trapped (HCR_EL2.TACR), emulated by the hypervisor
step_s2:
    mov     x0, #0               // SCHEDOP_yield
    mov     x1, #0
    mov     x16, #29             // __HYPERVISOR_sched_op
step_s5:
    hvc     #0xea1               // the other domain runs meanwhile
step_s6:
    nop
    ret
)");

namespace {

bool debug_hook(Frame* f)
{
    const uint32_t ec = guest::esr_ec(f->esr);
    switch (ec) {
    case kEcBreakpointSame:
        g_bp_hits = g_bp_hits + 1;
        Bcr0::write(0);  // the instruction runs when we return
        if (g_stepping) {
            Mdscr::write(Mdscr::read() | kMdscrSs);
            f->spsr |= kSpsrSs;  // step the breakpointed instruction
        }
        return true;
    case kEcWatchpointSame:
        g_wp_hits = g_wp_hits + 1;
        g_wp_far = f->far;
        Wcr0::write(0);  // the store runs when we return
        return true;
    case kEcStepSame: {
        const uint32_t n = g_step_count;
        if (n < kMaxSteps) g_steps[n] = f->elr;
        g_step_count = n + 1;
        if (f->elr == reinterpret_cast<uint64_t>(step_s6) || n + 1 >= kMaxSteps) {
            Mdscr::write(Mdscr::read() & ~kMdscrSs);
            f->spsr &= ~kSpsrSs;
            g_stepping = false;
        } else {
            f->spsr |= kSpsrSs;  // one more instruction
        }
        return true;
    }
    case 0x30: case 0x32: case 0x34: case 0x3c:
        g_other_debug = g_other_debug + 1;
        return true;
    default: return false;
    }
}

// DBGCLAIMSET_EL1 with `tags`; false when this CPU model lacks the claim
// registers (an UNDEFINED that never reaches the hypervisor: QEMU's older models).
constinit bool g_have_claim = false;
bool claim_set(uint64_t tags)
{
    guest::expect_fault();
    ClaimSet::write(tags);
    g_have_claim = !guest::take_fault().taken;
    if (!g_have_claim) tap::note("DBGCLAIMSET_EL1 is undefined on this CPU model: claim tags not checked");
    return g_have_claim;
}
bool claim_is(uint64_t tags) { return !g_have_claim || (ClaimClr::read() & 0xff) == tags; }

void yield() { (void)guest::xen::sched_op(guest::xa::kSchedYield, nullptr); }

void enable_debug_exceptions()
{
    Oslar::write(0);
    Mdscr::write(kMdscrMde | kMdscrKde);
    asm volatile("msr daifclr, #8; isb" ::: "memory");  // PSTATE.D = 0
}

// The PMU as Xen 4.17 shows it to a domU; `mine` is what this role writes.
void check_pmu_hidden(uint64_t mine)
{
    Pmcr::write(mine | 1u);  // E: would start every counter
    Pmcntenset::write(uint64_t{1} << 31);
    Pmintenset::write(~uint64_t{0});
    Pmuserenr::write(0xf);
    for (int i = 0; i < 1000; ++i) {
        asm volatile("" ::: "memory");
    }
    tap::ok(Pmcr::read() == 0 && Pmcntenset::read() == 0 && Pmccntr::read() == 0 &&
                Pmuserenr::read() == 0 && Pmintenset::read() == 0,
            "PMCR/PMCNTENSET/PMCCNTR/PMUSERENR/PMINTENSET read as zero after writes (RAZ/WI)");
    guest::expect_fault();
    (void)Pmevcntr0::read();
    const guest::FaultRecord f1 = guest::take_fault();
    guest::expect_fault();
    Pmccfiltr::write(0);
    const guest::FaultRecord f2 = guest::take_fault();
    tap::ok(f1.taken && guest::esr_ec(f1.esr) == guest::kEcUnknown && f2.taken &&
                guest::esr_ec(f2.esr) == guest::kEcUnknown,
            "PMEVCNTR0_EL0 and PMCCFILTR_EL0 are undefined");
}

void run_a(uint32_t rounds)
{
    const uint64_t dfr0 = IdDfr0::read();
    tap::note("ID_AA64DFR0_EL1 %lx: %lu breakpoints, %lu watchpoints",
              static_cast<unsigned long>(dfr0), static_cast<unsigned long>(((dfr0 >> 12) & 0xf) + 1),
              static_cast<unsigned long>(((dfr0 >> 20) & 0xf) + 1));
    Oslar::write(1);
    const bool locked = (Oslsr::read() & 2) != 0;
    enable_debug_exceptions();
    tap::ok(locked && (Oslsr::read() & 0xb) == 0x8, "OS lock: OSLAR_EL1 sets and clears OSLSR_EL1.OSLK");
    tap::ok(Mdscr::read() == (kMdscrMde | kMdscrKde), "MDSCR_EL1 reads back MDE|KDE");
    (void)claim_set(0x5a);
    const uint64_t bp = reinterpret_cast<uint64_t>(&target_fn);
    const uint64_t wp = reinterpret_cast<uint64_t>(&g_watched);
    Bvr0::write(bp);
    Wvr0::write(wp);
    bool values_ok = true;
    for (uint32_t i = 0; i < rounds; ++i) {
        Bcr0::write(kBcrArmed);
        Wcr0::write(kWcrArmedStore);
        yield();  // role b runs here with our breakpoint and watchpoint armed
        target_fn();
        g_watched = i;
        values_ok = values_ok && Bvr0::read() == bp && Wvr0::read() == wp &&
                    Bcr0::read() == 0 && Wcr0::read() == 0 && claim_is(0x5a);
    }
    tap::ok(g_bp_hits == rounds, "breakpoint 0 on target_fn fired in each of %u rounds (%u)", rounds,
            g_bp_hits);
    tap::ok(g_wp_hits == rounds && g_wp_far == wp && g_watched == rounds - 1,
            "watchpoint 0 on g_watched fired for each store, which then completed (%u)", g_wp_hits);
    tap::ok(values_ok, "own DBGBVR0/DBGWVR0/DBGCLAIM values read back after every switch");

    // Single step from breakpoint 0 on step_seq through an instruction the
    // hypervisor emulates and a hypercall that switches to the other domain.
    g_stepping = true;
    Bvr0::write(reinterpret_cast<uint64_t>(&step_seq));
    Bcr0::write(kBcrArmed);
    step_seq();
    const uint32_t n = g_step_count;
    tap::ok(n == 6 && g_steps[0] == reinterpret_cast<uint64_t>(step_s1) &&
                g_steps[1] == reinterpret_cast<uint64_t>(step_s2) &&
                g_steps[4] == reinterpret_cast<uint64_t>(step_s5) &&
                g_steps[5] == reinterpret_cast<uint64_t>(step_s6),
            "single step: one step exception per instruction, the emulated MRS and the hypercall "
            "included (%u steps)", n);
    tap::ok(Mdscr::read() == (kMdscrMde | kMdscrKde) && g_other_debug == 0,
            "no other debug exception; MDSCR_EL1.SS clear again");
    check_pmu_hidden(0x4);
    // Leave the breakpoint and watchpoint armed for the rest of role b's rounds.
    Bvr0::write(bp);
    Bcr0::write(kBcrArmed);
    Wcr0::write(kWcrArmedStore);
    for (uint32_t i = 0; i < 20; ++i) yield();
}

void run_b(uint32_t rounds)
{
    enable_debug_exceptions();
    // Distinct values, nothing enabled (E = 0).
    constexpr uint64_t kBvr = 0x0000'0000'1234'5670, kBcr = kBcrArmed & ~uint64_t{1};
    constexpr uint64_t kWvr = 0x0000'0000'0bad'0008, kWcr = kWcrArmedStore & ~uint64_t{1};
    constexpr uint64_t kBvr1 = 0x0000'0000'7654'3210;
    Bvr0::write(kBvr);
    Bcr0::write(kBcr);
    Wvr0::write(kWvr);
    Wcr0::write(kWcr);
    Bvr1::write(kBvr1);
    Bcr1::write(0);
    (void)claim_set(0xa5);
    bool values_ok = true;
    for (uint32_t i = 0; i < rounds; ++i) {
        yield();  // role a runs with its breakpoint and watchpoint armed
        target_fn();
        g_watched = i;
        values_ok = values_ok && Bvr0::read() == kBvr && Bcr0::read() == kBcr &&
                    Wvr0::read() == kWvr && Wcr0::read() == kWcr && Bvr1::read() == kBvr1 &&
                    Mdscr::read() == (kMdscrMde | kMdscrKde) && claim_is(0xa5) &&
                    (Oslsr::read() & 2) == 0;
    }
    tap::ok(g_bp_hits == 0 && g_wp_hits == 0 && g_step_count == 0 && g_other_debug == 0,
            "no debug exception in %u rounds on role a's breakpoint/watchpoint addresses", rounds);
    tap::ok(values_ok, "own DBGBVR/BCR/WVR/WCR, MDSCR_EL1, DBGCLAIM and OS lock read back after every switch");
    check_pmu_hidden(0x2);
    tap::ok(g_bp_hits == 0 && g_wp_hits == 0 && g_step_count == 0, "still no debug exception");
}

}  // namespace

void test_main(uint64_t)
{
    const char* args = guest::dt().bootargs;
    const auto rounds = static_cast<uint32_t>(guest::bootarg_u64(args, "rounds", 50));
    guest::set_sync_hook(debug_hook);
    if (guest::bench::arg_is(args, "role", "a")) {
        run_a(rounds);
    } else if (guest::bench::arg_is(args, "role", "b")) {
        run_b(rounds);
    } else {
        tap::bail("bootargs need role=a or role=b");
    }
}

void secondary_main(uint32_t) {}
