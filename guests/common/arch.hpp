// SPDX-License-Identifier: MIT
//
// guests/common/arch.hpp
// Owns every instruction a test guest needs that C++ cannot express: system
// register access (by encoded name, Arm ARM DDI 0487), barriers, WFI, the HVC
// conduit for PSCI (SMCCC: function id in x0, arguments x1-x3, result x0) and
// the interrupt mask. The only guest file with inline asm.
#pragma once
#include <cstdint>

namespace guest {

// A system register as a struct with read() and write(); GUEST_SYSREG_ISB's write
// is followed by an isb (for registers whose effect the next instruction must see).
#define GUEST_SYSREG_AFTER(Name, spelling, after)                             \
    struct Name {                                                             \
        static uint64_t read()                                                \
        {                                                                     \
            uint64_t v;                                                       \
            asm volatile("mrs %0, " spelling : "=r"(v)::"memory");            \
            return v;                                                         \
        }                                                                     \
        static void write(uint64_t v)                                         \
        {                                                                     \
            asm volatile("msr " spelling ", %0" after ::"r"(v) : "memory");   \
        }                                                                     \
    }
#define GUEST_SYSREG(Name, spelling) GUEST_SYSREG_AFTER(Name, spelling, "")
#define GUEST_SYSREG_ISB(Name, spelling) GUEST_SYSREG_AFTER(Name, spelling, "; isb")

GUEST_SYSREG(Mpidr, "mpidr_el1");
GUEST_SYSREG(CntFrq, "cntfrq_el0");
GUEST_SYSREG(CntVct, "cntvct_el0");
GUEST_SYSREG(CntvCtl, "cntv_ctl_el0");
GUEST_SYSREG(CntvCval, "cntv_cval_el0");
GUEST_SYSREG(CntPct, "cntpct_el0");
GUEST_SYSREG(CntpCtl, "cntp_ctl_el0");
GUEST_SYSREG(CntpCval, "cntp_cval_el0");
GUEST_SYSREG(CntpTval, "cntp_tval_el0");
GUEST_SYSREG(CurrentEl, "CurrentEL");
GUEST_SYSREG(Daif, "daif");
// GICv3 CPU interface (GICv3 spec IHI 0069, "ICC_* registers"), encoded names.
GUEST_SYSREG(IccSre, "S3_0_C12_C12_5");     // ICC_SRE_EL1
GUEST_SYSREG(IccPmr, "S3_0_C4_C6_0");       // ICC_PMR_EL1
GUEST_SYSREG(IccBpr1, "S3_0_C12_C12_3");    // ICC_BPR1_EL1
GUEST_SYSREG(IccCtlr, "S3_0_C12_C12_4");    // ICC_CTLR_EL1
GUEST_SYSREG(IccIgrpen1, "S3_0_C12_C12_7"); // ICC_IGRPEN1_EL1
GUEST_SYSREG(IccIar1, "S3_0_C12_C12_0");    // ICC_IAR1_EL1
GUEST_SYSREG(IccEoir1, "S3_0_C12_C12_1");   // ICC_EOIR1_EL1
GUEST_SYSREG(IccSgi1r, "S3_0_C12_C11_5");   // ICC_SGI1R_EL1
#undef GUEST_SYSREG

// The ID registers (op0=3, op1=0, CRn=0, CRm=1..7) by index CRm * 8 + op2; 0 otherwise.
inline uint64_t read_id_reg(unsigned index)
{
    uint64_t v = 0;
    switch (index) {
#define GUEST_ID_CASE(crm, op2)                                                 \
    case (crm) * 8 + (op2): asm volatile("mrs %0, S3_0_C0_C" #crm "_" #op2 : "=r"(v)); break;
#define GUEST_ID_ROW(crm)                                                       \
    GUEST_ID_CASE(crm, 0) GUEST_ID_CASE(crm, 1) GUEST_ID_CASE(crm, 2) GUEST_ID_CASE(crm, 3) \
    GUEST_ID_CASE(crm, 4) GUEST_ID_CASE(crm, 5) GUEST_ID_CASE(crm, 6) GUEST_ID_CASE(crm, 7)
        GUEST_ID_ROW(1) GUEST_ID_ROW(2) GUEST_ID_ROW(3) GUEST_ID_ROW(4)
        GUEST_ID_ROW(5) GUEST_ID_ROW(6) GUEST_ID_ROW(7)
#undef GUEST_ID_ROW
#undef GUEST_ID_CASE
    default: break;
    }
    return v;
}

// SVE (guests/cpu-id): CPACR_EL1.ZEN/FPEN let EL1 use SVE and FP; ZCR_EL1 asks for
// a vector length (the hypervisor's ZCR_EL2 caps it); RDVL reads the current one.
// sve_load/sve_store move Z0-Z31, P0-P15 and FFR from/to memory (32 x VL bytes of
// Z, then 17 x VL/8 bytes of P and FFR).
inline void sve_enable()
{
    uint64_t v;
    asm volatile("mrs %0, cpacr_el1" : "=r"(v));
    v |= (uint64_t{3} << 16) | (uint64_t{3} << 20);
    asm volatile("msr cpacr_el1, %0\n isb" ::"r"(v) : "memory");
}
inline void sve_set_zcr(uint64_t v) { asm volatile("msr S3_0_C1_C2_0, %0\n isb" ::"r"(v) : "memory"); }
inline uint64_t sve_get_zcr()
{
    uint64_t v;
    asm volatile("mrs %0, S3_0_C1_C2_0" : "=r"(v));
    return v;
}
inline uint64_t sve_vl_bytes()
{
    uint64_t v;
    asm volatile(".arch_extension sve\n rdvl %0, #1" : "=r"(v));
    return v;
}
#define GUEST_SVE_Z8(op, a, b, c, d, e, f, g, h)                                 \
    op " z" #a ", [%0, #" #a ", MUL VL]\n" op " z" #b ", [%0, #" #b ", MUL VL]\n"  \
    op " z" #c ", [%0, #" #c ", MUL VL]\n" op " z" #d ", [%0, #" #d ", MUL VL]\n"  \
    op " z" #e ", [%0, #" #e ", MUL VL]\n" op " z" #f ", [%0, #" #f ", MUL VL]\n"  \
    op " z" #g ", [%0, #" #g ", MUL VL]\n" op " z" #h ", [%0, #" #h ", MUL VL]\n"
#define GUEST_SVE_P8(op, a, b, c, d, e, f, g, h)                                 \
    op " p" #a ", [x9, #" #a ", MUL VL]\n" op " p" #b ", [x9, #" #b ", MUL VL]\n"  \
    op " p" #c ", [x9, #" #c ", MUL VL]\n" op " p" #d ", [x9, #" #d ", MUL VL]\n"  \
    op " p" #e ", [x9, #" #e ", MUL VL]\n" op " p" #f ", [x9, #" #f ", MUL VL]\n"  \
    op " p" #g ", [x9, #" #g ", MUL VL]\n" op " p" #h ", [x9, #" #h ", MUL VL]\n"
inline void sve_load(const void* buf)
{
    asm volatile(".arch_extension sve\n"
                 "addvl x9, %0, #16\n"
                 "addvl x9, x9, #16\n"
                 "ldr p0, [x9, #16, MUL VL]\n"
                 "wrffr p0.b\n"
                 GUEST_SVE_P8("ldr", 0, 1, 2, 3, 4, 5, 6, 7)
                 GUEST_SVE_P8("ldr", 8, 9, 10, 11, 12, 13, 14, 15)
                 GUEST_SVE_Z8("ldr", 0, 1, 2, 3, 4, 5, 6, 7)
                 GUEST_SVE_Z8("ldr", 8, 9, 10, 11, 12, 13, 14, 15)
                 GUEST_SVE_Z8("ldr", 16, 17, 18, 19, 20, 21, 22, 23)
                 GUEST_SVE_Z8("ldr", 24, 25, 26, 27, 28, 29, 30, 31)
                 ::"r"(buf) : "x9", "memory");
}
inline void sve_store(void* buf)
{
    asm volatile(".arch_extension sve\n"
                 "addvl x9, %0, #16\n"
                 "addvl x9, x9, #16\n"
                 GUEST_SVE_P8("str", 0, 1, 2, 3, 4, 5, 6, 7)
                 GUEST_SVE_P8("str", 8, 9, 10, 11, 12, 13, 14, 15)
                 "rdffr p0.b\n"
                 "str p0, [x9, #16, MUL VL]\n"
                 "ldr p0, [x9, #0, MUL VL]\n"
                 GUEST_SVE_Z8("str", 0, 1, 2, 3, 4, 5, 6, 7)
                 GUEST_SVE_Z8("str", 8, 9, 10, 11, 12, 13, 14, 15)
                 GUEST_SVE_Z8("str", 16, 17, 18, 19, 20, 21, 22, 23)
                 GUEST_SVE_Z8("str", 24, 25, 26, 27, 28, 29, 30, 31)
                 ::"r"(buf) : "x9", "memory");
}
#undef GUEST_SVE_P8
#undef GUEST_SVE_Z8

inline void isb() { asm volatile("isb" ::: "memory"); }
inline void dsb() { asm volatile("dsb sy" ::: "memory"); }
inline void dmb() { asm volatile("dmb sy" ::: "memory"); }
inline void wfi() { asm volatile("wfi" ::: "memory"); }
inline void irq_enable() { asm volatile("msr daifclr, #2" ::: "memory"); }
inline void irq_disable() { asm volatile("msr daifset, #2" ::: "memory"); }

// SMCCC over HVC #0 (PSCI's conduit in the guest DT: method = "hvc").
inline uint64_t hvc(uint64_t fn, uint64_t a1 = 0, uint64_t a2 = 0, uint64_t a3 = 0)
{
    register uint64_t x0 asm("x0") = fn;
    register uint64_t x1 asm("x1") = a1;
    register uint64_t x2 asm("x2") = a2;
    register uint64_t x3 asm("x3") = a3;
    asm volatile("hvc #0"
                 : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
                 :
                 : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14",
                   "x15", "x16", "x17", "memory");
    return x0;
}

// Device-register access (the guest runs with its MMU off: every access is Device).
inline uint32_t mmio_read32(uint64_t addr)
{
    uint32_t v;
    asm volatile("ldr %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
    return v;
}
inline void mmio_write32(uint64_t addr, uint32_t v)
{
    asm volatile("str %w0, [%1]" ::"r"(v), "r"(addr) : "memory");
}
inline uint64_t mmio_read64(uint64_t addr)
{
    uint64_t v;
    asm volatile("ldr %0, [%1]" : "=r"(v) : "r"(addr) : "memory");
    return v;
}
inline void mmio_write64(uint64_t addr, uint64_t v)
{
    asm volatile("str %0, [%1]" ::"r"(v), "r"(addr) : "memory");
}
inline uint8_t mmio_read8(uint64_t addr)
{
    uint32_t v;
    asm volatile("ldrb %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
    return static_cast<uint8_t>(v);
}
inline void mmio_write8(uint64_t addr, uint8_t v)
{
    asm volatile("strb %w0, [%1]" ::"r"(static_cast<uint32_t>(v)), "r"(addr) : "memory");
}

}  // namespace guest
