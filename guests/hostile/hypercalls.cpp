// SPDX-License-Identifier: MIT
//
// guests/hostile/hypercalls.cpp
// Owns hostile=hypercalls: every hypercall number 0..63 and beyond (a sweep
// first, then random), with random sub-ops and arguments: pointers of every
// class of targets.cpp, structs filled with hostile words, huge counts. Calls
// that would legitimately end or stall this domain are steered away from
// (SCHEDOP_shutdown/remote_shutdown/watchdog/block, SCHEDOP_poll without a
// past timeout, VCPUOP_down); multicall lists are built here so a nested call
// is as hostile as a direct one but never one of those. platform_op, sysctl
// and domctl get structs with the right interface version (the control
// domain's commands, truncated at the end of RAM at times): any success is
// reported as HOSTILE-CTL-ALLOWED. Prints a count per result class.
#include "hostile.hpp"
#include "xen.hpp"

namespace hostile {
namespace {

namespace xa = guest::xa;

// Scratch structs live here; pointers into it stay in its first 8 KiB and the
// counts of such calls stay small, so whatever keel writes back stays inside.
constexpr uint64_t kScratchLen = 64 * 1024, kScratchPtrs = 8 * 1024, kMaxCountNearScratch = 512;
alignas(4096) constinit uint8_t g_scratch[kScratchLen] = {};
constexpr uint32_t kMcMax = 16;
alignas(64) constinit xa::MulticallEntry g_mc[kMcMax] = {};
// SCHEDOP_poll's argument: apart from scratch, so no other call's output can
// turn its past timeout into "wait for ever".
struct PollArg {
    xa::SchedPoll poll;
    uint32_t ports[4];
};
alignas(64) constinit PollArg g_poll = {};

uint64_t scratch() { return reinterpret_cast<uint64_t>(g_scratch); }
bool in_scratch(uint64_t p) { return p >= scratch() && p < scratch() + kScratchLen; }

constexpr uint64_t kKnown[] = {7, 12, 13, 17, 18, 20, 21, 24, 27, 29, 32, 33, 34, 35, 36, 39, 41, 42};

struct Call {
    uint64_t nr;
    uint64_t a[5];
};

uint64_t pick_nr(guest::Prng& r)
{
    switch (r.below(10)) {
    case 0:
    case 1: return r.below(64);
    case 2: return r.pick({64ul, 65ul, 127ul, 255ul, 0xea1ul, 0xfffful, 1ul << 32, 29ul | (1ul << 32), ~0ul,
                           r.next()});
    default: return r.pick(kKnown);
    }
}

/// A struct argument: a pointer into freshly filled scratch, or a hostile pointer
/// that is not RAM this guest uses (-EFAULT expected).
uint64_t struct_arg(guest::Prng& r)
{
    if (r.one_in(4)) return bad_ptr(0, 0);
    const uint64_t off = r.below(kScratchPtrs);
    fill_hostile(g_scratch + (off & ~7ul), 256);
    return scratch() + (r.one_in(8) ? off : off & ~7ul);
}

void gen(Call& c, bool nested);

/// A platform_op/sysctl/domctl struct that passes the interface version check
/// (mostly), with the commands dom0 may use, ids of every class, hostile
/// words elsewhere; sometimes only its header fits before the end of RAM.
/// Whatever it asks, a domU must be refused.
constinit uint64_t g_ctl_header = 0;  // cmd | version << 32, for store_ctl_header
void store_ctl_header(uint64_t at) { *reinterpret_cast<volatile uint64_t*>(at) = g_ctl_header; }

uint64_t ctl_struct(guest::Prng& r, uint32_t nr)
{
    Ctx& x = ctx();
    const bool truncated = r.one_in(8) && x.ram_end - 256 >= x.upper;
    const uint64_t at = truncated ? (x.ram_end - 8 - r.below(120)) & ~7ul
                                  : scratch() + (r.below(kScratchPtrs - 256) & ~7ul);
    auto* p = reinterpret_cast<uint8_t*>(at);
    if (!truncated) fill_hostile(p, 256);
    const uint32_t version = r.one_in(8) ? static_cast<uint32_t>(any_value()) : nr == 7 ? 0x03000001u : 0x15u;
    const uint32_t cmd = static_cast<uint32_t>(
        r.one_in(2) ? r.pick({1ul, 2ul, 3ul, 4ul, 5ul, 6ul, 14ul, 16ul, 17ul, 18ul, 62ul}) : r.below(100));
    g_ctl_header = cmd | uint64_t{version} << 32;
    // Upper RAM may have been given away by an earlier call: a fault there is fine.
    (void)faulted(store_ctl_header, at);
    if (nr == 36 && !truncated) {
        const uint16_t dom = r.one_in(2) ? any_domid() : x.self;
        p[8] = static_cast<uint8_t>(dom);
        p[9] = static_cast<uint8_t>(dom >> 8);
    }
    return at;
}

/// A multicall list of `n` entries built from gen() (never multicall itself).
uint64_t build_multicall(uint32_t n)
{
    for (uint32_t i = 0; i < n && i < kMcMax; ++i) {
        Call c{};
        c.nr = ~0ul;
        gen(c, true);
        g_mc[i].op = c.nr;
        g_mc[i].result = ctx().rng.next();
        for (uint32_t k = 0; k < 5; ++k) g_mc[i].args[k] = c.a[k];
        g_mc[i].args[5] = any_value();
    }
    return reinterpret_cast<uint64_t>(g_mc);
}

void gen(Call& c, bool nested)
{
    guest::Prng& r = ctx().rng;
    if (c.nr == ~0ul) c.nr = pick_nr(r);  // ~0: choose; else the sweep's number
    const uint64_t cmd = r.one_in(8) ? any_value() : r.below(r.one_in(4) ? 64 : 16);
    c.a[0] = cmd;
    c.a[1] = r.one_in(3) ? struct_arg(r) : bad_ptr(scratch(), kScratchPtrs);
    c.a[2] = any_value();
    c.a[3] = r.one_in(2) ? bad_ptr(scratch(), kScratchPtrs) : any_value();
    c.a[4] = any_value();
    const uint32_t nr32 = static_cast<uint32_t>(c.nr);
    const uint32_t cmd32 = static_cast<uint32_t>(c.a[0]);
    switch (nr32) {
    case 13:  // multicall(list, count)
        if (nested) {
            c.nr = 17;  // keel refuses nesting anyway; never read an unbuilt list
            break;
        }
        if (r.one_in(5)) {
            c.a[0] = fault_ptr();
            c.a[1] = any_value();
        } else {
            const uint32_t n = static_cast<uint32_t>(r.below(kMcMax + 1));
            c.a[0] = build_multicall(n) + (r.one_in(16) ? r.below(64) : 0);
            c.a[1] = r.below(n + 1);
        }
        break;
    case 29:  // sched_op(cmd, arg)
        if (cmd32 == xa::kSchedBlock || cmd32 == xa::kSchedShutdown || cmd32 == xa::kSchedRemoteShutdown ||
            cmd32 == xa::kSchedWatchdog) {
            c.a[0] = r.pick({xa::kSchedYield, xa::kSchedShutdownCode, xa::kSchedPinOverride, 0x100ul});
        }
        if (static_cast<uint32_t>(c.a[0]) == xa::kSchedPoll) {
            if (r.one_in(3)) {
                c.a[1] = fault_ptr();
            } else {
                xa::SchedPoll& p = g_poll.poll;
                p.ports = r.one_in(2) ? reinterpret_cast<uint64_t>(g_poll.ports) : fault_ptr();
                p.nr_ports = static_cast<uint32_t>(r.one_in(4) ? any_value() : r.below(4));
                p.timeout = 1 + r.below(1000);  // Xen system time long past: returns at once
                for (uint32_t& port : g_poll.ports) port = static_cast<uint32_t>(any_value());
                c.a[1] = reinterpret_cast<uint64_t>(&p);
            }
        }
        break;
    case 24:  // vcpu_op(cmd, vcpuid, arg)
        c.a[1] = r.one_in(2) ? r.below(4) : any_value();
        c.a[2] = r.one_in(3) ? bad_ptr(0, 0) : struct_arg(r);
        if (cmd32 == xa::kVcpuopDown) c.a[0] = xa::kVcpuopIsUp;
        break;
    case 18:  // console_io(cmd, count, buffer): keep output short
        c.a[1] = r.one_in(16) ? any_value() : r.below(24);
        if (static_cast<uint32_t>(c.a[0]) == xa::kConsoleioWrite) c.a[1] = r.below(16);
        c.a[2] = bad_ptr(scratch(), kScratchPtrs);
        break;
    case 20:  // grant_table_op(cmd, ops, count)
        c.a[2] = r.one_in(6) ? any_value() : r.below(8);
        break;
    case 7:   // platform_op(op), sysctl(op), domctl(op): the struct is x0
    case 35:
    case 36:
        if (!r.one_in(4)) c.a[0] = ctl_struct(r, nr32);
        break;
    default: break;
    }
    // Whatever points into scratch: the other arguments (possible counts and
    // lengths) stay small, so keel's writes stay inside the scratch buffer.
    bool near = false;
    for (uint64_t a : c.a) near = near || in_scratch(a);
    // a[0] is the sub-op (or multicall's list) everywhere: left as sanitised above.
    if (near)
        for (uint32_t k = 1; k < 5; ++k)
            if (!in_scratch(c.a[k]) && c.a[k] > kMaxCountNearScratch) c.a[k] = r.below(kMaxCountNearScratch);
}

struct Tally {
    uint64_t ok = 0, positive = 0, enosys = 0, efault = 0, einval = 0, eperm = 0, other = 0;
    uint64_t per_nr[65] = {};
};
constinit Tally g_tally;

void count(const Call& c, long rc)
{
    Tally& t = g_tally;
    if ((c.nr == 7 || c.nr == 35 || c.nr == 36) && rc >= 0)  // the scenario forbids this line
        guest::print("HOSTILE-CTL-ALLOWED %lu(%lx) = %ld\n", static_cast<unsigned long>(c.nr),
                     static_cast<unsigned long>(c.a[0]), rc);
    ++t.per_nr[c.nr < 64 ? c.nr : 64];
    if (rc == 0) ++t.ok;
    else if (rc > 0) ++t.positive;
    else if (rc == -xa::kENOSYS) ++t.enosys;
    else if (rc == -xa::kEFAULT) ++t.efault;
    else if (rc == -xa::kEINVAL) ++t.einval;
    else if (rc == -xa::kEPERM) ++t.eperm;
    else ++t.other;
}

}  // namespace

uint64_t run_hypercalls(uint64_t n)
{
    guest::Prng& r = ctx().rng;
    uint64_t done_calls = 0;
    // Reproduction aids: "progress=<n>" (default 20000), "trace=<first call index>".
    const uint64_t progress = guest::bootarg_u64(ctx().args, "progress", 20000);
    const uint64_t trace = guest::bootarg_u64(ctx().args, "trace", ~0ul);
    for (uint64_t i = 0; i < n; ++i) {
        Call c{};
        // The sweep: every number 0..63 and some beyond, 8 times each, first.
        c.nr = i < 72 * 8 ? (i / 8 < 64 ? i / 8 : r.pick({64ul, 100ul, 0xea1ul, 1ul << 32, ~1ul, 4096ul, 63ul + 64,
                                                            1ul << 40}))
                          : ~0ul;
        gen(c, false);
        if (i >= trace)
            guest::print("HOSTILE-CALL %lu: %lu(%lx, %lx, %lx, %lx, %lx)\n", static_cast<unsigned long>(i),
                          static_cast<unsigned long>(c.nr), static_cast<unsigned long>(c.a[0]),
                          static_cast<unsigned long>(c.a[1]), static_cast<unsigned long>(c.a[2]),
                          static_cast<unsigned long>(c.a[3]), static_cast<unsigned long>(c.a[4]));
        const long rc = guest::xen::hypercall(c.nr, c.a[0], c.a[1], c.a[2], c.a[3], c.a[4]);
        count(c, rc);
        ++done_calls;
        if ((i + 1) % progress == 0) guest::print("HOSTILE-PROGRESS hypercalls %lu\n", static_cast<unsigned long>(i + 1));
    }
    const Tally& t = g_tally;
    uint32_t numbers = 0;
    for (uint32_t k = 0; k < 64; ++k) numbers += t.per_nr[k] != 0;
    guest::print("HOSTILE-RESULT hypercalls numbers0-63=%u beyond=%lu ok=%lu positive=%lu enosys=%lu efault=%lu "
                  "einval=%lu eperm=%lu other=%lu\n",
                  numbers, static_cast<unsigned long>(t.per_nr[64]), static_cast<unsigned long>(t.ok),
                  static_cast<unsigned long>(t.positive), static_cast<unsigned long>(t.enosys),
                  static_cast<unsigned long>(t.efault), static_cast<unsigned long>(t.einval),
                  static_cast<unsigned long>(t.eperm), static_cast<unsigned long>(t.other));
    return done_calls;
}

}  // namespace hostile
