// SPDX-License-Identifier: MIT
//
// core/memory/guest_copy.cpp
// Owns the page-by-page loop behind the guest-physical copies: translate, map
// transiently, copy (64-bit words when everything is aligned, bytes otherwise),
// clean what was written to the PoC, unmap. Target only.
#include "core/memory/guest_copy.hpp"

#include "arch/arm64/hw/barrier.hpp"
#include "arch/arm64/hw/stage2_ops.hpp"
#include "core/domain/domain.hpp"
#include "core/memory/boot_memory.hpp"
#include "core/memory/p2m.hpp"
#include "lib/relaxed_copy.hpp"

namespace keel {

namespace {

constexpr size_t min_size(size_t a, size_t b) { return a < b ? a : b; }

// The guest page holding `ipa`, mapped at kGuestCopySlot; unmaps on scope exit.
class GuestPage {
public:
    static Result<GuestPage> map(const Domain& d, GuestPhysAddr ipa)
    {
        const PhysAddr pa = KEEL_TRY(p2m_translate(d, ipa));
        const VirtAddr va = map_transient(pa.align_down(kPageSize), kGuestCopySlot);
        return GuestPage{reinterpret_cast<uint8_t*>(va.raw()) + ipa.page_offset()};
    }
    GuestPage(GuestPage&& o) : p_{o.p_} { o.p_ = nullptr; }
    GuestPage(const GuestPage&) = delete;
    GuestPage& operator=(const GuestPage&) = delete;
    ~GuestPage()
    {
        if (p_ != nullptr) unmap_transient(kGuestCopySlot);
    }
    uint8_t* ptr() const { return p_; }

private:
    explicit GuestPage(uint8_t* p) : p_{p} {}
    uint8_t* p_;
};

// Bytes from `addr` to the end of its page.
size_t page_left(uint64_t addr)
{
    return static_cast<size_t>(kPageSize - (addr & (kPageSize - 1)));
}

// A guest starting with its caches off reads memory: push keel's writes there.
void clean(const void* p, size_t n) { arm64::dcache_clean_inval_range(p, n); }

}  // namespace

Result<void> copy_to_guest_phys(Domain& d, GuestPhysAddr dst, const void* src, size_t len)
{
    const auto* from = static_cast<const uint8_t*>(src);
    for (size_t done = 0; done < len;) {
        const GuestPhysAddr at = dst + done;
        const size_t chunk = min_size(len - done, page_left(at.raw()));
        const GuestPage page = KEEL_TRY(GuestPage::map(d, at));
        relaxed_copy(page.ptr(), from + done, chunk);
        clean(page.ptr(), chunk);
        done += chunk;
    }
    return {};
}

Result<void> copy_from_guest_phys(Domain& d, void* dst, GuestPhysAddr src, size_t len)
{
    auto* to = static_cast<uint8_t*>(dst);
    for (size_t done = 0; done < len;) {
        const GuestPhysAddr at = src + done;
        const size_t chunk = min_size(len - done, page_left(at.raw()));
        const GuestPage page = KEEL_TRY(GuestPage::map(d, at));
        relaxed_copy(to + done, page.ptr(), chunk);
        done += chunk;
    }
    return {};
}

Result<void> zero_guest_phys(Domain& d, GuestPhysAddr dst, size_t len)
{
    for (size_t done = 0; done < len;) {
        const GuestPhysAddr at = dst + done;
        const size_t chunk = min_size(len - done, page_left(at.raw()));
        const GuestPage page = KEEL_TRY(GuestPage::map(d, at));
        relaxed_zero(page.ptr(), chunk);
        clean(page.ptr(), chunk);
        done += chunk;
    }
    return {};
}

Result<void> copy_phys_to_guest(Domain& d, GuestPhysAddr dst, PhysAddr src, size_t len)
{
    for (size_t done = 0; done < len;) {
        const GuestPhysAddr at = dst + done;
        const PhysAddr from = src + done;
        const size_t chunk =
            min_size(len - done, min_size(page_left(at.raw()), page_left(from.raw())));
        // Only host RAM is read (a device window must never be mapped as memory).
        if (memory().frames().find(Mfn::of(from)) == nullptr) return Errno::Fault;
        const GuestPage page = KEEL_TRY(GuestPage::map(d, at));
        const VirtAddr host = map_transient(from.align_down(kPageSize), kGuestCopySrcSlot);
        relaxed_copy(page.ptr(), reinterpret_cast<const uint8_t*>(host.raw()) + from.page_offset(),
                   chunk);
        unmap_transient(kGuestCopySrcSlot);
        clean(page.ptr(), chunk);
        done += chunk;
    }
    return {};
}

Result<void> clean_inval_guest_page(Domain& d, uint64_t gfn)
{
    const GuestPage page = KEEL_TRY(GuestPage::map(d, GuestPhysAddr{gfn << kPageShift}));
    clean(page.ptr(), kPageSize);
    return {};
}

void sync_guest_code() { arm64::sync_guest_icache(); }

}  // namespace keel
