// SPDX-License-Identifier: MIT
//
// arch/arm64/vcpu/vcpu_context.hpp
// Owns the arm64 register state of a vCPU beyond its general registers:
// VcpuSysregs (the EL1/EL0 system registers keel switches between vCPUs, Xen's
// list in ctxt_switch_from/to minus what the vGIC and vtimer parts switch; not
// ACTLR_EL1: HCR_EL2.TAC traps every guest access, reads see the host's value
// and writes are ignored, so the register never differs between vCPUs) and
// FpState (Q0-Q31, FPCR, FPSR; saved eagerly by fpsimd.S; or the SVE
// registers, sve.S). Pure layout.
#pragma once
#include <cstddef>
#include <cstdint>

#include "arch/arm64/vcpu/debug_state.hpp"   // VcpuDebug (a Vcpu member)
#include "arch/arm64/vcpu/setway_state.hpp"  // SetWayState (a Vcpu member)

namespace keel::arm64 {

struct VcpuSysregs {
    uint64_t sctlr_el1 = 0;
    uint64_t cpacr_el1 = 0;
    uint64_t ttbr0_el1 = 0;
    uint64_t ttbr1_el1 = 0;
    uint64_t tcr_el1 = 0;
    uint64_t esr_el1 = 0;
    uint64_t afsr0_el1 = 0;
    uint64_t afsr1_el1 = 0;
    uint64_t far_el1 = 0;
    uint64_t mair_el1 = 0;
    uint64_t amair_el1 = 0;
    uint64_t vbar_el1 = 0;
    uint64_t contextidr_el1 = 0;
    uint64_t tpidr_el0 = 0;
    uint64_t tpidr_el1 = 0;
    uint64_t tpidrro_el0 = 0;
    uint64_t cntkctl_el1 = 0;
    uint64_t par_el1 = 0;
    uint64_t sp_el0 = 0;
    uint64_t elr_el1 = 0;
    uint64_t spsr_el1 = 0;
    uint64_t csselr_el1 = 0;
    uint64_t mdscr_el1 = 0;
};

// A vCPU's SVE state when its domain has SVE (arch/arm64/vcpu/sve.*): Z0-Z31,
// then P0-P15 and FFR at the domain's vector length, in memory it owns (given
// back through `release`, set by whoever allocated it, when the Vcpu goes);
// ZCR_EL1.
struct SveRegs {
    uint8_t* regs = nullptr;
    uint32_t bytes = 0;
    uint64_t zcr_el1 = 0;
    void (*release)(void* p, size_t bytes) = nullptr;
    SveRegs() = default;
    SveRegs(const SveRegs&) = delete;
    SveRegs& operator=(const SveRegs&) = delete;
    ~SveRegs()
    {
        if (regs != nullptr && release != nullptr) release(regs, bytes);
    }
};

struct alignas(16) FpState {
    uint64_t q[64] = {};  // Q0..Q31, 128 bits each (low half first)
    uint64_t fpcr = 0;
    uint64_t fpsr = 0;
    SveRegs sve;          // holds Q0..Q31 instead of q[] when the domain has SVE
};
// fpsimd.S stores at these offsets.
static_assert(offsetof(FpState, fpcr) == 512 && offsetof(FpState, fpsr) == 520);

}  // namespace keel::arm64
