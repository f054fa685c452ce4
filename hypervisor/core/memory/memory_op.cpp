// SPDX-License-Identifier: MIT
//
// core/memory/memory_op.cpp
// Owns XENMEM_* dispatch and the shared_info page (memory_op.hpp): the
// reservation ops extent by extent with continuations, add_to_physmap(_batch),
// remove_from_physmap and the reservation queries. Target only.
#include "core/memory/memory_op.hpp"

#include "core/domain/domain.hpp"
#include "core/domain/domain_ref.hpp"
#include "core/domain/domain_table.hpp"
#include "core/domain/object_heap.hpp"
#include "core/domain/vcpu.hpp"
#include "core/grant/grant_table.hpp"
#include "core/memory/foreign_map.hpp"
#include "core/hypercall/hypercall.hpp"
#include "core/memory/guest_virt.hpp"
#include "core/memory/memory_op_args.hpp"
#include "core/memory/p2m.hpp"
#include "public/xen/memory.hpp"
#include "public/xen/xen.hpp"

namespace keel {

namespace {

constexpr long kEdom = -33;    // Xen's EDOM: a start extent that cannot be one
constexpr long kEilseq = -84;  // Xen's EILSEQ

long err(Errno e) { return hc_error(e); }

// -ESRCH for no such domain, -EPERM for another one (a domU's XSM answer).
long other_domain(uint16_t domid)
{
    return find_domain(domid) == nullptr ? err(Errno::Srch) : err(Errno::Perm);
}

long map_shared_info(Domain& d, uint64_t idx, uint64_t gfn)
{
    if (idx != 0) return err(Errno::Inval);
    LockGuard guard{d.grant_lock};  // serialises the shared_info_gfn record
    // Xen 4.17: mapped already (anywhere) → the guest must remove it first.
    if (d.p2m.shared_info_gfn != kP2mNoGfn) return err(Errno::Busy);
    auto r = p2m_map_frame_over_ram(d, gfn, d.shared_info_mfn, P2mType::SharedInfo);
    if (!r.ok()) return err(r.error());
    d.p2m.shared_info_gfn = gfn;
    return 0;
}

// One XENMAPSPACE_* mapping for d (add_to_physmap and each batch entry).
long add_to_physmap_one(Domain& d, uint32_t space, uint64_t idx, uint64_t gfn, uint16_t foreign)
{
    switch (static_cast<xen::MapSpace>(space)) {
    case xen::MapSpace::SharedInfo: return map_shared_info(d, idx, gfn);
    case xen::MapSpace::GrantTable: return grant_map_frame_at(d, idx, gfn);
    case xen::MapSpace::GmfnForeign: return foreign_map_one(d, foreign, idx, gfn);
    case xen::MapSpace::DevMmio: return err(Errno::Acces);  // hardware domain only
    case xen::MapSpace::Gmfn:
    case xen::MapSpace::GmfnRange: break;  // x86 only
    }
    return err(Errno::NoSys);
}

long add_to_physmap(Vcpu& v, Domain& d, GuestVirtAddr arg, uint64_t start)
{
    if (start > 0xffff) return kEdom;
    xen::AddToPhysmap x;
    if (!copy_from_guest(v, &x, arg, sizeof x).ok()) return err(Errno::Fault);
    if (x.space == static_cast<uint32_t>(xen::MapSpace::GmfnForeign)) return err(Errno::NoSys);
    if (!domid_is_self(x.domid, d.id)) return other_domain(x.domid);
    if (x.gpfn == ~uint64_t{0}) return err(Errno::Inval);
    return add_to_physmap_one(d, x.space, x.idx, x.gpfn, xen::kDomidInvalid);
}

long add_to_physmap_batch(Vcpu& v, HypercallArgs& a, Domain& d, GuestVirtAddr arg, uint64_t start)
{
    if (start > 0xffff) return kEdom;
    xen::AddToPhysmapBatch b;
    if (!copy_from_guest(v, &b, arg, sizeof b).ok()) return err(Errno::Fault);
    if (b.space == static_cast<uint16_t>(xen::MapSpace::GmfnRange)) return err(Errno::OpNotSupp);
    if (!domid_is_self(b.domid, d.id)) return other_domain(b.domid);
    if (b.size < start || (b.size == start && start != 0)) return kEilseq;
    if (b.space == static_cast<uint16_t>(xen::MapSpace::DevMmio) && b.foreign_domid != 0)
        return err(Errno::OpNotSupp);
    for (uint64_t i = start; i < b.size; ++i) {
        if (i != start && hypercall_preempt_check()) {
            a.arg[0] = encode_memop(static_cast<uint32_t>(xen::MemoryOp::AddToPhysmapBatch), i);
            return hypercall_continue(v, a);
        }
        uint64_t idx;
        uint64_t gpfn;
        if (!copy_from_guest(v, &idx, GuestVirtAddr{b.idxs} + i * 8, 8).ok() ||
            !copy_from_guest(v, &gpfn, GuestVirtAddr{b.gpfns} + i * 8, 8).ok())
            return err(Errno::Fault);
        if (gpfn == ~uint64_t{0}) return err(Errno::Inval);
        const int32_t rc = static_cast<int32_t>(add_to_physmap_one(d, b.space, idx, gpfn, b.foreign_domid));
        if (!copy_to_guest(v, GuestVirtAddr{b.errs} + i * 4, &rc, 4).ok()) return err(Errno::Fault);
    }
    return 0;
}

long remove_from_physmap(Vcpu& v, Domain& d, GuestVirtAddr arg, uint64_t start)
{
    if (start != 0) return err(Errno::Inval);
    xen::RemoveFromPhysmap r;
    if (!copy_from_guest(v, &r, arg, sizeof r).ok()) return err(Errno::Fault);
    if (!domid_is_self(r.domid, d.id)) return other_domain(r.domid);
    auto t = p2m_type_of(d, r.gpfn);
    if (!t.ok()) return err(Errno::NoEnt);
    switch (t.value()) {
    case P2mType::RamRw:
        // Xen unmaps without freeing; keel gives the page back (no leak).
        return p2m_release_ram(d, r.gpfn).ok() ? 0 : err(Errno::NoEnt);
    case P2mType::SharedInfo: {
        LockGuard guard{d.grant_lock};
        if (!p2m_unmap_frame(d, r.gpfn, P2mType::SharedInfo).ok()) return err(Errno::NoEnt);
        d.p2m.shared_info_gfn = kP2mNoGfn;
        return 0;
    }
    case P2mType::GrantTable: return grant_unmap_frame_at(d, r.gpfn) ? 0 : err(Errno::NoEnt);
    case P2mType::ForeignRw: return foreign_unmap(d, r.gpfn);
    default: return err(Errno::NoEnt);  // grant mappings, MMIO, static memory
    }
}

// decrease_reservation / populate_physmap / increase_reservation.
long reservation(Vcpu& v, HypercallArgs& a, Domain& d, uint32_t op, GuestVirtAddr arg, uint64_t start)
{
    xen::MemoryReservation r;
    if (!copy_from_guest(v, &r, arg, sizeof r).ok()) return static_cast<long>(start);
    if (!reservation_accepted(r, start, d.id)) return static_cast<long>(start);
    // An auto-translated domain gets nothing from increase_reservation that it
    // could use (Xen allocates unmapped pages): keel hands out none.
    if (op == static_cast<uint32_t>(xen::MemoryOp::IncreaseReservation)) return static_cast<long>(start);
    const uint64_t frames = uint64_t{1} << r.extent_order;
    uint64_t i = start;
    for (; i < r.nr_extents; ++i) {
        if (i != start && hypercall_preempt_check()) {
            a.arg[0] = encode_memop(op, i);
            return hypercall_continue(v, a);
        }
        uint64_t gfn;
        if (!copy_from_guest(v, &gfn, GuestVirtAddr{r.extent_start} + i * 8, 8).ok()) break;
        if (op == static_cast<uint32_t>(xen::MemoryOp::PopulatePhysmap)) {
            if (!p2m_populate_extent(d, gfn, r.extent_order).ok()) break;
        } else {
            bool ok = true;
            for (uint64_t j = 0; j < frames && ok; ++j) ok = p2m_release_ram(d, gfn + j).ok();
            if (!ok) break;
        }
    }
    return static_cast<long>(i);
}

long domain_query(Vcpu& v, Domain& d, uint32_t op, GuestVirtAddr arg, uint64_t start)
{
    if (start != 0) return err(Errno::Inval);
    xen::MemoryDomain m;
    if (!copy_from_guest(v, &m, arg, sizeof m).ok()) return err(Errno::Fault);
    if (!domid_is_self(m.domid, d.id)) return other_domain(m.domid);
    LockGuard guard{d.p2m.lock};
    switch (static_cast<xen::MemoryOp>(op)) {
    case xen::MemoryOp::CurrentReservation: return static_cast<long>(d.p2m.cur_frames);
    case xen::MemoryOp::MaximumReservation: return static_cast<long>(d.p2m.max_frames);
    default: return static_cast<long>(d.p2m.max_mapped_gfn);  // maximum_gpfn
    }
}

}  // namespace

xen::SharedInfo* domain_shared_info(Domain& d) { return d.shared_info; }

Result<void> memory_domain_init(Domain& d)
{
    void* p = alloc_object_frames(kPageSize);  // zeroed
    if (p == nullptr) return Errno::NoMem;
    d.shared_info = static_cast<xen::SharedInfo*>(p);
    d.shared_info_mfn = Mfn::of(PhysAddr{reinterpret_cast<uint64_t>(p)});  // identity-mapped heap
    d.p2m.shared_info_gfn = kP2mNoGfn;
    return {};
}

void memory_domain_destroy(Domain& d)
{
    free_object_frames(d.shared_info, kPageSize);
    d.shared_info = nullptr;
    d.shared_info_mfn = Mfn{};
}

namespace {

// Whether the first 8 bytes of a sub-op's argument struct can be read (Xen
// copies the struct in before it decides anything).
bool argument_readable(Vcpu& v, GuestVirtAddr arg)
{
    uint64_t first = 0;
    return copy_from_guest(v, &first, arg, sizeof first).ok();
}

}  // namespace

long do_memory_op(Vcpu& v, HypercallArgs& a)
{
    Domain& d = *v.domain;
    const MemopCmd c = decode_memop(a.arg[0]);
    const GuestVirtAddr arg{a.arg[1]};
    switch (static_cast<xen::MemoryOp>(c.op)) {
    case xen::MemoryOp::IncreaseReservation:
    case xen::MemoryOp::DecreaseReservation:
    case xen::MemoryOp::PopulatePhysmap: return reservation(v, a, d, c.op, arg, c.start);
    case xen::MemoryOp::MaximumRamPage:
        // Xen: max_page, the highest machine frame + 1; a domU learns nothing useful.
        if (c.start != 0) return err(Errno::Inval);
        return static_cast<long>(d.p2m.max_mapped_gfn + 1);
    case xen::MemoryOp::CurrentReservation:
    case xen::MemoryOp::MaximumReservation:
    case xen::MemoryOp::MaximumGpfn: return domain_query(v, d, c.op, arg, c.start);
    case xen::MemoryOp::AddToPhysmap: return add_to_physmap(v, d, arg, c.start);
    case xen::MemoryOp::AddToPhysmapBatch: return add_to_physmap_batch(v, a, d, arg, c.start);
    case xen::MemoryOp::RemoveFromPhysmap: return remove_from_physmap(v, d, arg, c.start);
    case xen::MemoryOp::GetSharingFreedPages:
    case xen::MemoryOp::GetSharingSharedPages: return 0;  // Xen ARM: memory sharing absent
    case xen::MemoryOp::Exchange:
        if (c.start != 0) return err(Errno::Inval);
        if (!argument_readable(v, arg)) return err(Errno::Fault);  // Xen copies the struct first
        return err(Errno::NoSys);  // PV only
    case xen::MemoryOp::ClaimPages:
    case xen::MemoryOp::GetVnumaInfo:
        if (!argument_readable(v, arg)) return err(Errno::Fault);
        return err(c.op == static_cast<uint32_t>(xen::MemoryOp::ClaimPages) ? Errno::Perm
                                                                             : Errno::NoSys);
    case xen::MemoryOp::AcquireResource: return acquire_resource(v, a, a.arg[1], c.start);
    case xen::MemoryOp::ReservedDeviceMemoryMap:
        return err(Errno::Perm);  // toolstack / hardware domain only
    default: return err(Errno::NoSys);
    }
}

}  // namespace keel
