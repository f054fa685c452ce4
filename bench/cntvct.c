// SPDX-License-Identifier: MIT
// bench/cntvct.c — the boot benchmark's userspace marker, a static freestanding
// arm64 Linux program (no libc: two raw syscalls). Prints one line,
//   GUEST-READY role=<argv[1]> cntvct=<CNTVCT_EL0> cntfrq=<CNTFRQ_EL0>
// in a single write(2), so the harness sees the marker and the guest's virtual
// counter at the same moment. Linux lets EL0 read CNTVCT_EL0 (the vDSO needs it).
// Under QEMU's -icount the counter counts emulated time (instructions); keel and
// Xen start a domU's virtual counter at its creation (CNTVOFF), which the harness
// adds back from keel's build log line or takes from Xen's console timestamp.
// Build: aarch64-linux-gnu-gcc -static -nostdlib -ffreestanding -O2 -o cntvct cntvct.c

typedef unsigned long u64;

static long sys3(long nr, long a, long b, long c)
{
    register long x8 __asm__("x8") = nr;
    register long x0 __asm__("x0") = a;
    register long x1 __asm__("x1") = b;
    register long x2 __asm__("x2") = c;
    __asm__ volatile("svc #0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory");
    return x0;
}

static char* put_str(char* p, const char* s)
{
    while (*s) *p++ = *s++;
    return p;
}

static char* put_u64(char* p, u64 v)
{
    char t[24];
    int n = 0;
    do { t[n++] = (char)('0' + v % 10); v /= 10; } while (v);
    while (n) *p++ = t[--n];
    return p;
}

__attribute__((used, noreturn)) void main_c(long argc, char** argv);
void main_c(long argc, char** argv)
{
    u64 vct, frq;
    __asm__ volatile("isb; mrs %0, cntvct_el0" : "=r"(vct));
    __asm__ volatile("mrs %0, cntfrq_el0" : "=r"(frq));
    char line[160];
    char* p = put_str(line, "GUEST-READY role=");
    const char* role = argc > 1 ? argv[1] : "native";
    for (int i = 0; role[i] && i < 40; ++i) *p++ = role[i];
    p = put_str(p, " cntvct=");
    p = put_u64(p, vct);
    p = put_str(p, " cntfrq=");
    p = put_u64(p, frq);
    *p++ = '\n';
    sys3(64 /* write */, 1, (long)line, p - line);
    sys3(93 /* exit */, 0, 0, 0);
    for (;;) {}
}

// The kernel enters with sp at argc, then argv[].
__asm__(".globl _start\n_start:\n ldr x0, [sp]\n add x1, sp, #8\n b main_c\n");
