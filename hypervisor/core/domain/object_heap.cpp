// SPDX-License-Identifier: MIT
//
// core/domain/object_heap.cpp
// Owns the heap-pool backing of alloc_object_frames()/free_object_frames(), and
// domain_pool_free_frames() over the real domain pool.
#include "core/domain/object_heap.hpp"

#include "core/domain/domain_table.hpp"
#include "core/memory/boot_memory.hpp"

namespace keel {
namespace {

unsigned order_for(size_t bytes)
{
    const size_t frames = (bytes + kPageSize - 1) / kPageSize;
    unsigned order = 0;
    while ((size_t{1} << order) < frames) ++order;
    return order;
}

}  // namespace

void* alloc_object_frames(size_t bytes)
{
    const unsigned order = order_for(bytes);
    auto block = memory().heap().alloc(order);
    if (!block.ok()) return nullptr;
    void* p = memory().heap_ptr(block.value().addr());
    __builtin_memset(p, 0, kPageSize << order);
    return p;
}

void free_object_frames(void* p, size_t bytes)
{
    if (p == nullptr) return;
    const PhysAddr pa{reinterpret_cast<uint64_t>(p)};  // the heap pool is identity-mapped
    memory().heap().free(Mfn::of(pa), order_for(bytes));
}

uint64_t domain_pool_free_frames() { return free_domain_frames(); }

}  // namespace keel
