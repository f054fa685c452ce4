// SPDX-License-Identifier: MIT
//
// arch/arm64/vcpu/id_view.cpp
// Owns the table of id_view.hpp: per ID register, how it is built from the
// host's value, and per 4-bit field, what the guest sees. Field positions are
// the Arm ARM's (DDI 0487, "ID_AA64*_EL1" and "ID_* AArch32" register
// descriptions); docs/xen-compat.md gives the reason for each rule.
#include "arch/arm64/vcpu/id_view.hpp"

namespace keel::arm64 {
namespace {

enum class Field : uint8_t {
    Keep,     // the host's value: nothing for keel to virtualise
    Hide,     // 0: not implemented (keel does not virtualise it)
    Cap,      // the host's value, at most `value`
    Fixed,    // `value`
    SveOnly,  // the host's value if the domain has SVE, else 0
    IpaCap,   // PARange: at most the domain's stage-2 input size
};

struct FieldRule {
    uint8_t lsb;
    Field rule;
    uint8_t value = 0;
};

enum class Reg : uint8_t {
    Zero,     // reads as zero
    Listed,   // starts at zero; only the listed fields are shown (a feature the
              // table does not know yet stays hidden)
    AArch32,  // the host's value with the listed fields hidden or capped, if EL0
              // runs AArch32; else zero (the registers are then UNKNOWN)
    SveOnly,  // the host's value if the domain has SVE, else zero
};

struct RegRule {
    unsigned index;
    const char* name;
    Reg kind;
    FieldRule fields[16];
    unsigned count;
};

constexpr FieldRule keep(uint8_t lsb) { return {lsb, Field::Keep}; }
constexpr FieldRule hide(uint8_t lsb) { return {lsb, Field::Hide}; }
constexpr FieldRule cap(uint8_t lsb, uint8_t v) { return {lsb, Field::Cap, v}; }
constexpr FieldRule fixed(uint8_t lsb, uint8_t v) { return {lsb, Field::Fixed, v}; }

// clang-format off
constexpr RegRule kRules[] = {
    // ---- AArch32 (CRm 1-3): what EL0 AArch32 programs can learn through the kernel.
    {id_reg_index(1, 0), "ID_PFR0_EL1", Reg::AArch32,
     {cap(16, 1) /*CSV2*/, hide(20) /*AMU*/, hide(28) /*RAS*/}, 3},
    {id_reg_index(1, 1), "ID_PFR1_EL1", Reg::AArch32,
     {hide(12) /*Virtualization*/, hide(20) /*Virt_frac*/, cap(28, 1) /*GIC*/}, 3},
    {id_reg_index(1, 2), "ID_DFR0_EL1", Reg::AArch32,
     {hide(12) /*CopTrc*/, hide(16) /*MMapTrc*/, hide(24) /*PerfMon*/, hide(28) /*TraceFilt*/}, 4},
    {id_reg_index(1, 3), "ID_AFR0_EL1", Reg::Zero, {}, 0},
    {id_reg_index(1, 4), "ID_MMFR0_EL1", Reg::AArch32, {}, 0},
    {id_reg_index(1, 5), "ID_MMFR1_EL1", Reg::AArch32, {}, 0},
    {id_reg_index(1, 6), "ID_MMFR2_EL1", Reg::AArch32, {}, 0},
    {id_reg_index(1, 7), "ID_MMFR3_EL1", Reg::AArch32, {}, 0},
    {id_reg_index(2, 0), "ID_ISAR0_EL1", Reg::AArch32, {}, 0},
    {id_reg_index(2, 1), "ID_ISAR1_EL1", Reg::AArch32, {}, 0},
    {id_reg_index(2, 2), "ID_ISAR2_EL1", Reg::AArch32, {}, 0},
    {id_reg_index(2, 3), "ID_ISAR3_EL1", Reg::AArch32, {}, 0},
    {id_reg_index(2, 4), "ID_ISAR4_EL1", Reg::AArch32, {}, 0},
    {id_reg_index(2, 5), "ID_ISAR5_EL1", Reg::AArch32, {}, 0},
    {id_reg_index(2, 6), "ID_MMFR4_EL1", Reg::AArch32, {}, 0},
    {id_reg_index(2, 7), "ID_ISAR6_EL1", Reg::AArch32, {}, 0},
    {id_reg_index(3, 0), "MVFR0_EL1", Reg::AArch32, {}, 0},
    {id_reg_index(3, 1), "MVFR1_EL1", Reg::AArch32, {}, 0},
    {id_reg_index(3, 2), "MVFR2_EL1", Reg::AArch32, {}, 0},
    {id_reg_index(3, 4), "ID_PFR2_EL1", Reg::AArch32, {hide(8) /*RAS_frac*/}, 1},
    {id_reg_index(3, 5), "ID_DFR1_EL1", Reg::Zero, {}, 0},
    {id_reg_index(3, 6), "ID_MMFR5_EL1", Reg::AArch32, {}, 0},

    // ---- AArch64 processor features
    {idreg::ID_AA64PFR0, "ID_AA64PFR0_EL1", Reg::Listed,
     {keep(0) /*EL0*/, fixed(4, 1) /*EL1: AArch64 only*/, hide(8) /*EL2*/, keep(12) /*EL3*/,
      keep(16) /*FP*/, keep(20) /*AdvSIMD*/, cap(24, 1) /*GIC: v3 system registers*/,
      hide(28) /*RAS*/, {32, Field::SveOnly} /*SVE*/, hide(36) /*SEL2*/, hide(40) /*MPAM*/,
      hide(44) /*AMU*/, keep(48) /*DIT*/, hide(52) /*RME*/, cap(56, 1) /*CSV2*/,
      keep(60) /*CSV3*/}, 16},
    {idreg::ID_AA64PFR1, "ID_AA64PFR1_EL1", Reg::Listed,
     {keep(0) /*BT*/, keep(4) /*SSBS*/, hide(8) /*MTE*/, hide(12) /*RAS_frac*/,
      hide(16) /*MPAM_frac*/, hide(24) /*SME*/, hide(28) /*RNDR_trap*/, cap(32, 1) /*CSV2_frac*/,
      hide(36) /*NMI*/}, 9},
    {id_reg_index(4, 2), "ID_AA64PFR2_EL1", Reg::Zero, {}, 0},
    {idreg::ID_AA64ZFR0, "ID_AA64ZFR0_EL1", Reg::SveOnly, {}, 0},
    {idreg::ID_AA64SMFR0, "ID_AA64SMFR0_EL1", Reg::Zero, {}, 0},
    {id_reg_index(4, 7), "ID_AA64FPFR0_EL1", Reg::Zero, {}, 0},

    // ---- AArch64 debug: the break/watchpoints are the hardware's; PMU, SPE, trace hidden.
    {idreg::ID_AA64DFR0, "ID_AA64DFR0_EL1", Reg::Listed,
     {keep(0) /*DebugVer*/, hide(4) /*TraceVer*/, hide(8) /*PMUVer*/, keep(12) /*BRPs*/,
      hide(16) /*PMSS*/, keep(20) /*WRPs*/, keep(28) /*CTX_CMPs*/, hide(32) /*PMSVer*/,
      keep(36) /*DoubleLock*/, hide(40) /*TraceFilt*/, hide(44) /*TraceBuffer*/,
      hide(48) /*MTPMU*/, hide(52) /*BRBE*/}, 13},
    {id_reg_index(5, 1), "ID_AA64DFR1_EL1", Reg::Zero, {}, 0},
    {id_reg_index(5, 4), "ID_AA64AFR0_EL1", Reg::Zero, {}, 0},
    {id_reg_index(5, 5), "ID_AA64AFR1_EL1", Reg::Zero, {}, 0},

    // ---- AArch64 instruction sets: instructions that need nothing from EL2 are shown.
    {idreg::ID_AA64ISAR0, "ID_AA64ISAR0_EL1", Reg::Listed,
     {keep(4) /*AES*/, keep(8) /*SHA1*/, keep(12) /*SHA2*/, keep(16) /*CRC32*/,
      keep(20) /*Atomic*/, hide(24) /*TME*/, keep(28) /*RDM*/, keep(32) /*SHA3*/,
      keep(36) /*SM3*/, keep(40) /*SM4*/, keep(44) /*DP*/, keep(48) /*FHM*/, keep(52) /*TS*/,
      keep(56) /*TLB*/, keep(60) /*RNDR*/}, 15},
    {idreg::ID_AA64ISAR1, "ID_AA64ISAR1_EL1", Reg::Listed,
     {keep(0) /*DPB*/, hide(4) /*APA*/, hide(8) /*API*/, keep(12) /*JSCVT*/, keep(16) /*FCMA*/,
      keep(20) /*LRCPC*/, hide(24) /*GPA*/, hide(28) /*GPI*/, keep(32) /*FRINTTS*/,
      keep(36) /*SB*/, keep(40) /*SPECRES*/, keep(44) /*BF16*/, keep(48) /*DGH*/,
      keep(52) /*I8MM*/, keep(56) /*XS*/, hide(60) /*LS64*/}, 16},
    {idreg::ID_AA64ISAR2, "ID_AA64ISAR2_EL1", Reg::Listed,
     {hide(0) /*WFxT*/, keep(4) /*RPRES*/, hide(8) /*GPA3*/, hide(12) /*APA3*/,
      hide(16) /*MOPS*/, keep(20) /*BC*/, hide(24) /*PAC_frac*/, keep(28) /*CLRBHB*/,
      keep(52) /*CSSC*/}, 9},
    {id_reg_index(6, 3), "ID_AA64ISAR3_EL1", Reg::Zero, {}, 0},

    // ---- AArch64 memory model: stage-1 features are the guest's own; EL2 ones hidden.
    {idreg::ID_AA64MMFR0, "ID_AA64MMFR0_EL1", Reg::Listed,
     {{0, Field::IpaCap} /*PARange*/, keep(4) /*ASIDBits*/, hide(8) /*BigEnd*/,
      keep(12) /*SNSMem*/, keep(16) /*BigEndEL0*/, keep(20) /*TGran16*/, keep(24) /*TGran64*/,
      keep(28) /*TGran4*/, keep(32) /*TGran16_2*/, keep(36) /*TGran64_2*/, keep(40) /*TGran4_2*/,
      keep(44) /*ExS*/, hide(56) /*FGT*/, cap(60, 1) /*ECV*/}, 14},
    {idreg::ID_AA64MMFR1, "ID_AA64MMFR1_EL1", Reg::Listed,
     {cap(0, 2) /*HAFDBS*/, hide(4) /*VMIDBits*/, hide(8) /*VH*/, keep(12) /*HPDS*/,
      hide(16) /*LO*/, keep(20) /*PAN*/, keep(24) /*SpecSEI*/, hide(28) /*XNX*/,
      hide(32) /*TWED*/, keep(36) /*ETS*/, hide(40) /*HCX*/, keep(44) /*AFP*/,
      keep(48) /*nTLBPA*/, hide(52) /*TIDCP1*/, keep(56) /*CMOW*/, keep(60) /*ECBHB*/}, 16},
    {idreg::ID_AA64MMFR2, "ID_AA64MMFR2_EL1", Reg::Listed,
     {keep(0) /*CnP*/, keep(4) /*UAO*/, keep(8) /*LSM*/, keep(12) /*IESB*/, keep(16) /*VARange*/,
      keep(20) /*CCIDX*/, hide(24) /*NV*/, keep(28) /*ST*/, keep(32) /*AT*/, hide(36) /*IDS*/,
      hide(40) /*FWB*/, keep(48) /*TTL*/, keep(52) /*BBM*/, hide(56) /*EVT*/, keep(60) /*E0PD*/},
     15},
    {id_reg_index(7, 3), "ID_AA64MMFR3_EL1", Reg::Zero, {}, 0},
    {id_reg_index(7, 4), "ID_AA64MMFR4_EL1", Reg::Zero, {}, 0},
};
// clang-format on

const RegRule* find_rule(unsigned index)
{
    for (const RegRule& r : kRules) {
        if (r.index == index) return &r;
    }
    return nullptr;
}

constexpr uint64_t field_of(uint64_t v, unsigned lsb) { return (v >> lsb) & 0xf; }
constexpr uint64_t with_field(uint64_t v, unsigned lsb, uint64_t f)
{
    return (v & ~(uint64_t{0xf} << lsb)) | ((f & 0xf) << lsb);
}

bool el0_runs_aarch32(const HostCpuFacts& facts) { return field_of(facts.aa64pfr0, 0) == 2; }

uint64_t apply(const FieldRule& f, uint64_t host, const GuestCpuConfig& cfg)
{
    const uint64_t h = field_of(host, f.lsb);
    switch (f.rule) {
    case Field::Keep: return h;
    case Field::Hide: return 0;
    case Field::Cap: return h < f.value ? h : f.value;
    case Field::Fixed: return f.value;
    case Field::SveOnly: return cfg.sve ? h : 0;
    case Field::IpaCap: {
        const uint64_t limit = parange_for_bits(cfg.ipa_bits);
        return h < limit ? h : limit;
    }
    }
    return 0;
}

}  // namespace

unsigned parange_for_bits(unsigned bits)
{
    // ID_AA64MMFR0_EL1.PARange: 0 = 32, 1 = 36, 2 = 40, 3 = 42, 4 = 44, 5 = 48, 6 = 52 bits.
    constexpr unsigned kSizes[] = {32, 36, 40, 42, 44, 48, 52};
    unsigned enc = 0;
    for (unsigned i = 0; i < sizeof kSizes / sizeof kSizes[0]; ++i) {
        if (kSizes[i] <= bits) enc = i;
    }
    return enc;
}

uint64_t guest_id_reg(unsigned index, uint64_t host, const HostCpuFacts& facts,
                      const GuestCpuConfig& cfg)
{
    const RegRule* r = find_rule(index);
    if (r == nullptr) return 0;
    uint64_t v = 0;
    switch (r->kind) {
    case Reg::Zero: return 0;
    case Reg::SveOnly: return cfg.sve ? host : 0;
    case Reg::AArch32:
        if (!el0_runs_aarch32(facts)) return 0;
        v = host;
        break;
    case Reg::Listed: v = 0; break;
    }
    for (unsigned i = 0; i < r->count; ++i) {
        const FieldRule& f = r->fields[i];
        v = with_field(v, f.lsb, apply(f, host, cfg));
    }
    return v;
}

const char* id_reg_name(unsigned index)
{
    const RegRule* r = find_rule(index);
    return r != nullptr ? r->name : nullptr;
}

}  // namespace keel::arm64
