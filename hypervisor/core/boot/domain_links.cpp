// SPDX-License-Identifier: MIT
//
// core/boot/domain_links.cpp
// Owns link_dom0less_domains() (domain_links.hpp): static event channels
// through the event-channel core, static shared memory through the p2m.
// Target only.
#include "core/boot/domain_links.hpp"

#include "core/boot/dom0less.hpp"
#include "core/console/log.hpp"
#include "core/domain/domain.hpp"
#include "core/event/event_channel.hpp"
#include "core/memory/p2m.hpp"
#include "lib/errno.hpp"

namespace keel {
namespace {

Domain* built_domain(const DomainSpec* specs, Domain* const* built, size_t n, uint16_t domid)
{
    for (size_t i = 0; i < n; ++i)
        if (specs[i].domid == domid) return built[i];
    return nullptr;
}

// Each channel is listed by both ends; the end with the lower domid binds it.
void link_event_channels(const DomainSpec& s, Domain& d, const DomainSpec* specs,
                         Domain* const* built, size_t n)
{
    for (uint32_t i = 0; i < s.evtchn_count; ++i) {
        const StaticEvtchnSpec& e = s.evtchn[i];
        if (e.remote_domid < s.domid) continue;
        Domain* peer = built_domain(specs, built, n, e.remote_domid);
        if (peer == nullptr) {
            log("keel: d{} ({}): static event channel {}: d{} was not built; not bound\n",
                s.domid, s.name, e.local_port, e.remote_domid);
            continue;
        }
        const auto r = evtchn_bind_static(d, e.local_port, *peer, e.remote_port);
        if (!r.ok()) {
            log("keel: d{} ({}): static event channel {} <-> d{} port {}: {}\n", s.domid, s.name,
                e.local_port, e.remote_domid, e.remote_port, errno_name(r.error()));
            continue;
        }
        log("keel: d{} ({}): static event channel {} <-> d{} port {}\n", s.domid, s.name,
            e.local_port, e.remote_domid, e.remote_port);
    }
}

void link_shared_memory(const DomainSpec& s, Domain& d)
{
    for (uint32_t i = 0; i < s.shm_count; ++i) {
        const StaticShmSpec& m = s.shm[i];
        const auto r = p2m_map_static_shm(d, m.guest.raw(), m.host.base, m.host.size, m.owner);
        if (!r.ok()) {
            log("keel: d{} ({}): shared memory \"{}\": not mapped: {}\n", s.domid, s.name, m.id,
                errno_name(r.error()));
            continue;
        }
        log("keel: d{} ({}): shared memory \"{}\" ({}): host {:#x} -> guest {:#x}, {:#x} bytes\n",
            s.domid, s.name, m.id, m.owner ? "owner" : "borrower", m.host.base.raw(),
            m.guest.raw(), m.host.size);
    }
}

}  // namespace

void link_dom0less_domains(const DomainSpec* specs, Domain* const* built, size_t n)
{
    for (size_t i = 0; i < n; ++i) {
        if (built[i] == nullptr) continue;
        link_shared_memory(specs[i], *built[i]);
        link_event_channels(specs[i], *built[i], specs, built, n);
    }
}

}  // namespace keel
