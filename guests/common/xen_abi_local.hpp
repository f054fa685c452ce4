// SPDX-License-Identifier: MIT
//
// guests/common/xen_abi_local.hpp
// Owns the Xen guest-ABI numbers and structs the test guests use that are not
// (yet) in include/public/xen/: sub-operation numbers, the argument structs of
// version/memory/grant/event-channel/vcpu/sched/hvm/multicall/platform ops,
// FIFO event words and grant entries. Values and layouts: Xen's public headers
// (xen/include/public/*.h, AArch64 AAPCS64 layout), as summarised in
// ../shared/docs/xen-arm-guest-abi.md §2.3, §3.3-§3.11; every size asserted.
// needs: include/public/xen/{version,memory,grant_table,event_channel,vcpu,sched,hvm,
// multicall,platform}.hpp (parts A-C) — switch to them once they have settled; the
// guests are meant to be built against the ABI, not keel's headers, so a local copy
// is also a cross-check of those headers.
#pragma once
#include <cstddef>
#include <cstdint>

#include "public/xen/xen.hpp"

namespace guest::xa {

using keel::xen::domid_t;
using keel::xen::xen_pfn_t;

// Hypercall numbers used beyond keel::xen::Hypercall.
inline constexpr uint64_t kHcPlatformOp = 7, kHcMemoryOp = 12, kHcMulticall = 13, kHcXenVersion = 17,
                          kHcConsoleIo = 18, kHcGrantTableOp = 20, kHcVmAssist = 21, kHcVcpuOp = 24,
                          kHcXsmOp = 27, kHcSchedOp = 29, kHcEventChannelOp = 32, kHcPhysdevOp = 33,
                          kHcHvmOp = 34, kHcSysctl = 35, kHcDomctl = 36, kHcArgoOp = 39, kHcDmOp = 41,
                          kHcHypfsOp = 42;

inline constexpr domid_t kDomidSelf = keel::xen::kDomidSelf;
inline constexpr domid_t kDomidXen = keel::xen::kDomidXen;
inline constexpr domid_t kDomidInvalid = keel::xen::kDomidInvalid;

// Errno values the guests compare against (negated).
inline constexpr long kEPERM = 1, kENOENT = 2, kESRCH = 3, kEFAULT = 14, kEBUSY = 16, kEEXIST = 17,
                      kEINVAL = 22, kENOSPC = 28, kENOSYS = 38, kEOPNOTSUPP = 95;

// ---- xen_version (version.h)
inline constexpr uint64_t kXenverVersion = 0, kXenverExtraversion = 1, kXenverCompileInfo = 2,
                          kXenverCapabilities = 3, kXenverChangeset = 4, kXenverPlatformParameters = 5,
                          kXenverGetFeatures = 6, kXenverPagesize = 7, kXenverGuestHandle = 8,
                          kXenverCommandline = 9, kXenverBuildId = 10;
struct FeatureInfo {
    uint32_t submap_idx;
    uint32_t submap;
};
static_assert(sizeof(FeatureInfo) == 8);
struct CompileInfo {
    char compiler[64];
    char compile_by[16];
    char compile_domain[32];
    char compile_date[32];
};
static_assert(sizeof(CompileInfo) == 144);
struct PlatformParameters {
    uint64_t virt_start;
};
struct BuildId {
    uint32_t len;
    uint8_t buf[1];  // really len bytes
};

// ---- memory_op (memory.h)
inline constexpr uint64_t kMemIncreaseReservation = 0, kMemDecreaseReservation = 1,
                          kMemMaximumRamPage = 2, kMemCurrentReservation = 3, kMemMaximumReservation = 4,
                          kMemMachphysMfnList = 5, kMemPopulatePhysmap = 6, kMemAddToPhysmap = 7,
                          kMemMemoryMap = 9, kMemMachineMemoryMap = 10, kMemExchange = 11,
                          kMemMaximumGpfn = 14, kMemRemoveFromPhysmap = 15, kMemAddToPhysmapBatch = 23,
                          kMemClaimPages = 24, kMemGetVnumainfo = 26, kMemAcquireResource = 28;
inline constexpr uint32_t kMapspaceSharedInfo = 0, kMapspaceGrantTable = 1, kMapspaceGmfn = 2,
                          kMapspaceGmfnRange = 3, kMapspaceGmfnForeign = 4, kMapspaceDevMmio = 5;
inline constexpr uint64_t kMapidxGrantTableStatus = 0x80000000;
struct AddToPhysmap {
    domid_t domid;
    uint16_t size;
    uint32_t space;
    uint64_t idx;
    xen_pfn_t gpfn;
};
static_assert(sizeof(AddToPhysmap) == 24);
struct AddToPhysmapBatch {
    domid_t domid;
    uint16_t space;
    uint16_t size;
    domid_t foreign_domid;
    uint64_t idxs;   // handle: xen_ulong_t[]
    uint64_t gpfns;  // handle: xen_pfn_t[]
    uint64_t errs;   // handle: int[]
};
static_assert(sizeof(AddToPhysmapBatch) == 32);
struct RemoveFromPhysmap {
    domid_t domid;
    uint16_t pad[3];
    xen_pfn_t gpfn;
};
static_assert(sizeof(RemoveFromPhysmap) == 16);
struct MemoryReservation {
    uint64_t extent_start;  // handle: xen_pfn_t[]
    uint64_t nr_extents;
    uint32_t extent_order;
    uint32_t mem_flags;
    domid_t domid;
    uint16_t pad[3];
};
static_assert(sizeof(MemoryReservation) == 32);
static_assert(offsetof(MemoryReservation, domid) == 24);

// ---- grant_table_op (grant_table.h)
inline constexpr uint64_t kGnttabMapGrantRef = 0, kGnttabUnmapGrantRef = 1, kGnttabSetupTable = 2,
                          kGnttabDumpTable = 3, kGnttabTransfer = 4, kGnttabCopy = 5, kGnttabQuerySize = 6,
                          kGnttabUnmapAndReplace = 7, kGnttabSetVersion = 8, kGnttabGetStatusFrames = 9,
                          kGnttabGetVersion = 10, kGnttabSwapGrantRef = 11, kGnttabCacheFlush = 12;
inline constexpr uint32_t kGntmapDeviceMap = 1u << 0, kGntmapHostMap = 1u << 1, kGntmapReadonly = 1u << 2,
                          kGntmapApplicationMap = 1u << 3, kGntmapContainsPte = 1u << 4;
inline constexpr uint16_t kGtfPermitAccess = 1, kGtfReadonly = 1u << 2, kGtfReading = 1u << 3,
                          kGtfWriting = 1u << 4;
inline constexpr uint16_t kGntcopySourceGref = 1u << 0, kGntcopyDestGref = 1u << 1;
inline constexpr uint32_t kGnttabNrReservedEntries = 8;
inline constexpr int16_t kGntstOkay = 0, kGntstGeneralError = -1, kGntstBadDomain = -2,
                         kGntstBadGntref = -3, kGntstBadHandle = -4, kGntstBadCopyArg = -10;
struct GrantEntryV1 {
    uint16_t flags;
    domid_t domid;
    uint32_t frame;
};
static_assert(sizeof(GrantEntryV1) == 8);
struct GnttabMapGrantRef {
    uint64_t host_addr;
    uint32_t flags;
    uint32_t ref;
    domid_t dom;
    int16_t status;
    uint32_t handle;
    uint64_t dev_bus_addr;
};
static_assert(sizeof(GnttabMapGrantRef) == 32);
struct GnttabUnmapGrantRef {
    uint64_t host_addr;
    uint64_t dev_bus_addr;
    uint32_t handle;
    int16_t status;
    uint16_t pad;
};
static_assert(sizeof(GnttabUnmapGrantRef) == 24);
struct GnttabSetupTable {
    domid_t dom;
    uint16_t pad;
    uint32_t nr_frames;
    int16_t status;
    uint16_t pad2[3];
    uint64_t frame_list;  // handle: xen_pfn_t[]
};
static_assert(sizeof(GnttabSetupTable) == 24);
struct GnttabDumpTable {
    domid_t dom;
    int16_t status;
};
struct GnttabTransfer {
    xen_pfn_t mfn;
    domid_t domid;
    uint16_t pad;
    uint32_t ref;
    int16_t status;
    uint16_t pad2[3];
};
static_assert(sizeof(GnttabTransfer) == 24);
struct GnttabCopyPtr {
    uint64_t u;  // ref (u32) or gmfn
    domid_t domid;
    uint16_t offset;
    uint32_t pad;
};
static_assert(sizeof(GnttabCopyPtr) == 16);
struct GnttabCopy {
    GnttabCopyPtr source;
    GnttabCopyPtr dest;
    uint16_t len;
    uint16_t flags;
    int16_t status;
    uint16_t pad;
};
static_assert(sizeof(GnttabCopy) == 40);
struct GnttabQuerySize {
    domid_t dom;
    uint16_t pad;
    uint32_t nr_frames;
    uint32_t max_nr_frames;
    int16_t status;
    uint16_t pad2;
};
static_assert(sizeof(GnttabQuerySize) == 16);
struct GnttabUnmapAndReplace {
    uint64_t host_addr;
    uint64_t new_addr;
    uint32_t handle;
    int16_t status;
    uint16_t pad;
};
static_assert(sizeof(GnttabUnmapAndReplace) == 24);
struct GnttabSetVersion {
    uint32_t version;
};
struct GnttabGetStatusFrames {
    uint32_t nr_frames;
    domid_t dom;
    int16_t status;
    uint64_t frame_list;
};
static_assert(sizeof(GnttabGetStatusFrames) == 16);
struct GnttabGetVersion {
    domid_t dom;
    uint16_t pad;
    uint32_t version;
};
static_assert(sizeof(GnttabGetVersion) == 8);
struct GnttabSwapGrantRef {
    uint32_t ref_a;
    uint32_t ref_b;
    int16_t status;
    uint16_t pad;
};
static_assert(sizeof(GnttabSwapGrantRef) == 12);
struct GnttabCacheFlush {
    uint64_t a;  // dev_bus_addr or ref
    uint16_t offset;
    uint16_t length;
    uint32_t op;
};
static_assert(sizeof(GnttabCacheFlush) == 16);

// ---- event_channel_op (event_channel.h)
inline constexpr uint64_t kEvtchnBindInterdomain = 0, kEvtchnBindVirq = 1, kEvtchnBindPirq = 2,
                          kEvtchnClose = 3, kEvtchnSend = 4, kEvtchnStatus = 5, kEvtchnAllocUnbound = 6,
                          kEvtchnBindIpi = 7, kEvtchnBindVcpu = 8, kEvtchnUnmask = 9, kEvtchnReset = 10,
                          kEvtchnInitControl = 11, kEvtchnExpandArray = 12, kEvtchnSetPriority = 13;
inline constexpr uint32_t kEvtchnstatClosed = 0, kEvtchnstatUnbound = 1, kEvtchnstatInterdomain = 2,
                          kEvtchnstatPirq = 3, kEvtchnstatVirq = 4, kEvtchnstatIpi = 5;
struct EvtchnAllocUnbound {
    domid_t dom;
    domid_t remote_dom;
    uint32_t port;
};
static_assert(sizeof(EvtchnAllocUnbound) == 8);
struct EvtchnBindInterdomain {
    domid_t remote_dom;
    uint16_t pad;
    uint32_t remote_port;
    uint32_t local_port;
};
static_assert(sizeof(EvtchnBindInterdomain) == 12);
struct EvtchnBindVirq {
    uint32_t virq;
    uint32_t vcpu;
    uint32_t port;
};
static_assert(sizeof(EvtchnBindVirq) == 12);
struct EvtchnBindPirq {
    uint32_t pirq;
    uint32_t flags;
    uint32_t port;
};
struct EvtchnBindIpi {
    uint32_t vcpu;
    uint32_t port;
};
struct EvtchnPort {  // close, send, unmask
    uint32_t port;
};
struct EvtchnStatus {
    domid_t dom;
    uint16_t pad;
    uint32_t port;
    uint32_t status;
    uint32_t vcpu;
    union {
        domid_t unbound_dom;
        struct {
            domid_t dom;
            uint16_t pad;
            uint32_t port;
        } interdomain;
        uint32_t pirq;
        uint32_t virq;
    } u;
};
static_assert(sizeof(EvtchnStatus) == 24);
static_assert(offsetof(EvtchnStatus, u) == 16);
struct EvtchnBindVcpu {
    uint32_t port;
    uint32_t vcpu;
};
struct EvtchnReset {
    domid_t dom;
};
struct EvtchnInitControl {
    uint64_t control_gfn;
    uint32_t offset;
    uint32_t vcpu;
    uint8_t link_bits;
    uint8_t pad[7];
};
static_assert(sizeof(EvtchnInitControl) == 24);
struct EvtchnExpandArray {
    uint64_t array_gfn;
};
struct EvtchnSetPriority {
    uint32_t port;
    uint32_t priority;
};
// FIFO ABI.
inline constexpr uint32_t kFifoPending = 1u << 31, kFifoMasked = 1u << 30, kFifoLinked = 1u << 29,
                          kFifoBusy = 1u << 28, kFifoLinkMask = (1u << 17) - 1;
inline constexpr uint32_t kFifoPriorityDefault = 7, kFifoMaxQueues = 16;
struct FifoControlBlock {
    uint32_t ready;
    uint32_t rsvd;
    uint32_t head[kFifoMaxQueues];
};
static_assert(sizeof(FifoControlBlock) == 72);

// ---- vcpu_op (vcpu.h)
inline constexpr uint64_t kVcpuopInitialise = 0, kVcpuopUp = 1, kVcpuopDown = 2, kVcpuopIsUp = 3,
                          kVcpuopGetRunstateInfo = 4, kVcpuopRegisterRunstateMemoryArea = 5,
                          kVcpuopRegisterVcpuInfo = 10;
struct VcpuRegisterVcpuInfo {
    uint64_t mfn;  // a GFN on ARM
    uint32_t offset;
    uint32_t rsvd;
};
static_assert(sizeof(VcpuRegisterVcpuInfo) == 16);
struct VcpuRunstateInfo {
    int32_t state;
    uint32_t pad;
    uint64_t state_entry_time;
    uint64_t time[4];
};
static_assert(sizeof(VcpuRunstateInfo) == 48);

// ---- sched_op (sched.h)
inline constexpr uint64_t kSchedYield = 0, kSchedBlock = 1, kSchedShutdown = 2, kSchedPoll = 3,
                          kSchedRemoteShutdown = 4, kSchedShutdownCode = 5, kSchedWatchdog = 6,
                          kSchedPinOverride = 7;
inline constexpr uint32_t kShutdownPoweroff = 0, kShutdownReboot = 1, kShutdownCrash = 3;
struct SchedShutdown {
    uint32_t reason;
};
struct SchedPoll {
    uint64_t ports;  // handle: evtchn_port_t[]
    uint32_t nr_ports;
    uint32_t pad;
    uint64_t timeout;
};
static_assert(sizeof(SchedPoll) == 24);
struct SchedRemoteShutdown {
    domid_t domain_id;
    uint16_t pad;
    uint32_t reason;
};
struct SchedWatchdog {
    uint32_t id;
    uint32_t timeout;
};
struct SchedPinOverride {
    int32_t pcpu;
};

// ---- hvm_op (hvm/hvm_op.h, hvm/params.h)
inline constexpr uint64_t kHvmopSetParam = 0, kHvmopGetParam = 1, kHvmopGuestRequestVmEvent = 24;
inline constexpr uint32_t kHvmParamCallbackIrq = 0, kHvmParamStorePfn = 1, kHvmParamStoreEvtchn = 2,
                          kHvmParamConsolePfn = 17, kHvmParamConsoleEvtchn = 18,
                          kHvmParamMonitorRingPfn = 28, kHvmNrParams = 39;
struct HvmParam {
    domid_t domid;
    uint16_t pad;
    uint32_t index;
    uint64_t value;
};
static_assert(sizeof(HvmParam) == 16);

// ---- console_io, vm_assist (xen.h)
inline constexpr uint64_t kConsoleioWrite = 0, kConsoleioRead = 1;
inline constexpr uint64_t kVmasstCmdEnable = 0, kVmasstCmdDisable = 1, kVmasstRunstateUpdateFlag = 5;

// ---- multicall (xen.h)
struct MulticallEntry {
    uint64_t op;
    uint64_t result;
    uint64_t args[6];
};
static_assert(sizeof(MulticallEntry) == 64);

// ---- platform_op, domctl, sysctl (interface versions of Xen 4.17)
inline constexpr uint32_t kXenpfInterfaceVersion = 0x03000001;
inline constexpr uint32_t kXenpfSettime64 = 62;
inline constexpr uint32_t kDomctlInterfaceVersion = 0x00000015;
inline constexpr uint32_t kSysctlInterfaceVersion = 0x00000015;
inline constexpr uint32_t kDomctlGetdomaininfo = 5;
inline constexpr uint32_t kSysctlPhysinfo = 3;
struct PlatformOp {
    uint32_t cmd;
    uint32_t interface_version;
    uint8_t u[128];
};
static_assert(sizeof(PlatformOp) == 136);
// domctl: cmd, interface_version, domain, union at 16; sysctl: cmd, interface_version,
// union at 8. Both are copied in whole by Xen: keep the buffer larger than either.
struct CtlOp {
    uint32_t cmd;
    uint32_t interface_version;
    uint16_t domain;
    uint16_t pad[3];
    uint8_t u[1008];
};
static_assert(sizeof(CtlOp) == 1024);

// ---- physdev_op (physdev.h)
inline constexpr uint64_t kPhysdevopManagePciAdd = 15, kPhysdevopPciDeviceAdd = 25,
                          kPhysdevopPciDeviceRemove = 26;

}  // namespace guest::xa
