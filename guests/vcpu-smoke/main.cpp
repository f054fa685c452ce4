// SPDX-License-Identifier: MIT
//
// guests/vcpu-smoke/main.cpp
// Test guest for keel's vCPU core (2 vCPUs; needs no device tree): PSCI 1.1 /
// SMCCC 1.1 over HVC #0 and SMC #0 (versions, features, CPU_ON / AFFINITY_INFO
// / CPU_OFF including a restart), WFI blocking until an SGI from the other vCPU
// (through keel's vGIC), undefined-instruction injection (bad HVC immediate,
// an implementation-defined register where the CPU model traps it), the
// emulated system registers (CNTP_*, ACTLR_EL1, DC ISW), a Xen hypercall
// (xen_version), and FP/SIMD registers surviving while all vCPUs spin. Reports TAP-like
// lines on the PL011 at 0x22000000 (keel's vPL011) when there is one; the
// verdict also shows in keel's log: SYSTEM_OFF when all passed ("ended:
// poweroff"), SYSTEM_RESET otherwise ("ended: reboot"). Built standalone by
// build.sh (its own start.S and guest.ld, not guests/common).
#include <cstdint>

namespace {

// ---- console
constexpr uint64_t kUart = 0x2200'0000;
constinit volatile bool g_console = false;  // set once a UART register read did not fault
void putc(char c)
{
    if (!g_console) return;
    auto* fr = reinterpret_cast<volatile uint32_t*>(kUart + 0x18);
    auto* dr = reinterpret_cast<volatile uint32_t*>(kUart);
    for (int i = 0; i < 100000 && (*fr & (1u << 5)) != 0; ++i) {
    }
    *dr = static_cast<uint8_t>(c);
}
void puts(const char* s)
{
    for (; *s != '\0'; ++s) putc(*s);
}
void puthex(uint64_t v)
{
    puts("0x");
    bool started = false;
    for (int shift = 60; shift >= 0; shift -= 4) {
        const auto d = static_cast<unsigned>((v >> shift) & 0xf);
        if (d != 0 || started || shift == 0) {
            putc(static_cast<char>(d < 10 ? '0' + d : 'a' + d - 10));
            started = true;
        }
    }
}

struct Ret {
    uint64_t x0;
};
Ret hvc(uint64_t f, uint64_t a1, uint64_t a2, uint64_t a3);
constinit uint64_t g_tag = 0;
constinit volatile unsigned g_tests = 0;
constinit volatile unsigned g_failed = 0;

bool check(bool ok, const char* what, uint64_t got)
{
    const unsigned n = g_tests + 1;
    g_tests = n;
    if (!ok) {
        g_failed = g_failed + 1;
        // Also visible without a console: an unknown SMCCC call naming the check.
        (void)hvc(0x8600'00ff, n, got, 0);
    }
    puts("smoke[");
    puthex(g_tag);
    puts(ok ? "]: ok " : "]: not ok ");
    puthex(n);
    puts(" - ");
    puts(what);
    puts(" (");
    puthex(got);
    puts(")\n");
    return ok;
}

// ---- firmware calls
Ret hvc(uint64_t f) { return hvc(f, 0, 0, 0); }
Ret hvc(uint64_t f, uint64_t a1) { return hvc(f, a1, 0, 0); }
Ret hvc(uint64_t f, uint64_t a1, uint64_t a2) { return hvc(f, a1, a2, 0); }
Ret hvc(uint64_t f, uint64_t a1, uint64_t a2, uint64_t a3)
{
    register uint64_t r0 asm("x0") = f;
    register uint64_t r1 asm("x1") = a1;
    register uint64_t r2 asm("x2") = a2;
    register uint64_t r3 asm("x3") = a3;
    asm volatile("hvc #0"
                 : "+r"(r0), "+r"(r1), "+r"(r2), "+r"(r3)
                 :
                 : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14", "x15",
                   "x16", "x17", "memory");
    return {r0};
}
Ret smc(uint64_t f)
{
    register uint64_t r0 asm("x0") = f;
    asm volatile("smc #0" : "+r"(r0) : : "x1", "x2", "x3", "x4", "x5", "x6", "x7", "x8", "x9",
                 "x10", "x11", "x12", "x13", "x14", "x15", "x16", "x17", "memory");
    return {r0};
}
constexpr uint64_t neg(int v) { return static_cast<uint64_t>(static_cast<int64_t>(v)); }

uint64_t counter()
{
    uint64_t v;
    asm volatile("isb; mrs %0, cntvct_el0" : "=r"(v));
    return v;
}
uint64_t frequency()
{
    uint64_t v;
    asm volatile("mrs %0, cntfrq_el0" : "=r"(v));
    return v;
}
uint64_t mpidr()
{
    uint64_t v;
    asm volatile("mrs %0, mpidr_el1" : "=r"(v));
    return v;
}

// Waits (WFE: keel lets another vCPU run) until pred() or 2 seconds passed.
template <typename Pred>
void wait_until(Pred pred)
{
    const uint64_t end = counter() + 2 * frequency();
    while (!pred() && counter() < end) asm volatile("wfe");
}

// Spins `ms` milliseconds with a pattern in d8-d15 and v16; true when it survived
// (the other vCPUs run meanwhile on the same CPUs: keel must switch FP state).
bool fp_survives(uint64_t pattern, uint64_t ms)
{
    asm volatile("fmov d8, %0\n\tfmov d15, %0\n\tdup v16.2d, %0"
                 :
                 : "r"(pattern)
                 : "d8", "d15", "v16");
    const uint64_t end = counter() + frequency() / 1000 * ms;
    while (counter() < end) {
    }
    uint64_t a, b, c;
    asm volatile("fmov %0, d8\n\tfmov %1, d15\n\tmov %2, v16.d[1]" : "=r"(a), "=r"(b), "=r"(c));
    return a == pattern && b == pattern && c == pattern;
}

// ---- GICv3 as keel emulates it (GICD 0x03001000, GICR 0x03020000 + 128 KiB per vCPU)
void mmio_w32(uint64_t a, uint32_t v) { *reinterpret_cast<volatile uint32_t*>(a) = v; }
uint32_t mmio_r32(uint64_t a) { return *reinterpret_cast<volatile uint32_t*>(a); }
constexpr uint64_t kGicd = 0x0300'1000;
constexpr uint64_t gicr(unsigned vcpu) { return 0x0302'0000 + 0x2'0000ull * vcpu; }

// This vCPU takes SGI `sgi` through its (virtual) CPU interface.
void gic_cpu_up(unsigned vcpu, unsigned sgi)
{
    // GICR_WAKER.ProcessorSleep = 0
    mmio_w32(gicr(vcpu) + 0x14, mmio_r32(gicr(vcpu) + 0x14) & ~2u);
    mmio_w32(gicr(vcpu) + 0x1'0100, 1u << sgi);                      // GICR_ISENABLER0
    asm volatile("msr s3_0_c4_c6_0, %0" ::"r"(uint64_t{0xff}));      // ICC_PMR_EL1
    asm volatile("msr s3_0_c12_c12_7, %0\n\tisb" ::"r"(uint64_t{1})); // ICC_IGRPEN1_EL1
}
uint64_t gic_ack()
{
    uint64_t v;
    asm volatile("mrs %0, s3_0_c12_c12_0" : "=r"(v));  // ICC_IAR1_EL1
    return v;
}
void gic_eoi(uint64_t intid) { asm volatile("msr s3_0_c12_c12_1, %0\n\tisb" ::"r"(intid)); }
uint64_t gic_pending()
{
    uint64_t v;
    asm volatile("mrs %0, s3_0_c12_c12_2" : "=r"(v));  // ICC_HPPIR1_EL1
    return v & 0xff'ffff;
}

// ---- exceptions taken at EL1 (undefined instructions injected by keel)
constinit volatile uint64_t g_sync_count = 0;
constinit volatile uint64_t g_esr = 0;
constinit volatile uint64_t g_elr = 0;

// ---- vCPU 1
constinit volatile uint64_t g_secondary_ctx = 0;
constinit volatile uint64_t g_secondary_mpidr = 0;
constinit volatile uint64_t g_secondary_fp_ok = 0;
constinit volatile uint64_t g_release = 0;
constinit volatile uint64_t g_wfi_ready = 0;
constinit volatile uint64_t g_sgi_sent_at = 0;
constinit volatile uint64_t g_woke_at = 0;
constinit volatile uint64_t g_wfi_returns = 0;
constinit volatile uint64_t g_sgi_acked = 0;

}  // namespace

extern "C" {
void smoke_secondary_entry();

void smoke_sync(uint64_t*)
{
    uint64_t esr, elr;
    asm volatile("mrs %0, esr_el1\n\tmrs %1, elr_el1" : "=r"(esr), "=r"(elr));
    g_esr = esr;
    g_elr = elr;
    g_sync_count = g_sync_count + 1;
    asm volatile("msr elr_el1, %0" ::"r"(elr + 4));  // skip the faulting instruction
}

void smoke_unexpected(uint64_t n)
{
    uint64_t esr, elr;
    asm volatile("mrs %0, esr_el1\n\tmrs %1, elr_el1" : "=r"(esr), "=r"(elr));
    puts("smoke: unexpected exception vector ");
    puthex(n);
    puts(" ESR ");
    puthex(esr);
    puts(" ELR ");
    puthex(elr);
    putc('\n');
}

void smoke_secondary(uint64_t ctx)
{
    g_secondary_mpidr = mpidr();
    g_secondary_ctx = ctx;
    if (ctx == 0x1234) {
        g_secondary_fp_ok = fp_survives(0x1111'2222'3333'4444ull ^ g_tag, 60) ? 1 : 2;
        while (g_release == 0) asm volatile("wfe");
    }
    if (ctx == 0x5678) {
        // WFI with IRQs masked (PSTATE.I): keel blocks this vCPU until vCPU 0's SGI 1.
        gic_cpu_up(1, 1);
        g_wfi_ready = 1;
        uint64_t returns = 0;
        const uint64_t give_up = counter() + 3 * frequency();
        while (gic_pending() != 1 && counter() < give_up) {
            asm volatile("wfi");
            ++returns;
        }
        g_woke_at = counter();
        g_wfi_returns = returns;
        const uint64_t intid = gic_ack();
        gic_eoi(intid);
        g_sgi_acked = intid;
    }
    hvc(0x8400'0002);  // CPU_OFF: never returns
    puts("smoke: CPU_OFF returned\n");
}

void smoke_main(uint64_t x0)
{
    g_tag = x0;
    // Without a vPL011 the read faults (keel injects a data abort): stay silent
    // then; the verdict still shows in keel's log (see the end).
    const uint64_t faults = g_sync_count;
    (void)*reinterpret_cast<volatile uint32_t*>(kUart + 0x18);
    g_console = g_sync_count == faults;
    const auto entry = reinterpret_cast<uint64_t>(&smoke_secondary_entry);
    check(mpidr() == 0x8000'0000, "vCPU 0 MPIDR_EL1 is Xen's 0x80000000", mpidr());
    check(hvc(0x8400'0000).x0 == 0x10001, "PSCI_VERSION is 1.1", hvc(0x8400'0000).x0);
    check(hvc(0x8000'0000).x0 == 0x10001, "SMCCC_VERSION is 1.1", hvc(0x8000'0000).x0);
    check(hvc(0x8400'000a, 0xc400'0003).x0 == 0, "PSCI_FEATURES(CPU_ON_64) = 0",
          hvc(0x8400'000a, 0xc400'0003).x0);
    check(hvc(0x8400'000a, 0x8000'0000).x0 == 0, "PSCI_FEATURES(SMCCC_VERSION) = 0",
          hvc(0x8400'000a, 0x8000'0000).x0);
    check(hvc(0x8400'000a, 0x8400'0005).x0 == neg(-1), "PSCI_FEATURES(MIGRATE) = NOT_SUPPORTED",
          hvc(0x8400'000a, 0x8400'0005).x0);
    check(hvc(0x8000'0001, 0x8000'8000).x0 == neg(-1),
          "SMCCC_ARCH_FEATURES(WORKAROUND_1) = NOT_SUPPORTED", hvc(0x8000'0001, 0x8000'8000).x0);
    check(hvc(0x8400'0006).x0 == 2, "MIGRATE_INFO_TYPE = 2", hvc(0x8400'0006).x0);
    check(hvc(0x8400'001f).x0 == neg(-1), "unknown function = NOT_SUPPORTED", hvc(0x8400'001f).x0);
    check(smc(0x8400'0000).x0 == 0x10001, "PSCI_VERSION through SMC #0", smc(0x8400'0000).x0);
    check(hvc(0xc400'0004, 1, 0).x0 == 1, "AFFINITY_INFO(vCPU 1) = OFF", hvc(0xc400'0004, 1, 0).x0);
    check(hvc(0xc400'0003, 7, entry, 0).x0 == neg(-2), "CPU_ON(no such vCPU) = INVALID_PARAMETERS",
          hvc(0xc400'0003, 7, entry, 0).x0);

    const uint64_t on = hvc(0xc400'0003, 1, entry, 0x1234).x0;
    check(on == 0, "CPU_ON(vCPU 1) = SUCCESS", on);
    const uint64_t again = hvc(0x8400'0003, 1, entry, 0x1234).x0;  // the SMC32 form
    check(again == neg(-4), "CPU_ON(vCPU 1) again = ALREADY_ON", again);
    check(hvc(0x8400'0004, 1, 0).x0 == 0, "AFFINITY_INFO(vCPU 1) = ON", hvc(0x8400'0004, 1, 0).x0);
    check(fp_survives(0x5555'6666'7777'8888ull ^ g_tag, 60), "vCPU 0 FP/SIMD state survives", 0);
    wait_until([] { return g_secondary_fp_ok != 0; });
    check(g_secondary_ctx == 0x1234, "vCPU 1 entered with x0 = context_id", g_secondary_ctx);
    check(g_secondary_mpidr == 0x8000'0001, "vCPU 1 MPIDR_EL1 is 0x80000001", g_secondary_mpidr);
    check(g_secondary_fp_ok == 1, "vCPU 1 FP/SIMD state survives", g_secondary_fp_ok);
    g_release = 1;
    asm volatile("sev");
    uint64_t info = 0;
    wait_until([&info] { return (info = hvc(0xc400'0004, 1, 0).x0) == 1; });
    check(info == 1, "after CPU_OFF: AFFINITY_INFO(vCPU 1) = OFF", info);
    g_secondary_ctx = 0;
    check(hvc(0xc400'0003, 1, entry, 0x5678).x0 == 0, "CPU_ON(vCPU 1) after CPU_OFF = SUCCESS", 0);
    wait_until([] { return g_secondary_ctx == 0x5678; });
    check(g_secondary_ctx == 0x5678, "restarted vCPU 1 got its new context_id", g_secondary_ctx);

    // vCPU 1 sleeps in WFI; 50 ms later SGI 1 (ICC_SGI1R_EL1, trapped → vGIC) wakes it.
    mmio_w32(kGicd, (1u << 4) | (1u << 1));  // GICD_CTLR: ARE_NS, EnableGrp1A
    wait_until([] { return g_wfi_ready != 0; });
    const uint64_t t = counter() + frequency() / 20;
    while (counter() < t) {
    }
    g_sgi_sent_at = counter();
    // ICC_SGI1R_EL1: INTID 1 [27:24], target list bit 1 (vCPU 1, Aff1..3 = 0).
    asm volatile("msr s3_0_c12_c11_5, %0\n\tisb" ::"r"((uint64_t{1} << 24) | 2u));
    wait_until([] { return g_sgi_acked != 0; });
    check(g_sgi_acked == 1, "vCPU 1 took SGI 1 from vCPU 0", g_sgi_acked);
    check(g_woke_at >= g_sgi_sent_at, "vCPU 1's WFI ended after the SGI was sent", g_woke_at);
    check(g_wfi_returns <= 20, "WFI blocked (few returns)", g_wfi_returns);
    wait_until([&info] { return (info = hvc(0xc400'0004, 1, 0).x0) == 1; });
    check(info == 1, "vCPU 1 off again", info);

    // Undefined-instruction injection.
    uint64_t before = g_sync_count;
    uint64_t at = 0;
    asm volatile("adr %0, 1f\n1:\thvc #1" : "=r"(at) : : "memory");
    check(g_sync_count == before + 1 && g_esr == 0x0200'0000 && g_elr == at,
          "HVC #1 -> undefined instruction, ESR_EL1 0x2000000, ELR at the HVC", g_esr);
    before = g_sync_count;
    uint64_t dummy = 0;
    asm volatile("adr %1, 1f\n1:\tmrs %0, s3_1_c15_c2_0" : "=r"(dummy), "=r"(at) : : "memory");
    if (g_sync_count == before) {
        puts("smoke: # skip: CPUACTLR_EL1 did not trap (no HCR_EL2.TIDCP in this CPU model)\n");
    } else {
        check(g_sync_count == before + 1 && g_esr == 0x0200'0000 && g_elr == at,
              "impl-defined sysreg (TIDCP) -> undefined instruction", g_elr);
    }
    dummy = 1;
    before = g_sync_count;
    asm volatile("mrs %0, cntp_ctl_el0" : "+r"(dummy) : : "memory");
    check(dummy == 0 && g_sync_count == before, "CNTP_CTL_EL0 (trapped) reads as zero", dummy);
    dummy = 1;
    asm volatile("mrs %0, actlr_el1" : "+r"(dummy) : : "memory");
    check(g_sync_count == before, "ACTLR_EL1 (trapped by TAC) reads without a fault", dummy);
    asm volatile("dc isw, %0" ::"r"(uint64_t{0}) : "memory");
    check(g_sync_count == before, "DC ISW (trapped by TSW) completes", 0);

    register uint64_t r0 asm("x0") = 0;     // XENVER_version
    register uint64_t r16 asm("x16") = 17;  // __HYPERVISOR_xen_version
    asm volatile("hvc #0xea1" : "+r"(r0), "+r"(r16) : : "memory");
    check(r0 == 0x40011, "Xen hypercall xen_version(XENVER_version) = 4.17", r0);

    puts("smoke[");
    puthex(g_tag);
    // The verdict also shows in keel's log without a console: SYSTEM_OFF when
    // every check passed ("ended: poweroff"), SYSTEM_RESET otherwise ("ended: reboot").
    puts(g_failed == 0 ? "]: all passed; SYSTEM_OFF\n" : "]: FAILED; SYSTEM_RESET\n");
    hvc(g_failed == 0 ? 0x8400'0008 : 0x8400'0009);
    puts("smoke: SYSTEM_OFF returned\n");
}
}
