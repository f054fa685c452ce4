// SPDX-License-Identifier: MIT
//
// arch/arm64/mmu/vmid.cpp
// Owns the VMID bitmap and keel's one instance of it.
#include "arch/arm64/mmu/vmid.hpp"

#include "lib/check.hpp"

namespace keel::arm64 {

namespace {
constinit VmidAllocator g_vmids;
}  // namespace

VmidAllocator& vmids() { return g_vmids; }

Result<uint16_t> VmidAllocator::alloc()
{
    LockGuard guard{lock_};
    for (unsigned w = 0; w < kWords; ++w) {
        if (used_[w] == ~uint64_t{0}) continue;
        const unsigned b = static_cast<unsigned>(__builtin_ctzll(~used_[w]));
        used_[w] |= uint64_t{1} << b;
        return static_cast<uint16_t>(w * 64 + b);
    }
    return Errno::NoSpc;
}

void VmidAllocator::free(uint16_t vmid)
{
    LockGuard guard{lock_};
    KEEL_CHECK(vmid != 0 && vmid < kMaxVmids);
    const uint64_t bit = uint64_t{1} << (vmid % 64);
    KEEL_CHECK((used_[vmid / 64] & bit) != 0);  // double free
    used_[vmid / 64] &= ~bit;
}

unsigned VmidAllocator::used()
{
    LockGuard guard{lock_};
    unsigned n = 0;
    for (unsigned w = 0; w < kWords; ++w)
        n += static_cast<unsigned>(__builtin_popcountll(used_[w]));
    return n - 1;  // VMID 0 is not "in use"
}

}  // namespace keel::arm64
