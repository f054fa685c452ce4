// SPDX-License-Identifier: MIT
//
// tests/unit/arch/arm64/mmu/fake_table_context.hpp
// A TableContext for host tests: table pages come from a malloc'd arena and get
// fake physical addresses, so descriptors hold realistic-looking addresses;
// counts live pages, can run out on purpose, and records broken entries.
#pragma once
#include <cstdint>
#include <cstdlib>
#include <set>
#include <utility>
#include <vector>

#include <gtest/gtest.h>

#include "arch/arm64/mmu/page_table.hpp"

namespace keel::arm64::testing {

class FakeTableContext final : public TableContext {
public:
    static constexpr uint64_t kFakeBase = 0x7f00'0000'0000;  // "physical" address of page 0

    explicit FakeTableContext(size_t pages = 64) : pages_{pages}
    {
        arena_ = static_cast<uint64_t*>(std::aligned_alloc(kPageSize, pages * kPageSize));
        for (size_t i = pages; i > 0; --i) free_.push_back(i - 1);
    }
    ~FakeTableContext() { std::free(arena_); }
    FakeTableContext(const FakeTableContext&) = delete;
    FakeTableContext& operator=(const FakeTableContext&) = delete;

    Result<PhysAddr> alloc_table() override
    {
        if (free_.empty() || live_.size() >= limit_) return Errno::NoMem;
        const size_t i = free_.back();
        free_.pop_back();
        live_.insert(i);
        uint64_t* p = arena_ + i * (kPageSize / 8);
        for (size_t w = 0; w < kPageSize / 8; ++w) p[w] = 0xdead'beef'dead'beef;  // recycled junk
        for (size_t w = 0; w < kPageSize / 8; ++w) p[w] = 0;
        return PhysAddr{kFakeBase + i * kPageSize};
    }
    void free_table(PhysAddr table) override
    {
        const size_t i = index(table);
        EXPECT_TRUE(live_.erase(i) == 1) << "freeing a table that is not live";
        free_.push_back(i);
    }
    uint64_t* table_ptr(PhysAddr table) override
    {
        const size_t i = index(table);
        EXPECT_TRUE(live_.count(i) == 1) << "using a table that is not live";
        return arena_ + i * (kPageSize / 8);
    }
    void entry_broken(uint64_t in_addr, unsigned level) override
    {
        broken.emplace_back(in_addr, level);
    }
    void before_link() override { ++links; }

    size_t live_tables() const { return live_.size(); }
    void limit_tables(size_t n) { limit_ = n; }

    std::vector<std::pair<uint64_t, unsigned>> broken;  // (address, level) of each break
    size_t links = 0;

private:
    size_t index(PhysAddr table) const
    {
        const uint64_t off = table.raw() - kFakeBase;
        EXPECT_EQ(off % kPageSize, 0u);
        EXPECT_LT(off / kPageSize, pages_);
        return off / kPageSize;
    }

    size_t pages_;
    uint64_t* arena_;
    std::vector<size_t> free_;
    std::set<size_t> live_;
    size_t limit_ = ~size_t{0};
};

}  // namespace keel::arm64::testing
