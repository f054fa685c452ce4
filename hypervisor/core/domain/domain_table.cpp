// SPDX-License-Identifier: MIT
//
// core/domain/domain_table.cpp
// Owns the domid → Domain table and Domain object creation/freeing (see
// domain_table.hpp). The table lock is a leaf; objects are built outside it.
#include "core/domain/domain_table.hpp"

#include <new>

#include "arch/arm64/hw/spinlock.hpp"
#include "core/domain/object_heap.hpp"
#include "core/domain/vcpu_ops.hpp"

namespace keel {
namespace {

struct DomainTable {
    SpinLock lock;
    Domain* slot[kMaxDomains] = {};
    size_t count = 0;
};
constinit DomainTable g_table;

void copy_name(Domain& d, const char* name)
{
    size_t i = 0;
    for (; name != nullptr && name[i] != '\0' && i + 1 < kDomainNameMax; ++i) d.name[i] = name[i];
    d.name[i] = '\0';
}

void destroy_object(Domain& d)
{
    d.~Domain();
    free_object_frames(&d, sizeof(Domain));
}

}  // namespace

Result<Domain*> create_domain(const char* name, DomId domid, uint32_t nr_vcpus)
{
    if (domid >= kMaxDomains || nr_vcpus == 0 || nr_vcpus > kMaxVcpusPerDomain) {
        return Errno::Inval;
    }
    const uint64_t free_before = domain_pool_free_frames();
    void* mem = alloc_object_frames(sizeof(Domain));
    if (mem == nullptr) return Errno::NoMem;
    Domain* d = new (mem) Domain{};
    d->id = domid;
    d->frames_before_create = free_before;
    copy_name(*d, name);

    {
        LockGuard guard{g_table.lock};
        if (g_table.slot[domid] != nullptr) {
            destroy_object(*d);
            return Errno::Exist;
        }
        g_table.slot[domid] = d;
        ++g_table.count;
    }

    for (uint32_t i = 0; i < nr_vcpus; ++i) {
        if (!create_vcpu(*d, i).ok()) {
            free_domain(*d);
            return Errno::NoMem;
        }
    }
    d->live_vcpus.store(nr_vcpus, std::memory_order_relaxed);
    return d;
}

Domain* find_domain(DomId domid)
{
    if (domid >= kMaxDomains) return nullptr;
    LockGuard guard{g_table.lock};
    return g_table.slot[domid];
}

size_t domain_count()
{
    LockGuard guard{g_table.lock};
    return g_table.count;
}

void for_each_domain(void (*fn)(Domain& d, void* ctx), void* ctx)
{
    // Snapshot under the lock, call outside it (fn may take other locks).
    Domain* seen[kMaxDomains];
    size_t n = 0;
    {
        LockGuard guard{g_table.lock};
        for (Domain* d : g_table.slot) {
            if (d != nullptr) seen[n++] = d;
        }
    }
    for (size_t i = 0; i < n; ++i) fn(*seen[i], ctx);
}

size_t free_domain(Domain& d)
{
    size_t remaining = 0;
    {
        LockGuard guard{g_table.lock};
        if (d.id < kMaxDomains && g_table.slot[d.id] == &d) {
            g_table.slot[d.id] = nullptr;
            --g_table.count;
        }
        remaining = g_table.count;
    }
    for (Vcpu* v : d.vcpus) {
        if (v != nullptr) free_vcpu(*v);
    }
    destroy_object(d);
    return remaining;
}

}  // namespace keel
