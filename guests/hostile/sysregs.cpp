// SPDX-License-Identifier: MIT
//
// guests/hostile/sysregs.cpp
// Owns hostile=sysregs: trapped system-register accesses and undefined
// instructions — a table of MRS/MSR (IMPDEF, PMU, debug, physical timer,
// GICv3 SGI generation, ID and cache-ID registers; insns.S) with random values,
// DC ISW/CSW/CISW with random set/way operands, MRS of random encodings in the
// whole op0=2/3 space and MSR of random encodings in the IMPDEF space
// (instructions written at run time), and UDF #imm. Every access expects a
// fault; the tally says how many came back with a value and how many as an
// undefined-instruction exception (EC 0) injected by keel or taken at EL1.
#include <initializer_list>

#include "hostile.hpp"
#include "insns.hpp"

namespace hostile {
namespace {

alignas(4096) constinit uint32_t g_code[4] = {};
constinit uint64_t g_value = 0;
constinit const SysregAccessor* g_reg = nullptr;
constinit bool g_write = false;
constinit uint32_t g_dc = 0;

void table_access(uint64_t)
{
    if (g_write) {
        g_reg->write(g_value);
    } else {
        g_value = g_reg->read();
    }
}
void dc_setway(uint64_t op)
{
    switch (g_dc) {
    case 0: hostile_dc_isw(op); break;
    case 1: hostile_dc_csw(op); break;
    default: hostile_dc_cisw(op); break;
    }
}
void run_code(uint64_t x0)
{
    auto fn = reinterpret_cast<uint64_t (*)(uint64_t)>(reinterpret_cast<uint64_t>(g_code));
    g_value = fn(x0);
}

struct Tally {
    uint64_t calls = 0, value = 0, undef = 0, other = 0;
};
constinit Tally g_t[4];  // table, dc, generated mrs/msr, udf
constexpr const char* kKind[4] = {"table", "dc-setway", "encoded-mrs-msr", "udf"};

void run(uint32_t kind, void (*fn)(uint64_t), uint64_t arg)
{
    Tally& t = g_t[kind];
    ++t.calls;
    guest::expect_fault();
    fn(arg);
    const guest::FaultRecord f = guest::take_fault();
    if (!f.taken) {
        ++t.value;
    } else if (guest::esr_ec(f.esr) == guest::kEcUnknown) {
        ++t.undef;
    } else {
        ++t.other;
        if (t.other <= 3)
            guest::print("HOSTILE-NOTE sysregs %s: exception ESR %lx at %lx\n", kKind[kind],
                          static_cast<unsigned long>(f.esr), static_cast<unsigned long>(f.elr));
    }
}

void write_code(uint32_t insn)
{
    volatile uint32_t* c = g_code;
    c[0] = insn;
    c[1] = 0xd65f03c0;  // ret
    hostile_sync_icache();
}

}  // namespace

uint64_t run_sysregs(uint64_t n)
{
    guest::Prng& r = ctx().rng;
    constexpr uint64_t kTable = sizeof(kSysregs) / sizeof(kSysregs[0]);
    // Every table entry once each way first.
    for (uint64_t i = 0; i < kTable; ++i) {
        g_reg = &kSysregs[i];
        for (bool w : {false, true}) {
            if (w ? g_reg->write == nullptr : g_reg->read == nullptr) continue;
            g_write = w;
            g_value = any_value();
            run(0, table_access, 0);
        }
    }
    for (uint64_t i = 0; i < n; ++i) {
        switch (r.below(10)) {
        case 0:
        case 1:
        case 2:
        case 3:
            g_reg = &kSysregs[r.below(kTable)];
            g_write = g_reg->read == nullptr || (g_reg->write != nullptr && r.one_in(2));
            g_value = any_value();
            run(0, table_access, 0);
            break;
        case 4:
            g_dc = static_cast<uint32_t>(r.below(3));
            run(1, dc_setway, r.one_in(2) ? any_value() : r.next());
            break;
        case 5:
        case 6:
        case 7: {
            const uint32_t fields = static_cast<uint32_t>(r.below(1u << 14)) << 5;  // op1 CRn CRm op2
            if (r.one_in(3)) {
                // MSR S3_<op1>_C11/C15_C<m>_<op2>, x0: the IMPDEF space only
                const uint32_t crn = r.one_in(2) ? 11u : 15u;
                write_code(0xd5180000u | (fields & ~(0xfu << 12)) | (crn << 12));
            } else {
                write_code(0xd5300000u | (static_cast<uint32_t>(r.below(2)) << 19) | fields);  // MRS x0, S<2|3>_...
            }
            run(2, run_code, any_value());
            break;
        }
        default:
            write_code(static_cast<uint32_t>(r.below(0x10000)));  // UDF #imm16
            run(3, run_code, 0);
            break;
        }
    }
    uint64_t calls = 0;
    for (uint32_t k = 0; k < 4; ++k) {
        guest::print("HOSTILE-RESULT sysregs %s: calls=%lu value=%lu undef=%lu other=%lu\n", kKind[k],
                      static_cast<unsigned long>(g_t[k].calls), static_cast<unsigned long>(g_t[k].value),
                      static_cast<unsigned long>(g_t[k].undef), static_cast<unsigned long>(g_t[k].other));
        calls += g_t[k].calls;
    }
    return calls;
}

}  // namespace hostile
