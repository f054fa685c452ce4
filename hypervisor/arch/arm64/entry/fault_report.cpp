// SPDX-License-Identifier: MIT
//
// arch/arm64/entry/fault_report.cpp
// Owns the text of keel's fault report (see fault_report.hpp). The backtrace
// follows AAPCS64 frame records {previous fp, lr}; a record is followed only if
// it lies inside one of keel's CPU stacks and is 16-byte aligned, so a corrupted
// chain ends the backtrace instead of faulting again.
#include "arch/arm64/entry/fault_report.hpp"

#include "arch/arm64/boot/stack.hpp"
#include "arch/arm64/regs/esr.hpp"
#include "core/console/log.hpp"

namespace keel::arm64 {
namespace {

const char* vector_kind_name(VectorKind kind)
{
    switch (kind) {
    case VectorKind::CurrentSp0Sync:
    case VectorKind::CurrentSpxSync: return "synchronous exception at EL2";
    case VectorKind::CurrentSp0Irq:
    case VectorKind::CurrentSpxIrq: return "IRQ at EL2";
    case VectorKind::CurrentSp0Fiq:
    case VectorKind::CurrentSpxFiq: return "FIQ at EL2";
    case VectorKind::CurrentSp0Serror:
    case VectorKind::CurrentSpxSerror: return "SError at EL2";
    case VectorKind::Lower64Sync: return "synchronous exception from AArch64 EL1/EL0";
    case VectorKind::Lower64Irq: return "IRQ from AArch64 EL1/EL0";
    case VectorKind::Lower64Fiq: return "FIQ from AArch64 EL1/EL0";
    case VectorKind::Lower64Serror: return "SError from AArch64 EL1/EL0";
    default: return "exception from AArch32";
    }
}

bool inside_stacks(uint64_t addr)
{
    const auto lo = reinterpret_cast<uint64_t>(&g_cpu_stacks[0]);
    const auto hi = reinterpret_cast<uint64_t>(g_cpu_stacks + config::kMaxCpus);
    return addr >= lo && addr + 16 <= hi && (addr & 0xf) == 0;
}

}  // namespace

void print_backtrace(uint64_t pc, uint64_t fp)
{
    log("keel: backtrace:\n");
    log("keel:   #0 {:#018x}\n", pc);
    constexpr unsigned kMaxDepth = 32;
    for (unsigned depth = 1; depth < kMaxDepth && fp != 0; ++depth) {
        if (!inside_stacks(fp)) {
            log("keel:   (frame pointer {:#x} outside keel's stacks: stop)\n", fp);
            return;
        }
        const auto* record = reinterpret_cast<const uint64_t*>(fp);
        const uint64_t next_fp = record[0];
        const uint64_t lr = record[1];
        if (lr == 0) return;
        log("keel:   #{} {:#018x}\n", depth, lr - 4);  // the call, not the return address
        if (next_fp != 0 && next_fp <= fp) return;      // stacks grow down: frames go up
        fp = next_fp;
    }
}

void print_fault_report(const TrapFrame& f, VectorKind kind)
{
    const auto ec = Esr::Ec::get(f.esr);
    log("keel: PANIC: {} (vector {})\n", vector_kind_name(kind), static_cast<uint32_t>(kind));
    log("keel:   ESR_EL2 {:#010x}: EC {:#04x} {}, IL {}, ISS {:#x}\n", f.esr,
        static_cast<uint32_t>(ec), exception_class_name(ec), Esr::Il::get(f.esr) ? 1 : 0,
        Esr::Iss::get(f.esr));
    log("keel:   FAR_EL2 {:#018x}  ELR_EL2 {:#018x}  SPSR_EL2 {:#010x}  SP {:#018x}\n", f.far,
        f.elr, f.spsr, f.sp);
    for (unsigned i = 0; i < 30; i += 3) {
        log("keel:   x{:<2} {:#018x}  x{:<2} {:#018x}  x{:<2} {:#018x}\n", i, f.x[i], i + 1,
            f.x[i + 1], i + 2, f.x[i + 2]);
    }
    log("keel:   x30 {:#018x}\n", f.x[30]);
    print_backtrace(f.elr, f.x[29]);
}

}  // namespace keel::arm64
