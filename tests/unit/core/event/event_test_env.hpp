// SPDX-License-Identifier: MIT
//
// tests/unit/core/event/event_test_env.hpp
// Owns the host stand-ins for the event-channel tests: a FakeEvtchnEnv with
// shared_info and guest pages in host memory (a fake p2m by GFN), recorded
// upcalls, poller wake-ups, maps and allocations; and TestDomain, a
// DomainEvents set up for a domid and vCPU count.
#pragma once
#include <cstdlib>
#include <cstring>
#include <map>
#include <memory>
#include <vector>

#include <gtest/gtest.h>

#include "core/event/event_core.hpp"

namespace keel::test {

struct alignas(4096) FakePage {
    uint8_t bytes[4096];
};

class FakeEvtchnEnv : public EvtchnEnv {
public:
    // Guest RAM of every domain: GFNs [0x1000, 0x1100) exist.
    static constexpr uint64_t kFirstGfn = 0x1000;
    static constexpr uint64_t kGfns = 0x100;

    xen::SharedInfo* shared_info(DomainEvents& d) override { return &shared(d.domid); }
    void raise_upcall(DomainEvents& d, uint32_t vcpu) override
    {
        upcalls.push_back({d.domid, vcpu});
    }
    void wake_poller(DomainEvents& d, uint32_t vcpu) override { wakes.push_back({d.domid, vcpu}); }
    Result<GuestPage> map_page(DomainEvents& d, uint64_t gfn) override
    {
        if (gfn < kFirstGfn || gfn >= kFirstGfn + kGfns) return Errno::Inval;
        ++maps;
        return GuestPage{page(d.domid, gfn), gfn};
    }
    void unmap_page(DomainEvents&, GuestPage& p) override
    {
        ++unmaps;
        p = {};
    }
    void* alloc_zeroed(size_t bytes) override
    {
        ++allocs;
        return std::calloc(1, bytes);
    }
    void free_zeroed(void* p, size_t) override
    {
        ++frees;
        std::free(p);
    }
    bool hold(DomainEvents&) override
    {
        ++holds;
        return true;
    }
    void release(DomainEvents&) override { ++releases; }

    xen::SharedInfo& shared(uint16_t domid)
    {
        auto& s = shared_[domid];
        if (!s) s = std::make_unique<SharedPage>();
        return s->info;
    }
    // What the guest sees at `gfn` of domain `domid`.
    void* page(uint16_t domid, uint64_t gfn)
    {
        auto& p = pages_[{domid, gfn}];
        if (!p) p = std::make_unique<FakePage>();
        return p->bytes;
    }
    size_t upcalls_for(uint16_t domid, uint32_t vcpu) const
    {
        size_t n = 0;
        for (auto& u : upcalls) n += (u.first == domid && u.second == vcpu) ? 1 : 0;
        return n;
    }

    std::vector<std::pair<uint16_t, uint32_t>> upcalls;
    std::vector<std::pair<uint16_t, uint32_t>> wakes;
    int maps = 0, unmaps = 0, allocs = 0, frees = 0, holds = 0, releases = 0;

private:
    struct alignas(4096) SharedPage {
        xen::SharedInfo info{};
    };
    std::map<uint16_t, std::unique_ptr<SharedPage>> shared_;
    std::map<std::pair<uint16_t, uint64_t>, std::unique_ptr<FakePage>> pages_;
};

struct TestDomain {
    TestDomain(FakeEvtchnEnv& env, uint16_t domid, uint32_t vcpus) : ev{new DomainEvents}
    {
        EXPECT_TRUE(evtchn::init(env, *ev, domid, nullptr, vcpus, nullptr).ok());
    }
    DomainEvents& operator*() { return *ev; }
    DomainEvents* operator->() { return ev.get(); }
    std::unique_ptr<DomainEvents> ev;
};

inline bool bit_set(const uint64_t* words, uint32_t n) { return (words[n / 64] >> (n % 64)) & 1; }

}  // namespace keel::test
