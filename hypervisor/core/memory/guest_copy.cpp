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

namespace keel {

namespace {

constexpr size_t min_size(size_t a, size_t b) { return a < b ? a : b; }

// keel's memcpy is byte-wise; guest images are megabytes. The relaxed atomic
// accesses are plain loads and stores that the compiler cannot turn back into
// a memcpy/memset call.
void copy_bytes(void* dst, const void* src, size_t n)
{
    const auto d = reinterpret_cast<uintptr_t>(dst);
    const auto s = reinterpret_cast<uintptr_t>(src);
    if (((d | s | n) & 7) == 0) {
        auto* dw = static_cast<uint64_t*>(dst);
        const auto* sw = static_cast<const uint64_t*>(src);
        for (size_t i = 0; i < n / 8; ++i)
            __atomic_store_n(&dw[i], __atomic_load_n(&sw[i], __ATOMIC_RELAXED), __ATOMIC_RELAXED);
        return;
    }
    auto* db = static_cast<uint8_t*>(dst);
    const auto* sb = static_cast<const uint8_t*>(src);
    for (size_t i = 0; i < n; ++i)
        __atomic_store_n(&db[i], __atomic_load_n(&sb[i], __ATOMIC_RELAXED), __ATOMIC_RELAXED);
}

void zero_bytes(void* dst, size_t n)
{
    if (((reinterpret_cast<uintptr_t>(dst) | n) & 7) == 0) {
        auto* dw = static_cast<uint64_t*>(dst);
        for (size_t i = 0; i < n / 8; ++i) __atomic_store_n(&dw[i], uint64_t{0}, __ATOMIC_RELAXED);
        return;
    }
    auto* db = static_cast<uint8_t*>(dst);
    for (size_t i = 0; i < n; ++i) __atomic_store_n(&db[i], uint8_t{0}, __ATOMIC_RELAXED);
}

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
        copy_bytes(page.ptr(), from + done, chunk);
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
        copy_bytes(to + done, page.ptr(), chunk);
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
        zero_bytes(page.ptr(), chunk);
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
        copy_bytes(page.ptr(), reinterpret_cast<const uint8_t*>(host.raw()) + from.page_offset(),
                   chunk);
        unmap_transient(kGuestCopySrcSlot);
        clean(page.ptr(), chunk);
        done += chunk;
    }
    return {};
}

void sync_guest_code() { arm64::sync_guest_icache(); }

}  // namespace keel
