// SPDX-License-Identifier: MIT
//
// arch/arm64/vcpu/stage2_fault.cpp
// Owns the decision for one stage-2 abort: emulated device access, spurious
// fault on RAM (TLB flushed and retried; the domain crashed if it keeps coming
// back), or an abort injected into the guest. Target only (it reads
// HPFAR_EL2); the syndrome arithmetic is stage2_fault.hpp's.
#include "arch/arm64/vcpu/stage2_fault.hpp"

#include "arch/arm64/hw/stage2_ops.hpp"
#include "arch/arm64/hw/sysreg.hpp"
#include "arch/arm64/mmu/stage2_control.hpp"
#include "arch/arm64/regs/esr.hpp"
#include "arch/arm64/vcpu/inject.hpp"
#include "build_config.hpp"
#include "core/console/log.hpp"
#include "core/domain/domain.hpp"
#include "core/domain/lifecycle.hpp"
#include "core/domain/vcpu.hpp"
#include "core/memory/p2m.hpp"
#include "core/percpu.hpp"

namespace keel::arm64 {

namespace {

// Log-once reasons, one bit each in Domain::logged_misc (the bits 24..31 are
// the stage-2 part's; see arch/arm64/vcpu/trap_log.hpp for the others).
enum class Once : uint32_t {
    Unmapped = 1u << 24,     // neither RAM nor an emulated device
    NoSyndrome = 1u << 25,   // ISV = 0 on an emulated device
    Rejected = 1u << 26,     // the device model refused the access
    NoIpa = 1u << 27,        // a fault whose IPA HPFAR_EL2 does not give
    Spurious = 1u << 28,     // a fault on mapped RAM
};

bool first_time(Domain& d, Once what)
{
    const uint32_t bit = static_cast<uint32_t>(what);
    return (d.logged_misc.fetch_or(bit, std::memory_order_relaxed) & bit) == 0;
}

void inject(Vcpu& v, bool instr, uint64_t far)
{
    if (instr) {
        inject_instr_abort(v, far);
    } else {
        inject_data_abort(v, far);
    }
}

// The last spurious fault per CPU: which vCPU, where, how often in a row.
struct LastFault {
    const Vcpu* vcpu = nullptr;
    uint64_t ipa = 0;
    uint32_t count = 0;
};
constexpr uint32_t kMaxRepeats = 16;
constinit LastFault g_last[config::kMaxCpus];

bool repeated_fault(const Vcpu& v, GuestPhysAddr ipa)
{
    LastFault& l = g_last[this_cpu().index];
    if (l.vcpu == &v && l.ipa == ipa.raw()) return ++l.count >= kMaxRepeats;
    l = LastFault{&v, ipa.raw(), 1};
    return false;
}

void forget_fault(const Vcpu& v)
{
    LastFault& l = g_last[this_cpu().index];
    if (l.vcpu == &v) l = LastFault{};
}

const char* kind_of(bool instr) { return instr ? "instruction" : "data"; }

// The access to one emulated device window; false when the model refused it.
// Inline, the syndrome by value: the fast path keeps it in registers.
[[gnu::always_inline]] inline bool emulate(Vcpu& v, TrapFrame& f, const MmioRegion& r,
                                           GuestPhysAddr ipa, AbortSyndrome s)
{
    MmioAccess access{ipa, ipa - r.base, s.size, s.write, s.write ? mmio_store_value(f, s) : 0};
    if (!r.handler(v, access, r.ctx)) return false;
    if (!s.write) mmio_complete_load(f, s, access.value);
    return true;
}

// The device model refused the access (width, alignment, offset): the guest
// gets the data abort a bus error would give.
// Takes the raw ISS so that the fast path need not build the whole syndrome.
[[gnu::cold, gnu::noinline]] void refused(Vcpu& v, TrapFrame& f, const MmioRegion& r,
                                          GuestPhysAddr ipa, uint32_t iss)
{
    const AbortSyndrome s = decode_abort_iss(iss);
    Domain& d = *v.domain;
    if (first_time(d, Once::Rejected))
        log("keel: d{}: {} refused a {}-byte {} at IPA {:#x} (PC {:#x}): "
            "data abort injected (logged once)\n",
            d.id, r.name, s.size, s.write ? "write" : "read", ipa.raw(), f.elr);
    inject_data_abort(v, f.far);
}

// Everything but an emulated access with a syndrome: the full decision, with
// its logs. Out of line and cold, so that the fast path below does not carry
// this one's stack frame (log() buffers, p2m_translate's Result).
[[gnu::cold, gnu::noinline]] void stage2_abort_slow(Vcpu& v, TrapFrame& f)
{
    Domain& d = *v.domain;
    const bool instr = Esr::Ec::get(f.esr) == ExceptionClass::InstrAbortLower;
    const AbortSyndrome s = decode_abort_iss(Esr::Iss::get(f.esr));

    if (!hpfar_valid(s)) {
        // An external abort or a fault type keel's stage 2 never causes: there is
        // no trustworthy IPA; the guest gets the abort it would have got on metal.
        if (first_time(d, Once::NoIpa))
            log("keel: d{}: {} abort with fault status {:#x} at VA {:#x} (PC {:#x}): "
                "abort injected (logged once)\n",
                d.id, kind_of(instr), s.fsc, f.far, f.elr);
        inject(v, instr, f.far);
        return;
    }
    const GuestPhysAddr ipa = fault_ipa(HpfarEl2::read(), f.far);

    // A load or store by the guest itself (not its table walker) may target a device.
    if (!instr && !s.s1ptw) {
        if (const MmioRegion* r = d.mmio.find(ipa, s.isv ? s.size : 1)) {
            if (s.cm) {
                // Cache maintenance by VA on a device window has nothing to act on.
                f.elr += 4;
                return;
            }
            if (!s.isv) {
                // A load/store pair, writeback or SIMD access: no syndrome to emulate
                // from (Xen does not decode these either).
                if (first_time(d, Once::NoSyndrome))
                    log("keel: d{}: {} access at IPA {:#x} (PC {:#x}) without a syndrome "
                        "(ISV=0): data abort injected (logged once)\n",
                        d.id, r->name, ipa.raw(), f.elr);
                inject_data_abort(v, f.far);
                return;
            }
            if (!emulate(v, f, *r, ipa, s)) {
                refused(v, f, *r, ipa, Esr::Iss::get(f.esr));
                return;
            }
            f.elr += 4;  // AArch64 instructions are 4 bytes (ESR_EL2.IL = 1)
            return;
        }
    }

    if (p2m_translate(d, ipa).ok()) {
        // RAM is mapped with every permission: a fault there is a stale
        // translation the guest will not see again; flush it and retry. A fault
        // that keeps coming back means keel's stage 2 is not what the CPU walks:
        // end the domain rather than spin.
        if (first_time(d, Once::Spurious))
            log("keel: d{}: spurious stage-2 {} abort on RAM at IPA {:#x} (ESR {:#x}); "
                "retried (logged once)\n",
                d.id, kind_of(instr), ipa.raw(), f.esr);
        if (repeated_fault(v, ipa)) {
            domain_crash(d, "stage-2 fault on mapped RAM keeps repeating");
            return;
        }
        flush_guest_tlb_vmid(d.p2m.vttbr);
        return;
    }
    forget_fault(v);

    if (first_time(d, Once::Unmapped))
        log("keel: d{}: {} abort at IPA {:#x} (VA {:#x}, PC {:#x}{}): not RAM or an emulated "
            "device; abort injected (logged once)\n",
            d.id, kind_of(instr), ipa.raw(), f.far, f.elr, s.s1ptw ? ", stage-1 table walk" : "");
    inject(v, instr, f.far);
}

}  // namespace

void handle_stage2_abort(Vcpu& v, TrapFrame& f)
{
    // The common case, decided from the ESR alone: a data abort by the guest's
    // own load/store (not its table walk, not cache maintenance) with a valid
    // syndrome and an IPA in HPFAR_EL2 (translation or access-flag fault). It is
    // an emulated device access when the IPA lies in one of the domain's MMIO
    // regions; anything else goes through the full decision, which looks again.
    constexpr uint64_t kMustSet = DataAbortIss::Isv::kMask;
    constexpr uint64_t kMustClear = DataAbortIss::S1ptw::kMask | DataAbortIss::Cm::kMask;
    const uint32_t iss = Esr::Iss::get(f.esr);
    if (Esr::Ec::get(f.esr) == ExceptionClass::DataAbortLower &&
        (iss & (kMustSet | kMustClear)) == kMustSet) {
        const uint8_t fsc = DataAbortIss::Fsc::get(iss);  // S1PTW = 0: hpfar_valid's test
        if (fsc_is_translation(fsc) || fsc_is_access_flag(fsc)) {
            const GuestPhysAddr ipa = fault_ipa(HpfarEl2::read(), f.far);
            const uint8_t size = static_cast<uint8_t>(1u << DataAbortIss::Sas::get(iss));
            if (const MmioRegion* r = v.domain->mmio.find(ipa, size)) {
                if (emulate(v, f, *r, ipa, decode_abort_iss(iss))) {
                    f.elr += 4;  // AArch64 instructions are 4 bytes (ESR_EL2.IL = 1)
                } else {
                    refused(v, f, *r, ipa, iss);  // not retried: the model already ran
                }
                return;
            }
        }
    }
    stage2_abort_slow(v, f);
}

}  // namespace keel::arm64
