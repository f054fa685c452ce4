// SPDX-License-Identifier: MIT
//
// guests/linux/sve_check.cpp
// /bin/sve-check in the Debian guests' initramfs (tools/fetch-guest.sh): a
// static Linux program with no libc (raw system calls) that fills Z0-Z31,
// P0-P15 and FFR with a pattern from its seed, spins reading CNTVCT_EL0 for a
// while (no system call: Linux keeps a task's SVE registers across interrupts
// and switches, not across system calls), stores them and compares; several
// rounds. Run in two domains on one CPU, the hypervisor must switch their SVE
// state for the values to survive. Prints "SVE-CHECK ok seed=S vl=BITS
// rounds=N" or "SVE-CHECK FAILED ...". Usage: sve-check SEED [ROUNDS [MS]]
// (guests/linux/init runs it for keel.action=sve).
#include <cstddef>
#include <cstdint>

namespace {

constexpr long kSysWrite = 64, kSysExitGroup = 94;
constexpr unsigned kMaxVl = 256;  // bytes: the architecture's 2048 bits
constexpr unsigned kBufBytes = 32 * kMaxVl + 17 * (kMaxVl / 8);

alignas(16) uint8_t g_want[kBufBytes];
alignas(16) uint8_t g_got[kBufBytes];

long syscall3(long n, long a, long b, long c)
{
    register long x8 asm("x8") = n;
    register long x0 asm("x0") = a;
    register long x1 asm("x1") = b;
    register long x2 asm("x2") = c;
    asm volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory");
    return x0;
}

void out(const char* s)
{
    size_t n = 0;
    while (s[n] != '\0') ++n;
    (void)syscall3(kSysWrite, 1, reinterpret_cast<long>(s), static_cast<long>(n));
}

char* put_dec(char* p, uint64_t v)
{
    char tmp[24];
    int n = 0;
    do {
        tmp[n++] = static_cast<char>('0' + v % 10);
        v /= 10;
    } while (v != 0);
    while (n > 0) *p++ = tmp[--n];
    return p;
}

char* put_str(char* p, const char* s)
{
    while (*s != '\0') *p++ = *s++;
    return p;
}

uint64_t parse(const char* s, uint64_t dflt)
{
    if (s == nullptr || *s < '0' || *s > '9') return dflt;
    uint64_t v = 0;
    while (*s >= '0' && *s <= '9') v = v * 10 + static_cast<uint64_t>(*s++ - '0');
    return v;
}

uint64_t vl_bytes()
{
    uint64_t v;
    asm volatile("rdvl %0, #1" : "=r"(v));
    return v;
}

uint64_t counter_freq()
{
    uint64_t v;
    asm volatile("mrs %0, cntfrq_el0" : "=r"(v));
    return v;
}

// Loads `want`, spins until CNTVCT_EL0 >= deadline, stores into `got`: one asm
// block, so no compiler code runs while the registers hold the pattern.
void load_spin_store(const uint8_t* want, uint8_t* got, uint64_t deadline)
{
#define Z8(op, r, a, b, c, d, e, f, g, h)                                                       \
    op " z" #a ", [" r ", #" #a ", MUL VL]\n" op " z" #b ", [" r ", #" #b ", MUL VL]\n"       \
    op " z" #c ", [" r ", #" #c ", MUL VL]\n" op " z" #d ", [" r ", #" #d ", MUL VL]\n"       \
    op " z" #e ", [" r ", #" #e ", MUL VL]\n" op " z" #f ", [" r ", #" #f ", MUL VL]\n"       \
    op " z" #g ", [" r ", #" #g ", MUL VL]\n" op " z" #h ", [" r ", #" #h ", MUL VL]\n"
#define P8(op, a, b, c, d, e, f, g, h)                                                          \
    op " p" #a ", [x10, #" #a ", MUL VL]\n" op " p" #b ", [x10, #" #b ", MUL VL]\n"           \
    op " p" #c ", [x10, #" #c ", MUL VL]\n" op " p" #d ", [x10, #" #d ", MUL VL]\n"           \
    op " p" #e ", [x10, #" #e ", MUL VL]\n" op " p" #f ", [x10, #" #f ", MUL VL]\n"           \
    op " p" #g ", [x10, #" #g ", MUL VL]\n" op " p" #h ", [x10, #" #h ", MUL VL]\n"
    asm volatile(
        "addvl x10, %0, #16\n addvl x10, x10, #16\n"
        "ldr p0, [x10, #16, MUL VL]\n wrffr p0.b\n"
        P8("ldr", 0, 1, 2, 3, 4, 5, 6, 7) P8("ldr", 8, 9, 10, 11, 12, 13, 14, 15)
        Z8("ldr", "%0", 0, 1, 2, 3, 4, 5, 6, 7) Z8("ldr", "%0", 8, 9, 10, 11, 12, 13, 14, 15)
        Z8("ldr", "%0", 16, 17, 18, 19, 20, 21, 22, 23) Z8("ldr", "%0", 24, 25, 26, 27, 28, 29, 30, 31)
        "1: mrs x11, cntvct_el0\n cmp x11, %2\n b.lo 1b\n"
        "addvl x10, %1, #16\n addvl x10, x10, #16\n"
        P8("str", 0, 1, 2, 3, 4, 5, 6, 7) P8("str", 8, 9, 10, 11, 12, 13, 14, 15)
        "rdffr p0.b\n str p0, [x10, #16, MUL VL]\n"
        Z8("str", "%1", 0, 1, 2, 3, 4, 5, 6, 7) Z8("str", "%1", 8, 9, 10, 11, 12, 13, 14, 15)
        Z8("str", "%1", 16, 17, 18, 19, 20, 21, 22, 23) Z8("str", "%1", 24, 25, 26, 27, 28, 29, 30, 31)
        :
        : "r"(want), "r"(got), "r"(deadline)
        : "x10", "x11", "cc", "memory");
#undef P8
#undef Z8
}

uint64_t now()
{
    uint64_t v;
    asm volatile("isb\n mrs %0, cntvct_el0" : "=r"(v));
    return v;
}

[[noreturn]] void finish(int code)
{
    (void)syscall3(kSysExitGroup, code, 0, 0);
    __builtin_unreachable();
}

}  // namespace

