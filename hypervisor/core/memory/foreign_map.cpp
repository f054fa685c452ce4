// SPDX-License-Identifier: MIT
//
// core/memory/foreign_map.cpp
// Owns the foreign-mapping ops of foreign_map.hpp: the per-entry checks of a
// XENMAPSPACE_gmfn_foreign mapping in Xen 4.17's order (foreign domid, the
// caller's privilege, the page), the frame reference the entry holds, the
// removal, and XENMEM_acquire_resource of another domain's grant-table frames
// (mapped as foreign entries holding a reference on keel's heap page; see
// grant_frame_acquire). Target only (domain lookups); the p2m side is
// core/memory/p2m.cpp, host-tested.
#include "core/memory/foreign_map.hpp"

#include <cstddef>

#include "core/domain/domain.hpp"
#include "core/domain/domain_ref.hpp"
#include "core/domain/domain_table.hpp"
#include "core/domain/vcpu.hpp"
#include "core/grant/grant_table.hpp"
#include "core/hypercall/hypercall.hpp"
#include "core/memory/foreign_map_args.hpp"
#include "core/memory/frame_ref.hpp"
#include "core/memory/guest_virt.hpp"
#include "core/memory/memory_op_args.hpp"
#include "core/memory/p2m.hpp"
#include "public/xen/memory.hpp"

namespace keel {

namespace {

long err(Errno e) { return hc_error(e); }

}  // namespace

long foreign_map_one(Domain& d, uint16_t foreign, uint64_t idx, uint64_t gpfn)
{
    // Xen's order: the owner (get_pg_owner), owner == mapper, the mapper's
    // privilege (xsm_map_gmfn_foreign), then the page.
    switch (classify_foreign_domid(foreign, d.id)) {
    case ForeignDomid::CallerId: return err(Errno::Srch);
    case ForeignDomid::SelfAlias: return err(Errno::Inval);
    case ForeignDomid::SystemDomain:
        // DOMID_IO / DOMID_XEN: keel shares no page with them.
        return err(d.privileged ? Errno::Inval : Errno::Perm);
    case ForeignDomid::Lookup: break;
    }
    const DomainRef od = domain_ref(foreign);
    if (!od) {
        // Present but not counted: a domain keel is still building or one that
        // is Dead (its p2m gone or going). Xen finds a dying domain and fails
        // on its page: -EINVAL.
        if (find_domain(foreign) == nullptr) return err(Errno::Srch);
        return err(d.privileged ? Errno::Inval : Errno::Perm);
    }
    if (!d.privileged) return err(Errno::Perm);
    // One reference for the entry, taken under the owner's p2m lock: the page
    // cannot be freed in between even if the owner gives it back or dies.
    const Result<Mfn> page = p2m_get_ram_page(*od, idx);
    if (!page.ok()) return err(Errno::Inval);
    const Result<void> mapped = p2m_map_foreign(d, gpfn, page.value());
    if (!mapped.ok()) {
        frame_put(page.value());
        return err(mapped.error());
    }
    return 0;
}

long foreign_unmap(Domain& d, uint64_t gfn)
{
    const Result<Mfn> old = p2m_unmap_frame(d, gfn, P2mType::ForeignRw);
    if (!old.ok()) return err(Errno::NoEnt);
    frame_put(old.value());  // the entry's reference, after the TLBs forgot it
    return 0;
}

long acquire_resource(Vcpu& v, HypercallArgs& a, uint64_t arg, uint64_t start)
{
    Domain& d = *v.domain;
    xen::MemAcquireResource r;
    if (!copy_from_guest(v, &r, GuestVirtAddr{arg}, sizeof r).ok()) return err(Errno::Fault);
    if (r.pad != 0) return err(Errno::Inval);
    // nr_frames is 32 bits, frame 64: Xen refuses anything that does not fit 32.
    if ((r.frame >> 32) != 0 || ((r.frame + r.nr_frames) >> 32) != 0) return err(Errno::Inval);
    // rcu_lock_remote_domain_by_id: by id only (DOMID_SELF finds nothing), not itself.
    if (r.domid == d.id) return err(Errno::Perm);
    const DomainRef target = domain_ref(r.domid);
    if (!target) return err(Errno::Srch);
    if (!d.privileged) return err(Errno::Perm);  // xsm_domain_resource_map
    uint64_t max_frames = 0;
    switch (r.type) {
    case xen::kResourceGrantTable:
        // Only the shared frames exist (grant v1): the status id has none.
        max_frames = r.id == 0 ? kGrantMaxFrames : 0;
        break;
    case xen::kResourceIoreqServer:  // no ioreq servers on Arm
    case xen::kResourceVmtraceBuf:   // no vmtrace buffers
        break;
    default: return err(Errno::OpNotSupp);
    }
    if (max_frames == 0) return err(Errno::Inval);
    if (r.frame_list == 0) {  // the size query
        if (r.nr_frames != 0 || start != 0) return err(Errno::Inval);
        const uint32_t n = static_cast<uint32_t>(max_frames);
        if (!copy_to_guest(v, GuestVirtAddr{arg + offsetof(xen::MemAcquireResource, nr_frames)}, &n, sizeof n).ok())
            return err(Errno::Fault);
        return 0;
    }
    if (start >= r.nr_frames || r.nr_frames > (0xffffffffu >> xen::kMemopExtentShift)) return err(Errno::Inval);
    // Xen grows the table to the last frame asked for before it maps any.
    if (r.frame + r.nr_frames > max_frames) return err(Errno::Inval);
    for (uint64_t i = start; i < r.nr_frames; ++i) {
        if (i != start && hypercall_preempt_check()) {
            a.arg[0] = encode_memop(static_cast<uint32_t>(xen::MemoryOp::AcquireResource), i);
            return hypercall_continue(v, a);
        }
        uint64_t gfn;
        if (!copy_from_guest(v, &gfn, GuestVirtAddr{r.frame_list} + i * sizeof gfn, sizeof gfn).ok())
            return err(Errno::Fault);
        const Result<Mfn> frame = grant_frame_acquire(*target, static_cast<uint32_t>(r.frame + i));
        if (!frame.ok()) return err(frame.error());
        // The caller's foreign entry holds the reference (set_foreign_p2m_entry).
        const Result<void> mapped = p2m_map_foreign(d, gfn, frame.value());
        if (!mapped.ok()) {
            frame_put(frame.value());
            // Xen: the error of the first frame of a run, -EIO once some are mapped.
            return err(i == start ? mapped.error() : Errno::Io);
        }
    }
    return 0;
}

}  // namespace keel
