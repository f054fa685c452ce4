// SPDX-License-Identifier: MIT
//
// core/memory/memory_selftest.cpp
// Owns the on-target memory checks: what only the real CPU can confirm (its
// translation of keel's addresses, TLB maintenance of the transient slots) and
// the pools as built from the real device tree.
#include "core/memory/memory_selftest.hpp"

#include "arch/arm64/hw/mmu.hpp"
#include "arch/arm64/mmu/stage1.hpp"
#include "arch/arm64/regs/el2_mmu.hpp"
#include "core/console/log.hpp"
#include "core/memory/boot_memory.hpp"
#include "core/selftest/selftest.hpp"

extern "C" {
extern char __text_start[];
extern char __rodata_start[];
}

namespace keel {

namespace {

constinit volatile uint64_t g_probe = 1;  // a .data word to probe

struct Probe {
    bool fault;
    PhysAddr pa;
};

Probe probe(uint64_t par, VirtAddr va)
{
    if (arm64::Par::F::get(par)) return {true, PhysAddr{}};
    return {false, PhysAddr{(par & arm64::Par::Pa::kMask) | va.page_offset()}};
}

// Readable at its identity address, and whether a write is permitted.
bool readable_identity(VirtAddr va)
{
    const Probe r = probe(arm64::at_s1e2r(va), va);
    return !r.fault && r.pa.raw() == va.raw();
}
bool writable(VirtAddr va) { return !probe(arm64::at_s1e2w(va), va).fault; }
bool mapped(VirtAddr va) { return !probe(arm64::at_s1e2r(va), va).fault; }

// The execute-never bit of the live descriptor for `va` (software walk of the
// tables the CPU uses: the AT instructions do not report permissions).
bool execute_never(VirtAddr va)
{
    auto t = memory().stage1().translate(va);
    return t.ok() && arm64::Stage1Desc::Xn::get(t.value().desc);
}

void snapshot_lists(FrameAllocator& a, uint64_t (&out)[FrameAllocator::kOrders])
{
    for (unsigned o = 0; o < FrameAllocator::kOrders; ++o) out[o] = a.free_blocks(o);
}

bool pool_round_trip(FramePool& pool, const unsigned* orders, size_t n, const unsigned* free_order)
{
    FrameAllocator& a = pool.unlocked();  // boot CPU only; the lists are compared whole
    uint64_t before[FrameAllocator::kOrders];
    snapshot_lists(a, before);
    const uint64_t free_before = pool.free_frames();

    Mfn got[8];
    uint64_t taken = 0;
    bool ok = n <= 8;
    for (size_t i = 0; ok && i < n; ++i) {
        auto r = pool.alloc(orders[i]);
        if (!r.ok()) return false;
        got[i] = r.value();
        taken += uint64_t{1} << orders[i];
        ok = ok && (got[i].raw() & ((uint64_t{1} << orders[i]) - 1)) == 0 && pool.owns(got[i]);
        const FrameInfo* f = memory().frames().find(got[i]);
        ok = ok && f != nullptr && f->state() == FrameState::Allocated;
    }
    ok = ok && pool.free_frames() == free_before - taken;
    for (size_t i = 0; i < n; ++i) pool.free(got[free_order[i]], orders[free_order[i]]);

    uint64_t after[FrameAllocator::kOrders];
    snapshot_lists(a, after);
    for (unsigned o = 0; o < FrameAllocator::kOrders; ++o) ok = ok && before[o] == after[o];
    return ok && pool.free_frames() == free_before;
}

}  // namespace

void selftest_frame_allocator()
{
    static constexpr unsigned kDomainOrders[] = {0, 1, 3, 9, 0, 5};
    static constexpr unsigned kDomainFreeOrder[] = {2, 0, 5, 1, 4, 3};
    selftest::report(pool_round_trip(memory().domain(), kDomainOrders, 6, kDomainFreeOrder),
                     "memory: domain pool orders 0-9 alloc/free, counts and free lists restored");

    static constexpr unsigned kHeapOrders[] = {0, 2, 0};
    static constexpr unsigned kHeapFreeOrder[] = {1, 2, 0};
    selftest::report(pool_round_trip(memory().heap(), kHeapOrders, 3, kHeapFreeOrder),
                     "memory: heap pool alloc/free, counts and free lists restored");
}

void selftest_stage1()
{
    const arm64::El2MapSpec& spec = memory().map_spec();
    const VirtAddr text{reinterpret_cast<uint64_t>(&selftest_stage1)};
    const VirtAddr text_start{reinterpret_cast<uint64_t>(__text_start)};
    const VirtAddr rodata{reinterpret_cast<uint64_t>(__rodata_start)};
    const VirtAddr data{reinterpret_cast<uint64_t>(&g_probe)};
    const VirtAddr dtb{spec.dtb.base.raw()};

    selftest::report(readable_identity(text) && readable_identity(text_start) && !writable(text) &&
                         !execute_never(text),
                     "stage1: text is read-only and executable");
    selftest::report(readable_identity(data) && writable(data) && execute_never(data),
                     "stage1: data is writable and execute-never");
    selftest::report(readable_identity(rodata) && !writable(rodata) && execute_never(rodata) &&
                         (spec.dtb.empty() || (readable_identity(dtb) && !writable(dtb) &&
                                               execute_never(dtb))),
                     "stage1: rodata and the DTB are read-only and execute-never");

    // Heap: a frame from the pool is writable, execute-never; a domain frame is unmapped.
    bool heap_ok = false;
    if (auto h = memory().heap().alloc(0); h.ok()) {
        const VirtAddr va{h.value().addr().raw()};
        heap_ok = readable_identity(va) && writable(va) && execute_never(va);
        memory().heap().free(h.value(), 0);
    }
    selftest::report(heap_ok, "stage1: heap pool is writable and execute-never");

    bool domain_unmapped = false;
    if (auto d = memory().domain().alloc(0); d.ok()) {
        domain_unmapped = !mapped(VirtAddr{d.value().addr().raw()});
        memory().domain().free(d.value(), 0);
    }
    selftest::report(domain_unmapped && !mapped(arm64::transient_va(0, 0)),
                     "stage1: domain pool RAM and free transient slots are not mapped");
}

// W^X over keel's whole EL2 map: every leaf that is writable is execute-never,
// and SCTLR_EL2.WXN makes the hardware enforce it for anything mapped later.
struct WxWalk {
    uint64_t leaves = 0;
    uint64_t writable_executable = 0;
};

void check_leaf(void* ctx, uint64_t, unsigned, uint64_t desc)
{
    auto* w = static_cast<WxWalk*>(ctx);
    ++w->leaves;
    if (!arm64::Stage1Desc::ApReadOnly::get(desc) && !arm64::Stage1Desc::Xn::get(desc))
        ++w->writable_executable;
}

void selftest_w_xor_x()
{
    WxWalk w;
    memory().stage1().for_each_leaf(check_leaf, &w);
    const bool wxn = arm64::Sctlr::Wxn::get(arm64::SctlrEl2::read());
    selftest::report(w.leaves != 0 && w.writable_executable == 0 && wxn,
                     "stage1: W^X: no writable and executable EL2 mapping, SCTLR_EL2.WXN set");
}

void selftest_transient_map()
{
    constexpr uint64_t kWords = kPageSize / sizeof(uint64_t);
    constexpr uint64_t kPatternA = 0xa5a5'0000'0000'0000;
    constexpr uint64_t kPatternB = 0x5a5a'0000'0000'0000;
    FramePool& pool = memory().domain();
    auto ra = pool.alloc(0);
    auto rb = pool.alloc(0);
    if (!ra.ok() || !rb.ok()) {
        selftest::report(false, "memory: transient map slot remap shows the new frame");
        return;
    }
    const PhysAddr a = ra.value().addr();
    const PhysAddr b = rb.value().addr();

    auto fill = [](VirtAddr va, uint64_t pattern) {
        auto* p = reinterpret_cast<volatile uint64_t*>(va.raw());
        for (uint64_t i = 0; i < kWords; ++i) p[i] = pattern | i;
    };
    auto holds = [](VirtAddr va, uint64_t pattern) {
        auto* p = reinterpret_cast<volatile const uint64_t*>(va.raw());
        for (uint64_t i = 0; i < kWords; ++i)
            if (p[i] != (pattern | i)) return false;
        return true;
    };

    // A through slot 0, B through slot 1; then slot 0 remapped to B, then back to A.
    VirtAddr va = map_transient(a, 0);
    fill(va, kPatternA);
    const bool mapped_a = mapped(va);
    unmap_transient(0);
    const bool gone = !mapped(va);
    const VirtAddr vb = map_transient(b, 1);
    fill(vb, kPatternB);
    unmap_transient(1);

    va = map_transient(b, 0);
    const bool sees_b = holds(va, kPatternB);
    unmap_transient(0);
    va = map_transient(a, 0);
    const bool sees_a = holds(va, kPatternA);
    unmap_transient(0);

    pool.free(ra.value(), 0);
    pool.free(rb.value(), 0);
    selftest::report(mapped_a && gone && sees_b && sees_a,
                     "memory: transient map slot remap shows the new frame, not the stale one");
}

void memory_selftests()
{
    selftest_frame_allocator();
    selftest_stage1();
    selftest_w_xor_x();
    selftest_transient_map();
}

}  // namespace keel
