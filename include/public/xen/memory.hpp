// SPDX-License-Identifier: MIT
//
// include/public/xen/memory.hpp
// Owns the XENMEM_* part of the Xen guest ABI as keel defines it (AArch64):
// memory_op sub-commands, map spaces and the argument structs of the
// reservation and physmap operations, every size and offset asserted (docs:
// ../shared/docs/xen-arm-guest-abi.md §2.3, §3.7; values from Xen's public
// memory.h). Freestanding: no keel headers.
#pragma once
#include <cstddef>
#include <cstdint>

#include "public/xen/xen.hpp"

namespace keel::xen {

// memory_op sub-commands (XENMEM_*). The low 6 bits of the command are the
// operation, the rest the extent to start from (continuations).
enum class MemoryOp : uint32_t {
    IncreaseReservation = 0,
    DecreaseReservation = 1,
    MaximumRamPage = 2,
    CurrentReservation = 3,
    MaximumReservation = 4,
    MachphysMfnList = 5,
    PopulatePhysmap = 6,
    AddToPhysmap = 7,
    MachphysMapping = 12,
    MemoryMap = 9,
    MachineMemoryMap = 10,
    Exchange = 11,
    SetMemoryMap = 13,
    MaximumGpfn = 14,
    RemoveFromPhysmap = 15,
    SetPodTarget = 16,
    GetPodTarget = 17,
    GetSharingFreedPages = 18,
    GetSharingSharedPages = 19,
    PagingOp = 20,
    AccessOp = 21,
    SharingOp = 22,
    AddToPhysmapBatch = 23,
    ClaimPages = 24,
    ReservedDeviceMemoryMap = 27,
    AcquireResource = 28,
    GetVnumaInfo = 26,
};
inline constexpr unsigned kMemopExtentShift = 6;  // MEMOP_EXTENT_SHIFT
inline constexpr uint64_t kMemopCmdMask = (uint64_t{1} << kMemopExtentShift) - 1;

// XENMAPSPACE_*: what add_to_physmap maps.
enum class MapSpace : uint32_t {
    SharedInfo = 0,
    GrantTable = 1,
    Gmfn = 2,
    GmfnRange = 3,
    GmfnForeign = 4,
    DevMmio = 5,
};
inline constexpr uint64_t kMapIdxGrantTableStatus = 0x80000000;  // XENMAPIDX_grant_table_status

// xen_memory_reservation (32 bytes): increase/decrease_reservation, populate_physmap.
struct MemoryReservation {
    uint64_t extent_start;  // guest handle: xen_pfn_t array (GFNs)
    xen_ulong_t nr_extents;
    uint32_t extent_order;
    uint32_t mem_flags;     // XENMEMF_*; 0 from Linux
    domid_t domid;
    uint8_t pad[6];
};
static_assert(sizeof(MemoryReservation) == 32);
static_assert(offsetof(MemoryReservation, nr_extents) == 8);
static_assert(offsetof(MemoryReservation, extent_order) == 16);
static_assert(offsetof(MemoryReservation, mem_flags) == 20);
static_assert(offsetof(MemoryReservation, domid) == 24);

// XENMEMF_* bits keel looks at.
inline constexpr uint32_t kMemfPopulateOnDemand = 1u << 16;

// xen_memory_domain: the argument of current/maximum_reservation and maximum_gpfn.
struct MemoryDomain {
    domid_t domid;
};
static_assert(sizeof(MemoryDomain) == 2);

// xen_add_to_physmap (24 bytes).
struct AddToPhysmap {
    domid_t domid;
    uint16_t size;   // gmfn_range only
    uint32_t space;  // MapSpace
    xen_ulong_t idx;
    xen_pfn_t gpfn;
};
static_assert(sizeof(AddToPhysmap) == 24);
static_assert(offsetof(AddToPhysmap, size) == 2);
static_assert(offsetof(AddToPhysmap, space) == 4);
static_assert(offsetof(AddToPhysmap, idx) == 8);
static_assert(offsetof(AddToPhysmap, gpfn) == 16);

// xen_add_to_physmap_batch (32 bytes; Linux: xen_add_to_physmap_range).
struct AddToPhysmapBatch {
    domid_t domid;
    uint16_t space;
    uint16_t size;
    domid_t foreign_domid;  // union u { foreign_domid, res0 }
    uint64_t idxs;          // guest handle: xen_ulong_t array
    uint64_t gpfns;         // guest handle: xen_pfn_t array
    uint64_t errs;          // guest handle: int array (out)
};
static_assert(sizeof(AddToPhysmapBatch) == 32);
static_assert(offsetof(AddToPhysmapBatch, size) == 4);
static_assert(offsetof(AddToPhysmapBatch, foreign_domid) == 6);
static_assert(offsetof(AddToPhysmapBatch, idxs) == 8);
static_assert(offsetof(AddToPhysmapBatch, gpfns) == 16);
static_assert(offsetof(AddToPhysmapBatch, errs) == 24);

// xen_remove_from_physmap (16 bytes).
struct RemoveFromPhysmap {
    domid_t domid;
    uint8_t pad[6];
    xen_pfn_t gpfn;
};
static_assert(sizeof(RemoveFromPhysmap) == 16);
static_assert(offsetof(RemoveFromPhysmap, gpfn) == 8);

// xen_mem_acquire_resource (32 bytes).
struct MemAcquireResource {
    domid_t domid;
    uint16_t type;       // XENMEM_resource_*
    uint32_t id;         // grant table: 0 shared frames, 1 status frames
    uint32_t nr_frames;  // IN/OUT (the size, for a query: frame_list NULL, nr_frames 0)
    uint32_t pad;        // must be 0
    uint64_t frame;      // the first frame of the resource
    uint64_t frame_list; // guest handle: xen_pfn_t array (GFNs of the caller)
};
static_assert(sizeof(MemAcquireResource) == 32);
static_assert(offsetof(MemAcquireResource, nr_frames) == 8);
static_assert(offsetof(MemAcquireResource, frame) == 16);
static_assert(offsetof(MemAcquireResource, frame_list) == 24);

inline constexpr uint16_t kResourceIoreqServer = 0;  // XENMEM_resource_*
inline constexpr uint16_t kResourceGrantTable = 1;
inline constexpr uint16_t kResourceVmtraceBuf = 2;

}  // namespace keel::xen
