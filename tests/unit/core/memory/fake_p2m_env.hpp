// SPDX-License-Identifier: MIT
//
// tests/unit/core/memory/fake_p2m_env.hpp
// Owns the fake P2mEnv of the p2m tests: RAM from a real buddy allocator over
// a fake bank (never touched), table pages from the fake table context, VMIDs
// from a real allocator, TLB flushes, scrubs and frees recorded.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "../../arch/arm64/mmu/fake_table_context.hpp"
#include "arch/arm64/mmu/vmid.hpp"
#include "core/memory/frame_allocator.hpp"
#include "core/memory/p2m.hpp"

namespace keel::testing {

using arm64::testing::FakeTableContext;

class FakeP2mEnv final : public P2mEnv {
public:
    FakeP2mEnv(uint64_t bank_base, uint64_t bank_bytes, size_t table_pages = 256)
        : tables{table_pages}
    {
        const PhysRange bank{PhysAddr{bank_base}, bank_bytes};
        storage_.resize(FrameTable::frames_needed({&bank, 1}));
        table_.init({&bank, 1}, storage_.data(), storage_.size());
        pool.init(table_, 2);
        pool.add_free(Mfn::of(bank.base), bank_bytes >> kPageShift);
    }

    Result<PhysAddr> alloc_table() override { return tables.alloc_table(); }
    void free_table(PhysAddr t) override
    {
        events.push_back("free_table");
        tables.free_table(t);
    }
    uint64_t* table_ptr(PhysAddr t) override { return tables.table_ptr(t); }

    FrameTable& frames() override { return table_; }
    Result<Mfn> alloc_ram(unsigned order) override
    {
        if (ram_limit_frames < (uint64_t{1} << order)) return Errno::NoMem;
        auto m = pool.alloc(order);
        if (m.ok()) {
            ram_limit_frames -= uint64_t{1} << order;
            ++ram_allocs[order];
        }
        return m;
    }
    Result<Mfn> alloc_ram_below(unsigned order, PhysAddr limit) override
    {
        if (ram_limit_frames < (uint64_t{1} << order)) return Errno::NoMem;
        auto m = pool.alloc_below(order, Mfn::of(limit));
        if (m.ok()) {
            ram_limit_frames -= uint64_t{1} << order;
            ++ram_allocs[order];
        }
        return m;
    }
    void free_ram(Mfn first, unsigned order) override
    {
        if (ram_limit_frames != ~uint64_t{0}) ram_limit_frames += uint64_t{1} << order;
        events.push_back("free_ram");
        pool.free(first, order);
    }
    void scrub_ram(Mfn first, unsigned order) override
    {
        for (uint64_t i = 0; i < (uint64_t{1} << order); ++i) ++scrubbed[(first + i).raw()];
    }
    Result<uint16_t> alloc_vmid() override { return vmid_pool.alloc(); }
    void free_vmid(uint16_t vmid) override
    {
        events.push_back("free_vmid");
        vmid_pool.free(vmid);
    }
    void flush_guest_tlb(uint64_t vttbr) override
    {
        events.push_back("flush");
        flushed.push_back(vttbr);
    }
    void publish_tables() override { ++publishes; }
    unsigned ipa_bits() const override { return ipa; }

    std::vector<uint64_t> lists() const
    {
        std::vector<uint64_t> v;
        for (unsigned o = 0; o < FrameAllocator::kOrders; ++o) v.push_back(pool.free_blocks(o));
        return v;
    }

    FakeTableContext tables;
    FrameAllocator pool;
    arm64::VmidAllocator vmid_pool;
    unsigned ipa = 39;
    uint64_t ram_limit_frames = ~uint64_t{0};
    std::map<uint64_t, int> scrubbed;  // mfn → times scrubbed
    std::map<unsigned, int> ram_allocs;  // order → blocks allocated
    std::vector<uint64_t> flushed;
    std::vector<std::string> events;
    int publishes = 0;

private:
    std::vector<FrameInfo> storage_;
    FrameTable table_;
};


}  // namespace keel::testing
