// SPDX-License-Identifier: MIT
//
// core/boot/guest_layout.cpp
// Owns the dom0less domU RAM split and image placement declared in
// core/boot/guest_layout.hpp. The rules reproduce Xen 4.17
// xen/arch/arm/domain_build.c allocate_memory() and xen/arch/arm/kernel.c
// kernel_zimage_place() / place_modules(); every comparison keeps Xen's
// strictness (">=" versus ">") so keel puts images at the same IPAs.
#include "core/boot/guest_layout.hpp"

namespace keel {
namespace {

constexpr uint64_t kMiB = uint64_t{1} << 20;
constexpr uint64_t k2MiB = 2 * kMiB;
constexpr uint64_t kModulesAt = 128 * kMiB;  // place_modules(): "just after the 128MB boundary"
constexpr uint64_t kMaxFdtSize = 2 * kMiB;   // Linux arch/arm64 MAX_FDT_SIZE

}  // namespace

uint64_t GuestRamBanks::total() const
{
    uint64_t sum = 0;
    for (size_t i = 0; i < count; ++i) sum += bank[i].size;
    return sum;
}

Result<GuestRamBanks> split_guest_ram(uint64_t bytes)
{
    if (bytes == 0 || bytes % kPageSize != 0) return Errno::Inval;
    if (bytes > kGuestRam0Size + kGuestRam1Size) return Errno::NoMem;
    GuestRamBanks ram;
    const uint64_t low = bytes < kGuestRam0Size ? bytes : kGuestRam0Size;
    ram.bank[0] = GuestRange{GuestPhysAddr{kGuestRam0Base}, low};
    ram.count = 1;
    if (bytes > low) {
        ram.bank[1] = GuestRange{GuestPhysAddr{kGuestRam1Base}, bytes - low};
        ram.count = 2;
    }
    return ram;
}

Result<GuestLoadPlan> place_dom0less_images(const GuestRamBanks& ram, const Arm64ImageInfo& image,
                                            uint64_t dtb_size, uint64_t initrd_size)
{
    if (ram.count == 0 || ram.bank[0].size == 0) return Errno::Inval;
    if (dtb_size == 0 || dtb_size > kMaxFdtSize) return Errno::Inval;
    const uint64_t rambase = ram.bank[0].base.raw();
    const uint64_t ramsize = ram.bank[0].size;
    const uint64_t ramend = rambase + ramsize;  // bank 0 ends at 4 GiB at most: no overflow
    // Sizes beyond the bank can never fit; rejecting them first keeps the sums below exact.
    if (image.text_offset >= ramsize || image.image_size > ramsize || initrd_size > ramsize)
        return Errno::NoMem;

    // kernel_zimage_place(): a 64-bit Image goes at bank-0 base + text_offset.
    const uint64_t kernbase = rambase + image.text_offset;
    const uint64_t kernend = kernbase + image.image_size;
    const uint64_t kernend_2m = align_up(kernend, k2MiB);

    // place_modules(): DTB then initrd, each rounded up to 2 MiB.
    const uint64_t initrd_len = align_up(initrd_size, k2MiB);
    const uint64_t dtb_len = align_up(dtb_size, k2MiB);
    const uint64_t modsize = initrd_len + dtb_len;
    const uint64_t kernsize = kernend_2m - kernbase;
    const uint64_t ram128mb = rambase + kModulesAt;

    if (modsize + kernsize > ramsize) return Errno::NoMem;
    if (kernend > ramend) return Errno::NoMem;  // not checked by Xen; keel refuses

    uint64_t modbase = 0;
    if (ramend >= ram128mb + modsize && kernend < ram128mb)
        modbase = ram128mb;
    else if (ramend - modsize > kernend_2m)
        modbase = ramend - modsize;
    else if (kernbase - rambase > modsize)
        modbase = kernbase - modsize;
    else
        return Errno::NoMem;

    GuestLoadPlan plan;
    plan.kernel = GuestRange{GuestPhysAddr{kernbase}, image.image_size};
    plan.entry = GuestPhysAddr{kernbase};
    plan.dtb = GuestRange{GuestPhysAddr{modbase}, dtb_size};
    plan.initrd = GuestRange{GuestPhysAddr{modbase + dtb_len}, initrd_size};
    return plan;
}

}  // namespace keel
