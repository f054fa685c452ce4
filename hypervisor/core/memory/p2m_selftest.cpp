// SPDX-License-Identifier: MIT
//
// core/memory/p2m_selftest.cpp
// Owns the stage-2 self-tests (see p2m_selftest.hpp).
#include "core/memory/p2m_selftest.hpp"

#include "arch/arm64/hw/barrier.hpp"
#include "arch/arm64/hw/stage2_ops.hpp"
#include "arch/arm64/hw/sysreg.hpp"
#include "arch/arm64/mmu/vmid.hpp"
#include "arch/arm64/regs/el2_mmu.hpp"
#include "arch/arm64/regs/hcr.hpp"
#include "arch/arm64/vcpu/initial_state.hpp"
#include "core/console/log.hpp"
#include "core/domain/domain.hpp"
#include "core/domain/domain_table.hpp"
#include "core/domain/lifecycle.hpp"
#include "core/memory/boot_memory.hpp"
#include "core/memory/guest_copy.hpp"
#include "core/memory/p2m.hpp"
#include "core/selftest/selftest.hpp"

namespace keel {

namespace {

constexpr uint64_t kMiB = uint64_t{1} << 20;
constexpr uint64_t kBase = 0x4000'0000 + kPageSize;  // unaligned head: pages, then blocks
constexpr uint64_t kBytes = 4 * kMiB + 3 * kPageSize;
constexpr DomId kTestDomid = kMaxDomains - 1;
using ParS = Bit<9>;  // PAR_EL1.S when F: the fault was at stage 2

bool every_page_is_domain_ram(Domain& d)
{
    for (uint64_t off = 0; off < kBytes; off += kPageSize) {
        auto pa = p2m_translate(d, GuestPhysAddr{kBase + off});
        if (!pa.ok() || !memory().domain().owns(Mfn::of(pa.value()))) return false;
        const FrameInfo* f = memory().frames().find(Mfn::of(pa.value()));
        if (f == nullptr || f->owner != d.id) return false;
    }
    return !p2m_translate(d, GuestPhysAddr{kBase - kPageSize}).ok() &&
           !p2m_translate(d, GuestPhysAddr{kBase + kBytes}).ok();
}

// Loads d's stage 2 with the guest's MMU off (VA = IPA) and asks the CPU.
bool hardware_walk_agrees(Domain& d)
{
    const uint64_t hcr = arm64::HcrEl2::read();
    const uint64_t vtcr = arm64::VtcrEl2::read();
    const uint64_t vttbr = arm64::VttbrEl2::read();
    const uint64_t sctlr = arm64::SctlrEl1::read();
    arm64::VtcrEl2::write(p2m_vtcr());
    arm64::VttbrEl2::write(d.p2m.vttbr);
    arm64::SctlrEl1::write(arm64::kGuestSctlrInit);
    arm64::HcrEl2::write(hcr | arm64::Hcr::Vm::make(true));
    arm64::isb();

    bool ok = true;
    const uint64_t probes[] = {kBase, kBase + 0x123, 0x4020'0000 + 0x5008, kBase + kBytes - 8};
    for (const uint64_t ipa : probes) {
        const uint64_t par = arm64::at_s12e1r(ipa);
        auto keel_pa = p2m_translate(d, GuestPhysAddr{ipa});
        if (arm64::Par::F::get(par) || !keel_pa.ok() ||
            (par & arm64::Par::Pa::kMask) != keel_pa.value().align_down(kPageSize).raw()) {
            log("# stage2: AT S12E1R {:#x}: PAR {:#x}, keel {:#x}\n", ipa, par,
                keel_pa.ok() ? keel_pa.value().raw() : 0);
            ok = false;
        }
    }
    // Outside RAM: a stage-2 translation fault.
    const uint64_t par = arm64::at_s12e1r(kBase + kBytes + kPageSize);
    if (!arm64::Par::F::get(par) || !ParS::get(par) || (arm64::Par::Fst::get(par) & 0x3c) != 0x04) {
        log("# stage2: AT S12E1R outside RAM: PAR {:#x} (expected a stage-2 translation fault)\n",
            par);
        ok = false;
    }

    arm64::HcrEl2::write(hcr);
    arm64::SctlrEl1::write(sctlr);
    arm64::VttbrEl2::write(vttbr);
    arm64::VtcrEl2::write(vtcr);
    arm64::isb();
    return ok;
}

bool copies_round_trip(Domain& d)
{
    uint8_t out[300];
    uint8_t back[300];
    for (size_t i = 0; i < sizeof out; ++i) out[i] = static_cast<uint8_t>(i * 7 + 1);
    const GuestPhysAddr across{0x4020'0000 + kPageSize - 100};  // straddles two pages
    bool ok = copy_to_guest_phys(d, across, out, sizeof out).ok() &&
              copy_from_guest_phys(d, back, across, sizeof back).ok();
    for (size_t i = 0; ok && i < sizeof out; ++i) ok = back[i] == out[i];

    ok = ok && zero_guest_phys(d, across + 10, 64).ok() &&
         copy_from_guest_phys(d, back, across, sizeof back).ok();
    for (size_t i = 0; ok && i < sizeof back; ++i)
        ok = back[i] == ((i >= 10 && i < 74) ? 0 : out[i]);

    // From host memory keel does not map by address (here: a heap page, read
    // through the transient slot all the same), to an unaligned guest address.
    auto host = memory().heap().alloc(0);
    if (!host.ok()) return false;
    auto* h = static_cast<uint8_t*>(memory().heap_ptr(host.value().addr()));
    for (size_t i = 0; i < kPageSize; ++i) h[i] = static_cast<uint8_t>(i ^ 0x5a);
    arm64::dcache_clean_inval_range(h, kPageSize);
    ok = ok && copy_phys_to_guest(d, GuestPhysAddr{kBase + 3}, host.value().addr() + 5, 200).ok() &&
         copy_from_guest_phys(d, back, GuestPhysAddr{kBase + 3}, 200).ok();
    for (size_t i = 0; ok && i < 200; ++i) ok = back[i] == h[i + 5];
    memory().heap().free(host.value(), 0);

    // Not RAM: refused, never a keel fault.
    ok = ok && copy_to_guest_phys(d, GuestPhysAddr{0x0900'0000}, out, 4).error() == Errno::Fault &&
         copy_from_guest_phys(d, back, GuestPhysAddr{kBase + kBytes - 2}, 4).error() ==
             Errno::Fault;
    return ok;
}

}  // namespace

void p2m_selftests()
{
    const uint64_t domain_before = free_domain_frames();
    const uint64_t heap_before = free_heap_frames();
    const unsigned vmids_before = arm64::vmids().used();

    auto created = create_domain("stage2-selftest", kTestDomid, 1);
    selftest::report(created.ok(), "stage2: a throw-away domain is created");
    if (!created.ok()) return;
    Domain& d = *created.value();

    const bool populated = p2m_init(d).ok() &&
                           p2m_populate_ram(d, GuestPhysAddr{kBase}, kBytes).ok();
    selftest::report(populated && every_page_is_domain_ram(d),
                     "stage2: 4 MiB + 3 pages of RAM, every page a domain-pool frame");
    log("# stage2: VMID {}, {} RAM block(s), {} table page(s), VTCR_EL2 {:#x}\n", d.p2m.vmid,
        d.p2m.ram_block_count, d.p2m.table_pages, p2m_vtcr());
    selftest::report(populated && hardware_walk_agrees(d),
                     "stage2: the CPU's stage-1+2 walk (AT S12E1R) agrees with keel's tables");
    selftest::report(populated && copies_round_trip(d),
                     "stage2: guest copies round-trip across pages; non-RAM is Errno::Fault");

    domain_destroy_unstarted(d);
    const bool restored = free_domain_frames() == domain_before &&
                          free_heap_frames() == heap_before &&
                          arm64::vmids().used() == vmids_before;
    if (!restored)
        log("# stage2: domain pool {} -> {}, heap pool {} -> {}, VMIDs {} -> {}\n", domain_before,
            free_domain_frames(), heap_before, free_heap_frames(), vmids_before,
            arm64::vmids().used());
    selftest::report(restored, "stage2: destroy gives back every frame, table page and the VMID");
}

}  // namespace keel
