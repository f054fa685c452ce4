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

#define GUEST_SYSREG(Name, spelling)                                          \
    struct Name {                                                             \
        static uint64_t read()                                                \
        {                                                                     \
            uint64_t v;                                                       \
            asm volatile("mrs %0, " spelling : "=r"(v)::"memory");            \
            return v;                                                         \
        }                                                                     \
        static void write(uint64_t v)                                         \
        {                                                                     \
            asm volatile("msr " spelling ", %0" ::"r"(v) : "memory");         \
        }                                                                     \
    }

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
