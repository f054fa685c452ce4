// SPDX-License-Identifier: MIT
//
// tests/unit/core/grant/grant_entry_test.cpp
// Checks keel's side of the v1 grant-entry protocol (ABI §3.4): who may pin
// an entry, GTF_reading/GTF_writing set while pinned and cleared with the last
// pin of their kind, read-only grants, sub-page grants, and the maptrack's
// handle allocation, growth and limit.
#include "core/grant/grant_entry.hpp"

#include <gtest/gtest.h>

#include <cstdlib>
#include <vector>

#include "core/grant/maptrack.hpp"

namespace keel {
namespace {

using xen::GntSt;

xen::GrantEntryV1 granted(uint16_t to, uint16_t extra = 0)
{
    return xen::GrantEntryV1{static_cast<uint16_t>(xen::kGtfPermitAccess | extra), to, 0x4321};
}

TEST(GrantEntry, PinSetsReadingAndWritingUntilTheLastUnpin)
{
    xen::GrantEntryV1 e = granted(2);
    ActiveGrant act;
    ASSERT_EQ(grant_pin(e, act, 2, false, true), GntSt::Okay);
    EXPECT_EQ(e.flags, xen::kGtfPermitAccess | xen::kGtfReading | xen::kGtfWriting);
    ASSERT_EQ(grant_pin(e, act, 2, true, true), GntSt::Okay);
    EXPECT_EQ(act.writers, 1u);
    EXPECT_EQ(act.readers, 1u);
    grant_unpin(e, act, false);  // last writer: GTF_writing goes, reading stays
    EXPECT_EQ(e.flags, xen::kGtfPermitAccess | xen::kGtfReading);
    grant_unpin(e, act, true);
    EXPECT_EQ(e.flags, xen::kGtfPermitAccess);
    EXPECT_FALSE(act.pinned());
    EXPECT_EQ(e.domid, 2u);
    EXPECT_EQ(e.frame, 0x4321u);
}

TEST(GrantEntry, OnlyThePermittedDomainPins)
{
    xen::GrantEntryV1 e = granted(2);
    ActiveGrant act;
    EXPECT_EQ(grant_pin(e, act, 3, true, true), GntSt::GeneralError);
    EXPECT_EQ(e.flags, xen::kGtfPermitAccess);
    ASSERT_EQ(grant_pin(e, act, 2, true, true), GntSt::Okay);
    EXPECT_EQ(grant_pin(e, act, 3, true, true), GntSt::GeneralError);  // pinned by 2
    xen::GrantEntryV1 invalid{0, 2, 1};
    ActiveGrant a2;
    EXPECT_EQ(grant_pin(invalid, a2, 2, true, true), GntSt::GeneralError);
    xen::GrantEntryV1 transfer{xen::kGtfAcceptTransfer, 2, 1};
    EXPECT_EQ(grant_pin(transfer, a2, 2, true, false), GntSt::GeneralError);
}

// Found by tests/fuzz/fuzz_grant: the first writable pin of an entry already
// pinned read-only re-reads the shared entry, so it must re-check it as the
// first pin does (Xen's _set_status_v1 checks type and grantee on every call):
// a granter that revoked or re-granted the entry meanwhile gets no new writer.
TEST(GrantEntry, FirstWritablePinRechecksAChangedEntry)
{
    xen::GrantEntryV1 e = granted(2);
    ActiveGrant act;
    ASSERT_EQ(grant_pin(e, act, 2, true, true), GntSt::Okay);
    e.domid = 3;  // re-granted to another domain while domain 2 holds a read pin
    EXPECT_EQ(grant_pin(e, act, 2, false, true), GntSt::GeneralError);
    e.domid = 2;
    e.flags = static_cast<uint16_t>(xen::kGtfInvalid | xen::kGtfReading);  // revoked
    EXPECT_EQ(grant_pin(e, act, 2, false, true), GntSt::GeneralError);
    EXPECT_EQ(act.writers, 0u);
    EXPECT_EQ(act.readers, 1u);
    // Further read pins do not touch the entry (as Xen: the pin is counted in keel).
    EXPECT_EQ(grant_pin(e, act, 2, true, true), GntSt::Okay);
}

TEST(GrantEntry, ReadOnlyGrantsRefuseWritePins)
{
    xen::GrantEntryV1 e = granted(2, xen::kGtfReadonly);
    ActiveGrant act;
    EXPECT_EQ(grant_pin(e, act, 2, false, true), GntSt::GeneralError);
    EXPECT_EQ(e.flags, xen::kGtfPermitAccess | xen::kGtfReadonly);
    ASSERT_EQ(grant_pin(e, act, 2, true, true), GntSt::Okay);
    EXPECT_EQ(grant_pin(e, act, 2, false, true), GntSt::GeneralError);  // still refused
    grant_unpin(e, act, true);
    EXPECT_EQ(e.flags, xen::kGtfPermitAccess | xen::kGtfReadonly);
}

TEST(GrantEntry, SubPageGrantsAreCopiedButNotMapped)
{
    xen::GrantEntryV1 e = granted(2, xen::kGtfSubPage);
    ActiveGrant act;
    EXPECT_EQ(grant_pin(e, act, 2, true, true), GntSt::GeneralError);
    EXPECT_EQ(grant_pin(e, act, 2, true, false), GntSt::Okay);
}

TEST(GrantEntry, CounterOverflowIsRefused)
{
    xen::GrantEntryV1 e = granted(2);
    ActiveGrant act;
    act.domid = 2;
    act.readers = 0xffff;
    EXPECT_EQ(grant_pin(e, act, 2, true, true), GntSt::GeneralError);
}

void* alloc_page(void* ctx)
{
    auto* pages = static_cast<std::vector<void*>*>(ctx);
    void* p = std::calloc(1, 4096);
    pages->push_back(p);
    return p;
}
void free_page(void* ctx, void* p)
{
    auto* pages = static_cast<std::vector<void*>*>(ctx);
    std::erase(*pages, p);
    std::free(p);
}

TEST(Maptrack, HandlesAreReusedAndLimited)
{
    std::vector<void*> pages;
    Maptrack m;
    const uint32_t h0 = maptrack_get(m, alloc_page, &pages).value();
    const uint32_t h1 = maptrack_get(m, alloc_page, &pages).value();
    EXPECT_EQ(h0, 0u);
    EXPECT_EQ(h1, 1u);
    EXPECT_EQ(pages.size(), 1u);
    maptrack_entry(m, h0)->flags = kMaptrackInUse;
    maptrack_put(m, h0);
    EXPECT_EQ(maptrack_entry(m, h0)->flags, 0u);
    EXPECT_EQ(maptrack_get(m, alloc_page, &pages).value(), h0);
    EXPECT_EQ(maptrack_entry(m, 5000), nullptr);
    for (uint32_t i = 2; i < kMaptrackPages * kMaptrackPerPage; ++i)
        ASSERT_TRUE(maptrack_get(m, alloc_page, &pages).ok());
    EXPECT_EQ(pages.size(), kMaptrackPages);
    EXPECT_EQ(maptrack_get(m, alloc_page, &pages).error(), Errno::NoSpc);
    EXPECT_EQ(m.in_use, 1024u);
    maptrack_release(m, free_page, &pages);
    EXPECT_TRUE(pages.empty());
    EXPECT_EQ(m.limit(), 0u);
}

TEST(Maptrack, NoPageNoHandle)
{
    Maptrack m;
    EXPECT_EQ(maptrack_get(m, [](void*) -> void* { return nullptr; }, nullptr).error(),
              Errno::NoSpc);
}

}  // namespace
}  // namespace keel
