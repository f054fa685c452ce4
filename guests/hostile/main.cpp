// SPDX-License-Identifier: MIT
//
// guests/hostile/main.cpp
// The hostile test guest: one binary, its attack chosen by /chosen bootargs
// "hostile=<mode>" (hypercalls, mmio, firmware, sysregs, evtchn, grant, crash,
// offmidflood; see hostile.hpp). It prints its mode and PRNG seed first, so a
// run can be repeated with "seed=<n>", and ends with "HOSTILE-DONE <mode>
// calls=<n>" and PSCI SYSTEM_OFF (the crash modes end otherwise, on purpose).
#include "hostile.hpp"

extern "C" char _end[];

namespace hostile {
namespace {

constinit Ctx g_ctx;

bool same(const char* a, const char* b)
{
    while (*a != '\0' && *a == *b) ++a, ++b;
    return *a == *b;
}

/// "hostile=<value>" is one of the blank-separated words of `args`.
bool mode_is(const char* args, const char* value)
{
    constexpr char kKey[] = "hostile=";
    for (const char* p = args; *p != '\0'; ++p) {
        if (p != args && p[-1] != ' ') continue;
        uint32_t i = 0;
        while (kKey[i] != '\0' && p[i] == kKey[i]) ++i;
        if (kKey[i] != '\0') continue;
        const char* v = p + i;
        uint32_t j = 0;
        while (value[j] != '\0' && v[j] == value[j]) ++j;
        if (value[j] == '\0' && (v[j] == ' ' || v[j] == '\0')) return true;
    }
    return false;
}

// A copy of the bootargs in the image: the DT lives in upper RAM, which attacks overwrite.
constinit char g_args[256] = {};

}  // namespace

Ctx& ctx() { return g_ctx; }

void secondary(uint32_t)
{
    const char* mode = g_ctx.mode;
    if (same(mode, "firmware")) firmware_secondary();
    if (same(mode, "crash")) crash_secondary();
    if (same(mode, "offmidflood")) flood_secondary();
}

[[noreturn]] void done(const char* mode, uint64_t calls)
{
    guest::print("HOSTILE-DONE %s calls=%lu\n", mode, static_cast<unsigned long>(calls));
    guest::psci::system_off();
}

}  // namespace hostile

using namespace hostile;

void test_main(uint64_t)
{
    Ctx& c = ctx();
    const guest::GuestDt& dt = guest::dt();
    uint32_t i = 0;
    for (; i + 1 < sizeof(g_args) && dt.bootargs[i] != '\0'; ++i) g_args[i] = dt.bootargs[i];
    g_args[i] = '\0';
    c.args = g_args;
    c.ram_base = dt.ram_base;
    c.ram_end = dt.ram_base + dt.ram_size;
    c.image_end = (reinterpret_cast<uint64_t>(_end) + 0xfff) & ~0xffful;
    // The DTB sits in the last 2 MiB (keel's place_modules for a small domain);
    // keep 2 MiB above the image too.
    c.upper = (c.image_end + 0x3fffff) & ~0x1ffffful;
    c.upper_end = c.ram_end - 0x200000;
    if (c.upper_end <= c.upper + 0x100000) guest::tap::bail("hostile: needs at least 16 MiB of RAM");
    c.vcpus = dt.cpus;
    c.self = static_cast<uint16_t>(guest::bootarg_u64(c.args, "domid", 0x7ff0));
    c.seed = guest::bootarg_u64(c.args, "seed", 0);
    if (c.seed == 0) c.seed = guest::CntVct::read() * 0x9e3779b97f4a7c15ul ^ 0x6b65656c;
    c.rng.reseed(c.seed);

    const char* modes[] = {"hypercalls", "mmio", "firmware", "sysregs", "evtchn", "grant", "crash", "offmidflood"};
    const char* mode = nullptr;
    for (const char* m : modes)
        if (mode_is(c.args, m)) mode = m;
    if (mode == nullptr) guest::tap::bail("hostile: no known hostile=<mode> in bootargs '%s'", c.args);
    c.mode = mode;
    guest::dsb();
    guest::print("HOSTILE-BEGIN %s seed=%lu domid=%u vcpus=%u ram=%lu MiB upper=%lx..%lx\n", mode,
                  static_cast<unsigned long>(c.seed), c.self, c.vcpus,
                  static_cast<unsigned long>((c.ram_end - c.ram_base) >> 20), static_cast<unsigned long>(c.upper),
                  static_cast<unsigned long>(c.upper_end));

    uint64_t calls = 0;
    if (same(mode, "hypercalls")) calls = run_hypercalls(guest::bootarg_u64(c.args, "calls", 100000));
    if (same(mode, "mmio")) calls = run_mmio();
    if (same(mode, "firmware")) calls = run_firmware(guest::bootarg_u64(c.args, "calls", 20000));
    if (same(mode, "sysregs")) calls = run_sysregs(guest::bootarg_u64(c.args, "calls", 20000));
    if (same(mode, "evtchn")) calls = run_evtchn(guest::bootarg_u64(c.args, "sends", 1000000));
    if (same(mode, "grant")) calls = run_grant(guest::bootarg_u64(c.args, "ops", 20000));
    if (same(mode, "crash")) run_crash();
    if (same(mode, "offmidflood")) run_offmidflood();
    done(mode, calls);
}

void secondary_main(uint32_t cpu) { hostile::secondary(cpu); }
