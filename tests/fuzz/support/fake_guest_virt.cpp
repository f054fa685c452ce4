// SPDX-License-Identifier: MIT
//
// tests/fuzz/support/fake_guest_virt.cpp
// Owns the fake guest address spaces and copy_from_guest / copy_to_guest over
// them (see fake_guest_virt.hpp). The page loop mirrors guest_virt.cpp's; the
// AT instructions become a lookup in the domain's GuestSpace, the stage-2 walk
// of the AT S12E1 case a walk of the real p2m tables.
#include "tests/fuzz/support/fake_guest_virt.hpp"

#include <cstring>

#include "arch/arm64/mmu/page_table.hpp"
#include "arch/arm64/mmu/stage2.hpp"
#include "core/domain/domain.hpp"
#include "core/domain/vcpu.hpp"
#include "core/memory/boot_memory.hpp"
#include "core/memory/frame_ref.hpp"
#include "core/memory/guest_copy.hpp"
#include "core/memory/guest_virt.hpp"
#include "core/sched/schedule.hpp"
#include "lib/check.hpp"
#include "lib/relaxed_copy.hpp"

namespace keel::fuzz {
namespace {

struct SpaceSlot {
    const Domain* d = nullptr;
    GuestSpace* s = nullptr;
};
SpaceSlot g_spaces[8];
GuestCopyStats g_stats;

GuestSpace* space_of(const Domain& d)
{
    for (const SpaceSlot& slot : g_spaces)
        if (slot.d == &d) return slot.s;
    return nullptr;
}

size_t page_left(uint64_t addr) { return static_cast<size_t>(kPageSize - (addr & (kPageSize - 1))); }

// The fake AT S1E1R/W: the GFN behind `va`, or a fault.
Result<uint64_t> stage1(const Domain& d, uint64_t va, bool write)
{
    GuestSpace* s = space_of(d);
    if (s == nullptr || va < kGuestVaBase) return Errno::Fault;
    const uint64_t index = (va - kGuestVaBase) >> kPageShift;
    if (index >= kGuestVaPages) return Errno::Fault;
    const VaPage& p = s->page[index];
    if (!p.present || (write && !p.writable)) return Errno::Fault;
    return p.gfn;
}

struct Frame {
    Mfn mfn;
    bool pinned;
};

// guest_virt.cpp's translate(): the caller's RAM pinned, or keel's shared_info
// and grant-table pages (stage-2 permission checked); never anything else.
Result<Frame> translate(Domain& d, uint64_t va, bool write)
{
    const uint64_t gfn = KEEL_TRY(stage1(d, va, write));
    const Result<Mfn> ram = p2m_get_page(d, gfn, write);
    if (ram.ok()) return Frame{ram.value(), true};
    const Result<Stage2Leaf> leaf = stage2_leaf(d, gfn);
    if (!leaf.ok() || (leaf.value().type != P2mType::SharedInfo && leaf.value().type != P2mType::GrantTable))
        return Errno::Fault;
    if (write && !leaf.value().writable) return Errno::Fault;
    return Frame{leaf.value().mfn, false};
}

template <typename Copy>
Result<void> walk(Vcpu& v, uint64_t va, size_t len, bool write, Copy copy)
{
    KEEL_CHECK(&v == current_vcpu());  // as guest_virt.cpp: only the loaded vCPU's translation
    Domain& d = *v.domain;
    for (size_t done = 0; done < len;) {
        const uint64_t at = va + done;
        if (at < va) {
            ++g_stats.faults;
            return Errno::Fault;
        }
        const size_t chunk = len - done < page_left(at) ? len - done : page_left(at);
        const Result<Frame> f = translate(d, at, write);
        if (!f.ok()) {
            ++g_stats.faults;
            return Errno::Fault;
        }
        const Frame frame = f.value();
        if (write) {
            // The harness's own check of what keel is about to write.
            const Result<uint64_t> gfn = stage1(d, at, true);
            KEEL_CHECK(gfn.ok());
            const Result<Stage2Leaf> leaf = stage2_leaf(d, gfn.value());
            KEEL_CHECK(leaf.ok() && leaf.value().writable && leaf.value().mfn == frame.mfn);
            KEEL_CHECK(leaf.value().type == P2mType::RamRw || leaf.value().type == P2mType::SharedInfo ||
                       leaf.value().type == P2mType::GrantTable);
        }
        const VirtAddr map = map_transient(frame.mfn.addr(), kGuestVirtSlot);
        copy(reinterpret_cast<uint8_t*>(map.raw()) + (at & (kPageSize - 1)), done, chunk);
        unmap_transient(kGuestVirtSlot);
        if (frame.pinned) frame_put(frame.mfn);
        ++(write ? g_stats.pages_written : g_stats.pages_read);
        done += chunk;
    }
    return {};
}

// The guest's own access: any page its stage-2 lets it reach (RAM, keel's pages).
uint8_t* guest_reach(Domain& d, uint64_t va)
{
    GuestSpace* s = space_of(d);
    if (s == nullptr || va < kGuestVaBase) return nullptr;
    const uint64_t index = (va - kGuestVaBase) >> kPageShift;
    if (index >= kGuestVaPages || !s->page[index].present) return nullptr;
    const Result<Stage2Leaf> leaf = stage2_leaf(d, s->page[index].gfn);
    if (!leaf.ok()) return nullptr;
    const P2mType t = leaf.value().type;
    if (t != P2mType::RamRw && t != P2mType::SharedInfo && t != P2mType::GrantTable) return nullptr;
    return reinterpret_cast<uint8_t*>(leaf.value().mfn.addr().raw()) + (va & (kPageSize - 1));
}

}  // namespace

void set_guest_space(const Domain& d, GuestSpace* s)
{
    for (SpaceSlot& slot : g_spaces) {
        if (slot.d == &d) {
            slot = s != nullptr ? SpaceSlot{&d, s} : SpaceSlot{};
            return;
        }
    }
    if (s == nullptr) return;
    for (SpaceSlot& slot : g_spaces) {
        if (slot.d == nullptr) {
            slot = SpaceSlot{&d, s};
            return;
        }
    }
    KEEL_CHECK(false);
}

GuestCopyStats& guest_copy_stats() { return g_stats; }

Result<Stage2Leaf> stage2_leaf(Domain& d, uint64_t gfn)
{
    if (!d.p2m.ready() || gfn >= (uint64_t{1} << (arm64::Stage2::kInputBits - kPageShift))) return Errno::NoEnt;
    LockGuard guard{d.p2m.lock};
    const arm64::PageTableWalker walker{p2m_env(), d.p2m.root, arm64::Stage2::kStartLevel,
                                        arm64::Stage2::kInputBits};
    const Result<arm64::Walk> w = walker.translate(gfn << kPageShift);
    if (!w.ok()) return Errno::NoEnt;
    const arm64::Stage2Attrs a = arm64::Stage2::decode(w.value().desc);
    P2mType t;
    switch (a.kind) {
    case arm64::S2Kind::Ram: t = P2mType::RamRw; break;
    case arm64::S2Kind::Mmio: t = P2mType::Mmio; break;
    case arm64::S2Kind::SharedInfo: t = P2mType::SharedInfo; break;
    case arm64::S2Kind::GrantTable: t = P2mType::GrantTable; break;
    case arm64::S2Kind::GrantMapRw: t = P2mType::GrantMapRw; break;
    case arm64::S2Kind::GrantMapRo: t = P2mType::GrantMapRo; break;
    case arm64::S2Kind::StaticShm: t = P2mType::StaticShm; break;
    case arm64::S2Kind::ForeignRw: t = P2mType::ForeignRw; break;
    default: return Errno::NoEnt;
    }
    return Stage2Leaf{t, Mfn::of(w.value().out), a.access == arm64::S2Access::RW};
}

void guest_store(Domain& d, uint64_t va, const void* src, size_t len)
{
    const auto* from = static_cast<const uint8_t*>(src);
    for (size_t done = 0; done < len;) {
        const uint64_t at = va + done;
        const size_t chunk = len - done < page_left(at) ? len - done : page_left(at);
        if (uint8_t* p = guest_reach(d, at)) relaxed_copy(p, from + done, chunk);
        done += chunk;
    }
}

bool guest_load(Domain& d, uint64_t va, void* dst, size_t len)
{
    auto* to = static_cast<uint8_t*>(dst);
    for (size_t done = 0; done < len;) {
        const uint64_t at = va + done;
        const size_t chunk = len - done < page_left(at) ? len - done : page_left(at);
        const uint8_t* p = guest_reach(d, at);
        if (p == nullptr) return false;
        relaxed_copy(to + done, p, chunk);
        done += chunk;
    }
    return true;
}

}  // namespace keel::fuzz

namespace keel {

Result<void> copy_from_guest(Vcpu& v, void* dst, GuestVirtAddr src, size_t len)
{
    auto* to = static_cast<uint8_t*>(dst);
    return fuzz::walk(v, src.raw(), len, false,
                      [to](uint8_t* page, size_t done, size_t n) { relaxed_copy(to + done, page, n); });
}

Result<void> copy_to_guest(Vcpu& v, GuestVirtAddr dst, const void* src, size_t len)
{
    const auto* from = static_cast<const uint8_t*>(src);
    return fuzz::walk(v, dst.raw(), len, true,
                      [from](uint8_t* page, size_t done, size_t n) { relaxed_copy(page, from + done, n); });
}

}  // namespace keel
