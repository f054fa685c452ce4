// SPDX-License-Identifier: MIT
//
// core/memory/guest_virt.cpp
// Owns the page loop behind copies through guest virtual addresses (see
// guest_virt.hpp): translate (AT, PAR_EL1 saved and restored: it is the
// guest's register), check the IPA against the p2m (RAM pinned; keel's own
// shared_info and grant-table pages allowed), map, copy, unmap.
//
// Cache: a guest running with its data cache off (SCTLR_EL1.C == 0, e.g. a
// small test guest) reads and writes memory, not keel's cache: then the
// guest's lines are cleaned and invalidated before keel reads and after it
// writes. Linux runs cached and pays nothing.
#include "core/memory/guest_virt.hpp"

#include "arch/arm64/hw/barrier.hpp"
#include "arch/arm64/hw/mmu.hpp"
#include "arch/arm64/hw/stage2_ops.hpp"
#include "arch/arm64/regs/el2_mmu.hpp"
#include "core/domain/domain.hpp"
#include "core/domain/vcpu.hpp"
#include "core/memory/boot_memory.hpp"
#include "core/memory/frame_ref.hpp"
#include "core/memory/guest_copy.hpp"
#include "core/memory/p2m.hpp"
#include "core/sched/schedule.hpp"
#include "lib/relaxed_copy.hpp"
#include "lib/check.hpp"

namespace keel {
namespace {

constexpr uint64_t kSctlrC = uint64_t{1} << 2;  // SCTLR_EL1.C: data cache on

size_t page_left(uint64_t addr) { return static_cast<size_t>(kPageSize - (addr & (kPageSize - 1))); }

// The host frame behind the guest page at `va`, for a read or a write.
struct Frame {
    Mfn mfn;
    bool pinned;  // frame_put it after the copy
};

uint64_t at_par(uint64_t va, bool write, bool both_stages)
{
    const uint64_t saved = arm64::ParEl1::read();
    const uint64_t par = both_stages ? (write ? arm64::at_s12e1w(va) : arm64::at_s12e1r(va))
                                     : (write ? arm64::at_s1e1w(va) : arm64::at_s1e1r(va));
    arm64::ParEl1::write(saved);
    return par;
}

Result<Frame> translate(Vcpu& v, uint64_t va, bool write)
{
    const uint64_t par = at_par(va, write, false);
    if (arm64::Par::F::get(par)) return Errno::Fault;
    const uint64_t gfn = arm64::Par::Pa::get(par);
    // The caller's RAM (or static shared memory), writable for a write, pinned:
    // the guest may give the page back from another vCPU meanwhile.
    const Result<Mfn> ram = p2m_get_page(*v.domain, gfn, write);
    if (ram.ok()) return Frame{ram.value(), true};
    // keel's pages the guest mapped (shared_info, grant-table frames) may be
    // copied to and from, as on Xen where they are ordinary RAM entries. They
    // stay allocated while the domain lives, so no pin; the stage-2 walk gives
    // the frame (and checks write permission). Never MMIO or grant mappings.
    const Result<P2mType> t = p2m_type_of(*v.domain, gfn);
    if (!t.ok() || (t.value() != P2mType::SharedInfo && t.value() != P2mType::GrantTable)) {
        return Errno::Fault;
    }
    const uint64_t par2 = at_par(va, write, true);
    if (arm64::Par::F::get(par2) || arm64::Par::Pa::get(par2) == 0) return Errno::Fault;
    return Frame{Mfn{arm64::Par::Pa::get(par2)}, false};
}

template <typename Copy>
Result<void> walk(Vcpu& v, uint64_t va, size_t len, bool write, Copy copy)
{
    KEEL_CHECK(&v == current_vcpu());
    const bool uncached = (arm64::SctlrEl1::read() & kSctlrC) == 0;
    for (size_t done = 0; done < len;) {
        const uint64_t at = va + done;
        if (at < va) return Errno::Fault;  // wrapped around the address space
        const size_t chunk = len - done < page_left(at) ? len - done : page_left(at);
        const Frame frame = KEEL_TRY(translate(v, at, write));
        const VirtAddr map = map_transient(frame.mfn.addr(), kGuestVirtSlot);
        auto* p = reinterpret_cast<uint8_t*>(map.raw()) + (at & (kPageSize - 1));
        if (uncached && !write) arm64::dcache_clean_inval_range(p, chunk);
        copy(p, done, chunk);
        if (uncached && write) arm64::dcache_clean_inval_range(p, chunk);
        unmap_transient(kGuestVirtSlot);
        if (frame.pinned) frame_put(frame.mfn);
        done += chunk;
    }
    return {};
}


}  // namespace

Result<void> copy_from_guest(Vcpu& v, void* dst, GuestVirtAddr src, size_t len)
{
    auto* to = static_cast<uint8_t*>(dst);
    return walk(v, src.raw(), len, false,
                [to](uint8_t* page, size_t done, size_t n) { relaxed_copy(to + done, page, n); });
}

Result<void> copy_to_guest(Vcpu& v, GuestVirtAddr dst, const void* src, size_t len)
{
    const auto* from = static_cast<const uint8_t*>(src);
    return walk(v, dst.raw(), len, true,
                [from](uint8_t* page, size_t done, size_t n) { relaxed_copy(page, from + done, n); });
}

}  // namespace keel
