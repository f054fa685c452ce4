// SPDX-License-Identifier: MIT
//
// core/event/event_channel.hpp
// Owns keel's event-channel interface to the rest of keel (docs/xen-abi-design.md,
// "B → A and lead"): a domain's event state at creation and destruction, the
// HYPERVISOR_event_channel_op hypercall, VCPUOP_register_vcpu_info, SCHEDOP_poll's
// wait, static event channels (`xen,evtchn`) and VIRQs raised by keel. Target
// only: event_channel.cpp (hypercall, target EvtchnEnv) and event_poll.cpp; the
// rules themselves are event_core.hpp's (pure).
#pragma once
#include <cstdint>

#include "core/hypercall/hypercall.hpp"
#include "lib/addr.hpp"
#include "lib/result.hpp"
#include "public/xen/xen.hpp"

namespace keel {

struct Domain;
struct Vcpu;

/// Sets up d's event channels (2-level ABI, port 0 reserved) and each vCPU's
/// Vcpu::events. After d's vCPUs exist, before any runs. Errno::NoMem.
Result<void> evtchn_domain_init(Domain& d);

/// Closes every port of d (interdomain peers go back to unbound), cancels poll
/// timeouts and releases every long-lived guest map. Every vCPU of d is Dead;
/// before p2m_destroy. Safe when init never ran. The state itself stays until
/// evtchn_domain_free: a peer holding a DomainRef may still lock it.
void evtchn_domain_destroy(Domain& d);
/// Frees d's event state once no reference to d remains (domain_ref.cpp, just
/// before the Domain itself is freed). Safe when init never ran.
void evtchn_domain_free(Domain& d);

/// HYPERVISOR_event_channel_op(cmd = x0, arg = x1: guest virtual address of the op struct).
long do_event_channel_op(Vcpu& v, HypercallArgs& a);

/// VCPUOP_register_vcpu_info for vCPU v (the caller resolved the vcpuid): -ENXIO
/// (misaligned, crosses a page), -EINVAL (twice, as Xen 4.17; not RAM).
long evtchn_register_vcpu_info(Vcpu& v, uint64_t gfn, uint32_t offset);

/// Xen's `xen,evtchn` DT binding: port_a of a and port_b of b become an
/// interdomain pair. Errno::Inval (port 0 / out of range / no event state),
/// Errno::Exist (port in use). At build time.
Result<void> evtchn_bind_static(Domain& a, uint32_t port_a, Domain& b, uint32_t port_b);

/// Raises `virq` in d if the guest bound it (global VIRQs: vcpu is ignored). Any CPU.
void evtchn_send_virq(Domain& d, xen::Virq virq, uint32_t vcpu);
/// Raises global `virq` (VIRQ_DOM_EXC, ...) in the privileged domain, if there
/// is one and it bound it. Any CPU; no domain lock held.
void evtchn_send_global_virq(xen::Virq virq);

/// SCHEDOP_poll for the calling vCPU v: returns 0 at once when one of the `nr`
/// ports at guest VA `ports` (uint32 each) is pending or an upcall is, else blocks
/// v until one becomes pending or `timeout` (ns of the guest's virtual counter;
/// 0 = none) passes. -EINVAL (nr > 128, bad port), -EFAULT.
long evtchn_poll(Vcpu& v, GuestVirtAddr ports, uint32_t nr, uint64_t timeout);

}  // namespace keel