extern "C" [[noreturn]] void sve_check_main(const uint64_t* sp)
{
    const auto argc = static_cast<int>(sp[0]);
    const auto* const* argv = reinterpret_cast<const char* const*>(sp + 1);
    const uint64_t seed = parse(argc > 1 ? argv[1] : nullptr, 1);
    const uint64_t rounds = parse(argc > 2 ? argv[2] : nullptr, 5);
    const uint64_t ms = parse(argc > 3 ? argv[3] : nullptr, 200);
    const uint64_t vl = vl_bytes();
    char line[160];
    char* p = line;
    if (vl == 0 || vl > kMaxVl || vl % 16 != 0) {
        p = put_dec(put_str(p, "SVE-CHECK FAILED vector length "), vl);
        *p++ = '\n';
        *p = '\0';
        out(line);
        finish(1);
    }
    const unsigned z = 32 * static_cast<unsigned>(vl), pl = static_cast<unsigned>(vl / 8);
    const unsigned total = z + 17 * pl;
    for (uint64_t r = 0; r < rounds; ++r) {
        uint32_t x = static_cast<uint32_t>(seed * 7919 + r) * 2654435761u + 1;
        for (unsigned i = 0; i < z + 16 * pl; ++i) {
            x = x * 1103515245u + 12345u;
            g_want[i] = static_cast<uint8_t>(x >> 16);
        }
        // FFR holds a monotonic predicate (WRFFR): the first k elements set.
        const unsigned k = static_cast<unsigned>((seed * 5 + r) % (pl * 8));
        for (unsigned i = 0; i < pl; ++i) {
            const unsigned lo = i * 8;
            g_want[z + 16 * pl + i] =
                static_cast<uint8_t>(k >= lo + 8 ? 0xff : k > lo ? (1u << (k - lo)) - 1 : 0);
        }
        load_spin_store(g_want, g_got, now() + counter_freq() * ms / 1000);
        unsigned bad = 0;
        for (unsigned i = 0; i < total; ++i) bad += g_got[i] != g_want[i] ? 1 : 0;
        if (bad != 0) {
            p = put_str(p, "SVE-CHECK FAILED seed=");
            p = put_dec(p, seed);
            p = put_str(p, " round=");
            p = put_dec(p, r);
            p = put_str(p, " bytes_differ=");
            p = put_dec(p, bad);
            *p++ = '\n';
            *p = '\0';
            out(line);
            finish(1);
        }
    }
    p = put_str(p, "SVE-CHECK ok seed=");
    p = put_dec(p, seed);
    p = put_str(p, " vl=");
    p = put_dec(p, vl * 8);
    p = put_str(p, " rounds=");
    p = put_dec(p, rounds);
    p = put_str(p, " ms=");
    p = put_dec(p, ms);
    *p++ = '\n';
    *p = '\0';
    out(line);
    finish(0);
}

// The ELF entry: the kernel's initial stack (argc, argv...) to sve_check_main.
asm(".text\n.global _start\n.type _start, %function\n_start:\n mov x0, sp\n bl sve_check_main\n");
