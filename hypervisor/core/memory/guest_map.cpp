// SPDX-License-Identifier: MIT
//
// core/memory/guest_map.cpp
// Owns pin + map and unmap + unpin of guest pages (see guest_map.hpp).
#include "core/memory/guest_map.hpp"

#include "arch/arm64/mmu/vmap.hpp"
#include "core/domain/domain.hpp"
#include "core/memory/frame_ref.hpp"
#include "core/memory/p2m.hpp"

namespace keel {
namespace {

// The frame stays allocated while pinned, even if the guest gives the GFN back.
Result<Mfn> pin_frame(Domain& d, uint64_t gfn, bool writable)
{
    return p2m_get_page(d, gfn, writable);  // Errno::Inval unless RAM (writable)
}
void unpin_frame(Mfn mfn) { frame_put(mfn); }

}  // namespace

Result<GuestMap> guest_map_page(Domain& d, uint64_t gfn, bool writable)
{
    const Mfn mfn = KEEL_TRY(pin_frame(d, gfn, writable));
    const Result<VirtAddr> va = arm64::vmap_page(mfn.addr());
    if (!va.ok()) {
        unpin_frame(mfn);
        return va.error();
    }
    return GuestMap{reinterpret_cast<void*>(va.value().raw()), mfn};
}

void guest_unmap_page(GuestMap& m)
{
    if (m.va == nullptr) return;
    arm64::vunmap_page(VirtAddr{reinterpret_cast<uint64_t>(m.va)});
    unpin_frame(m.mfn);
    m = GuestMap{};
}

}  // namespace keel
