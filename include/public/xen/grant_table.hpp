// SPDX-License-Identifier: MIT
//
// include/public/xen/grant_table.hpp
// Owns the grant-table part of the Xen guest ABI as keel defines it (AArch64,
// version 1 only, as Xen on ARM): GNTTABOP_* numbers, the v1 grant entry and
// its GTF_* flags, GNTMAP_*/GNTCOPY_* flags, GNTST_* status codes and the op
// structs, every size and offset asserted (docs: ../shared/docs/
// xen-arm-guest-abi.md §2.3, §3.4, §3.5; values from Xen's public
// grant_table.h). Freestanding: no keel headers.
#pragma once
#include <cstddef>
#include <cstdint>

#include "public/xen/xen.hpp"

namespace keel::xen {

enum class GnttabOp : uint32_t {
    MapGrantRef = 0,
    UnmapGrantRef = 1,
    SetupTable = 2,
    DumpTable = 3,
    Transfer = 4,
    Copy = 5,
    QuerySize = 6,
    UnmapAndReplace = 7,
    SetVersion = 8,
    GetStatusFrames = 9,
    GetVersion = 10,
    SwapGrantRef = 11,
    CacheFlush = 12,
};

inline constexpr uint32_t kGnttabNrReservedEntries = 8;
inline constexpr uint32_t kGnttabReservedConsole = 0;
inline constexpr uint32_t kGnttabReservedXenstore = 1;

// grant_entry_v1 (8 bytes): written by the granting guest.
struct GrantEntryV1 {
    uint16_t flags;  // GTF_*
    domid_t domid;   // the domain being granted access
    uint32_t frame;  // GFN of the granted page
};
static_assert(sizeof(GrantEntryV1) == 8);
static_assert(offsetof(GrantEntryV1, domid) == 2);
static_assert(offsetof(GrantEntryV1, frame) == 4);
inline constexpr uint32_t kGrantEntriesPerFrame = 4096 / sizeof(GrantEntryV1);  // 512

// GTF_* (grant entry flags).
inline constexpr uint16_t kGtfInvalid = 0;
inline constexpr uint16_t kGtfPermitAccess = 1;
inline constexpr uint16_t kGtfAcceptTransfer = 2;
inline constexpr uint16_t kGtfTransitive = 3;
inline constexpr uint16_t kGtfTypeMask = 3;
inline constexpr uint16_t kGtfReadonly = 1u << 2;
inline constexpr uint16_t kGtfReading = 1u << 3;
inline constexpr uint16_t kGtfWriting = 1u << 4;
inline constexpr uint16_t kGtfPwt = 1u << 5;
inline constexpr uint16_t kGtfPcd = 1u << 6;
inline constexpr uint16_t kGtfPat = 1u << 7;
inline constexpr uint16_t kGtfSubPage = 1u << 8;

// GNTMAP_* (map flags).
inline constexpr uint32_t kGntmapDeviceMap = 1u << 0;
inline constexpr uint32_t kGntmapHostMap = 1u << 1;
inline constexpr uint32_t kGntmapReadonly = 1u << 2;
inline constexpr uint32_t kGntmapApplicationMap = 1u << 3;
inline constexpr uint32_t kGntmapContainsPte = 1u << 4;

// GNTCOPY_* flags.
inline constexpr uint16_t kGntcopySourceGref = 1u << 0;
inline constexpr uint16_t kGntcopyDestGref = 1u << 1;

// GNTTAB_CACHE_* (cache_flush op).
inline constexpr uint32_t kGnttabCacheClean = 1u << 0;
inline constexpr uint32_t kGnttabCacheInval = 1u << 1;
inline constexpr uint32_t kGnttabCacheSourceGref = 1u << 31;

// GNTST_* status codes (int16 in the op structs).
enum class GntSt : int16_t {
    Okay = 0,
    GeneralError = -1,
    BadDomain = -2,
    BadGntref = -3,
    BadHandle = -4,
    BadVirtAddr = -5,
    BadDevAddr = -6,
    NoDeviceSpace = -7,
    PermissionDenied = -8,
    BadPage = -9,
    BadCopyArg = -10,
    AddressTooBig = -11,
    Eagain = -12,
    NoSpace = -13,
};

// gnttab_map_grant_ref (32 bytes).
struct GnttabMapGrantRef {
    uint64_t host_addr;  // IN: guest-PHYSICAL address on ARM
    uint32_t flags;      // IN: GNTMAP_*
    grant_ref_t ref;     // IN
    domid_t dom;         // IN: granting domain
    int16_t status;      // OUT: GNTST_*
    grant_handle_t handle;  // OUT
    uint64_t dev_bus_addr;  // OUT: machine address of the frame
};
static_assert(sizeof(GnttabMapGrantRef) == 32);
static_assert(offsetof(GnttabMapGrantRef, flags) == 8);
static_assert(offsetof(GnttabMapGrantRef, ref) == 12);
static_assert(offsetof(GnttabMapGrantRef, dom) == 16);
static_assert(offsetof(GnttabMapGrantRef, status) == 18);
static_assert(offsetof(GnttabMapGrantRef, handle) == 20);
static_assert(offsetof(GnttabMapGrantRef, dev_bus_addr) == 24);

// gnttab_unmap_grant_ref (24 bytes).
struct GnttabUnmapGrantRef {
    uint64_t host_addr;
    uint64_t dev_bus_addr;
    grant_handle_t handle;
    int16_t status;
    uint8_t pad[2];
};
static_assert(sizeof(GnttabUnmapGrantRef) == 24);
static_assert(offsetof(GnttabUnmapGrantRef, dev_bus_addr) == 8);
static_assert(offsetof(GnttabUnmapGrantRef, handle) == 16);
static_assert(offsetof(GnttabUnmapGrantRef, status) == 20);

// gnttab_unmap_and_replace (24 bytes).
struct GnttabUnmapAndReplace {
    uint64_t host_addr;
    uint64_t new_addr;
    grant_handle_t handle;
    int16_t status;
    uint8_t pad[2];
};
static_assert(sizeof(GnttabUnmapAndReplace) == 24);
static_assert(offsetof(GnttabUnmapAndReplace, new_addr) == 8);
static_assert(offsetof(GnttabUnmapAndReplace, handle) == 16);
static_assert(offsetof(GnttabUnmapAndReplace, status) == 20);

// gnttab_setup_table (24 bytes).
struct GnttabSetupTable {
    domid_t dom;
    uint8_t pad0[2];
    uint32_t nr_frames;
    int16_t status;
    uint8_t pad1[6];
    uint64_t frame_list;  // guest handle: xen_pfn_t array (out)
};
static_assert(sizeof(GnttabSetupTable) == 24);
static_assert(offsetof(GnttabSetupTable, nr_frames) == 4);
static_assert(offsetof(GnttabSetupTable, status) == 8);
static_assert(offsetof(GnttabSetupTable, frame_list) == 16);

// gnttab_dump_table (4 bytes).
struct GnttabDumpTable {
    domid_t dom;
    int16_t status;
};
static_assert(sizeof(GnttabDumpTable) == 4);

// gnttab_swap_grant_ref (12 bytes).
struct GnttabSwapGrantRef {
    grant_ref_t ref_a;
    grant_ref_t ref_b;
    int16_t status;  // OUT: GNTST_*
};
static_assert(sizeof(GnttabSwapGrantRef) == 12);
static_assert(offsetof(GnttabSwapGrantRef, status) == 8);

// gnttab_transfer (24 bytes).
struct GnttabTransfer {
    xen_pfn_t mfn;
    domid_t domid;
    uint8_t pad[2];
    grant_ref_t ref;
    int16_t status;
    uint8_t pad1[6];
};
static_assert(sizeof(GnttabTransfer) == 24);
static_assert(offsetof(GnttabTransfer, domid) == 8);
static_assert(offsetof(GnttabTransfer, ref) == 12);
static_assert(offsetof(GnttabTransfer, status) == 16);

// gnttab_copy_ptr (16 bytes) and gnttab_copy (40 bytes).
struct GnttabCopyPtr {
    union {
        grant_ref_t ref;
        xen_pfn_t gmfn;
    } u;
    domid_t domid;
    uint16_t offset;
    uint8_t pad[4];
};
static_assert(sizeof(GnttabCopyPtr) == 16);
static_assert(offsetof(GnttabCopyPtr, domid) == 8);
static_assert(offsetof(GnttabCopyPtr, offset) == 10);

struct GnttabCopy {
    GnttabCopyPtr source;
    GnttabCopyPtr dest;
    uint16_t len;
    uint16_t flags;  // GNTCOPY_*
    int16_t status;
    uint8_t pad[2];
};
static_assert(sizeof(GnttabCopy) == 40);
static_assert(offsetof(GnttabCopy, dest) == 16);
static_assert(offsetof(GnttabCopy, len) == 32);
static_assert(offsetof(GnttabCopy, flags) == 34);
static_assert(offsetof(GnttabCopy, status) == 36);

// gnttab_query_size (16 bytes).
struct GnttabQuerySize {
    domid_t dom;
    uint8_t pad[2];
    uint32_t nr_frames;
    uint32_t max_nr_frames;
    int16_t status;
    uint8_t pad1[2];
};
static_assert(sizeof(GnttabQuerySize) == 16);
static_assert(offsetof(GnttabQuerySize, nr_frames) == 4);
static_assert(offsetof(GnttabQuerySize, max_nr_frames) == 8);
static_assert(offsetof(GnttabQuerySize, status) == 12);

// gnttab_set_version (4 bytes) and gnttab_get_version (8 bytes).
struct GnttabSetVersion {
    uint32_t version;
};
static_assert(sizeof(GnttabSetVersion) == 4);

struct GnttabGetVersion {
    domid_t dom;
    uint16_t pad;
    uint32_t version;
};
static_assert(sizeof(GnttabGetVersion) == 8);
static_assert(offsetof(GnttabGetVersion, version) == 4);

// gnttab_get_status_frames (16 bytes).
struct GnttabGetStatusFrames {
    uint32_t nr_frames;
    domid_t dom;
    int16_t status;
    uint64_t frame_list;  // guest handle: uint64_t array (out)
};
static_assert(sizeof(GnttabGetStatusFrames) == 16);
static_assert(offsetof(GnttabGetStatusFrames, dom) == 4);
static_assert(offsetof(GnttabGetStatusFrames, status) == 6);
static_assert(offsetof(GnttabGetStatusFrames, frame_list) == 8);

// gnttab_cache_flush (16 bytes).
struct GnttabCacheFlush {
    union {
        uint64_t dev_bus_addr;
        grant_ref_t ref;
    } a;
    uint16_t offset;
    uint16_t length;
    uint32_t op;  // GNTTAB_CACHE_*
};
static_assert(sizeof(GnttabCacheFlush) == 16);
static_assert(offsetof(GnttabCacheFlush, offset) == 8);
static_assert(offsetof(GnttabCacheFlush, length) == 10);
static_assert(offsetof(GnttabCacheFlush, op) == 12);

}  // namespace keel::xen
