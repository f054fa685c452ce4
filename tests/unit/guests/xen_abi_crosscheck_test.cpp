// SPDX-License-Identifier: MIT
//
// tests/unit/guests/xen_abi_crosscheck_test.cpp
// The test guests describe the Xen ABI in their own header
// (guests/common/xen_abi_local.hpp, written from Xen's public headers, not from
// keel's), so that a guest checks keel against the ABI rather than against
// keel's idea of it. This test makes the two descriptions agree: every argument
// struct both define has the same size, and the numbers both use are equal.
// A mismatch is a bug in one of them (check Xen's public headers).
#include "../../../guests/common/xen_abi_local.hpp"

#include <gtest/gtest.h>

#include "public/xen/event_channel.hpp"
#include "public/xen/grant_table.hpp"
#include "public/xen/hvm.hpp"
#include "public/xen/memory.hpp"
#include "public/xen/multicall.hpp"
#include "public/xen/platform.hpp"
#include "public/xen/sched.hpp"
#include "public/xen/vcpu.hpp"
#include "public/xen/version.hpp"
#include "public/xen/xen.hpp"

namespace {

static_assert(sizeof(keel::xen::AddToPhysmap) == sizeof(guest::xa::AddToPhysmap), "AddToPhysmap");
static_assert(sizeof(keel::xen::AddToPhysmapBatch) == sizeof(guest::xa::AddToPhysmapBatch), "AddToPhysmapBatch");
static_assert(sizeof(keel::xen::RemoveFromPhysmap) == sizeof(guest::xa::RemoveFromPhysmap), "RemoveFromPhysmap");
static_assert(sizeof(keel::xen::MemoryReservation) == sizeof(guest::xa::MemoryReservation), "MemoryReservation");
static_assert(sizeof(keel::xen::GrantEntryV1) == sizeof(guest::xa::GrantEntryV1), "GrantEntryV1");
static_assert(sizeof(keel::xen::GnttabMapGrantRef) == sizeof(guest::xa::GnttabMapGrantRef), "GnttabMapGrantRef");
static_assert(sizeof(keel::xen::GnttabUnmapGrantRef) == sizeof(guest::xa::GnttabUnmapGrantRef), "GnttabUnmapGrantRef");
static_assert(sizeof(keel::xen::GnttabSetupTable) == sizeof(guest::xa::GnttabSetupTable), "GnttabSetupTable");
static_assert(sizeof(keel::xen::GnttabDumpTable) == sizeof(guest::xa::GnttabDumpTable), "GnttabDumpTable");
static_assert(sizeof(keel::xen::GnttabTransfer) == sizeof(guest::xa::GnttabTransfer), "GnttabTransfer");
static_assert(sizeof(keel::xen::GnttabCopyPtr) == sizeof(guest::xa::GnttabCopyPtr), "GnttabCopyPtr");
static_assert(sizeof(keel::xen::GnttabCopy) == sizeof(guest::xa::GnttabCopy), "GnttabCopy");
static_assert(sizeof(keel::xen::GnttabQuerySize) == sizeof(guest::xa::GnttabQuerySize), "GnttabQuerySize");
static_assert(sizeof(keel::xen::GnttabUnmapAndReplace) == sizeof(guest::xa::GnttabUnmapAndReplace), "GnttabUnmapAndReplace");
static_assert(sizeof(keel::xen::GnttabSetVersion) == sizeof(guest::xa::GnttabSetVersion), "GnttabSetVersion");
static_assert(sizeof(keel::xen::GnttabGetStatusFrames) == sizeof(guest::xa::GnttabGetStatusFrames), "GnttabGetStatusFrames");
static_assert(sizeof(keel::xen::GnttabGetVersion) == sizeof(guest::xa::GnttabGetVersion), "GnttabGetVersion");
static_assert(sizeof(keel::xen::GnttabSwapGrantRef) == sizeof(guest::xa::GnttabSwapGrantRef), "GnttabSwapGrantRef");
static_assert(sizeof(keel::xen::GnttabCacheFlush) == sizeof(guest::xa::GnttabCacheFlush), "GnttabCacheFlush");
static_assert(sizeof(keel::xen::EvtchnAllocUnbound) == sizeof(guest::xa::EvtchnAllocUnbound), "EvtchnAllocUnbound");
static_assert(sizeof(keel::xen::EvtchnBindInterdomain) == sizeof(guest::xa::EvtchnBindInterdomain), "EvtchnBindInterdomain");
static_assert(sizeof(keel::xen::EvtchnBindVirq) == sizeof(guest::xa::EvtchnBindVirq), "EvtchnBindVirq");
static_assert(sizeof(keel::xen::EvtchnBindPirq) == sizeof(guest::xa::EvtchnBindPirq), "EvtchnBindPirq");
static_assert(sizeof(keel::xen::EvtchnBindIpi) == sizeof(guest::xa::EvtchnBindIpi), "EvtchnBindIpi");
static_assert(sizeof(keel::xen::EvtchnStatus) == sizeof(guest::xa::EvtchnStatus), "EvtchnStatus");
static_assert(sizeof(keel::xen::EvtchnBindVcpu) == sizeof(guest::xa::EvtchnBindVcpu), "EvtchnBindVcpu");
static_assert(sizeof(keel::xen::EvtchnReset) == sizeof(guest::xa::EvtchnReset), "EvtchnReset");
static_assert(sizeof(keel::xen::EvtchnInitControl) == sizeof(guest::xa::EvtchnInitControl), "EvtchnInitControl");
static_assert(sizeof(keel::xen::EvtchnExpandArray) == sizeof(guest::xa::EvtchnExpandArray), "EvtchnExpandArray");
static_assert(sizeof(keel::xen::EvtchnSetPriority) == sizeof(guest::xa::EvtchnSetPriority), "EvtchnSetPriority");
static_assert(sizeof(keel::xen::VcpuRegisterVcpuInfo) == sizeof(guest::xa::VcpuRegisterVcpuInfo), "VcpuRegisterVcpuInfo");
static_assert(sizeof(keel::xen::VcpuRunstateInfo) == sizeof(guest::xa::VcpuRunstateInfo), "VcpuRunstateInfo");
static_assert(sizeof(keel::xen::SchedShutdown) == sizeof(guest::xa::SchedShutdown), "SchedShutdown");
static_assert(sizeof(keel::xen::SchedPoll) == sizeof(guest::xa::SchedPoll), "SchedPoll");
static_assert(sizeof(keel::xen::SchedRemoteShutdown) == sizeof(guest::xa::SchedRemoteShutdown), "SchedRemoteShutdown");
static_assert(sizeof(keel::xen::SchedWatchdog) == sizeof(guest::xa::SchedWatchdog), "SchedWatchdog");
static_assert(sizeof(keel::xen::MulticallEntry) == sizeof(guest::xa::MulticallEntry), "MulticallEntry");

static_assert(guest::xa::kHcMemoryOp == static_cast<uint64_t>(keel::xen::Hypercall::MemoryOp));
static_assert(guest::xa::kHcGrantTableOp == static_cast<uint64_t>(keel::xen::Hypercall::GrantTableOp));
static_assert(guest::xa::kHcEventChannelOp ==
              static_cast<uint64_t>(keel::xen::Hypercall::EventChannelOp));
static_assert(guest::xa::kHcSchedOp == static_cast<uint64_t>(keel::xen::Hypercall::SchedOp));
static_assert(guest::xa::kHcVcpuOp == static_cast<uint64_t>(keel::xen::Hypercall::VcpuOp));
static_assert(guest::xa::kHcHvmOp == static_cast<uint64_t>(keel::xen::Hypercall::HvmOp));
static_assert(guest::xa::kDomidSelf == keel::xen::kDomidSelf);

TEST(XenAbiCrossCheck, GuestAndKeelDescriptionsAgree)
{
    SUCCEED();  // the static_asserts above are the test
}

}  // namespace
