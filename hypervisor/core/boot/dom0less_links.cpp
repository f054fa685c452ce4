// SPDX-License-Identifier: MIT
//
// core/boot/dom0less_links.cpp
// Owns the parsing of Xen's static event-channel and static shared-memory
// nodes of dom0less domains (dom0less_links.hpp). Where Xen 4.17 panics on a
// bad node (alloc_static_evtchn(), process_shm()), keel logs one error line
// and leaves the domain out, like any other bad domain property.
#include "core/boot/dom0less_links.hpp"

#include "core/boot/dom0less.hpp"
#include "core/boot/guest_layout.hpp"
#include "lib/cstr.hpp"
#include "lib/fdt.hpp"

namespace keel {
namespace {

bool is_evtchn_node(const Fdt& fdt, int node)
{
    return fdt.is_compatible(node, "xen,evtchn-v1") || fdt.is_compatible(node, "xen,evtchn");
}

uint32_t phandle_of(const Fdt& fdt, int node)
{
    FdtProperty p;
    if (fdt.property(node, "phandle", p) && p.len == 4) return p.u32_at(0);
    if (fdt.property(node, "linux,phandle", p) && p.len == 4) return p.u32_at(0);
    return 0;
}

// The guest-physical windows a shared region must stay clear of: RAM banks and
// every emulated or Xen-defined window of the domU layout (§7.1 of the ABI notes).
struct Window {
    uint64_t base;
    uint64_t size;
    const char* what;
};
constexpr Window kGuestWindows[] = {
    {kGuestGicv3GicdBase, kGuestGicv3GicdSize, "the vGIC distributor"},
    {kGuestGicv3Gicr0Base, kGuestGicv3Gicr0Size, "the vGIC redistributors"},
    {kGuestPl011Base, kGuestPl011Size, "the vPL011"},
    {kGuestGnttabBase, kGuestGnttabSize, "the grant-table window"},
    {kGuestMagicBase, 0x01000000, "the magic pages"},
    {kGuestRam0Base, kGuestRam0Size, "guest RAM bank 0"},
    {kGuestRam1Base, kGuestRam1Size, "guest RAM bank 1"},
};

bool overlaps(uint64_t b1, uint64_t s1, uint64_t b2, uint64_t s2)
{
    return b1 < b2 + s2 && b2 < b1 + s1;
}

}  // namespace

uint16_t dom0less_domid_of(const Fdt& fdt, int domain_node)
{
    const int chosen = fdt.path_offset("/chosen");
    if (chosen < 0 || fdt.parent(domain_node) != chosen) return 0;
    uint16_t id = 0;
    for (int n = fdt.first_child(chosen); n >= 0; n = fdt.next_sibling(n)) {
        if (!fdt.is_compatible(n, "xen,domain")) continue;
        ++id;
        if (n == domain_node) return id;
    }
    return 0;
}

bool parse_static_evtchn(const Fdt& fdt, const char* dom, int node, DomainSpec& s,
                         Dom0lessDiagnostics& diag)
{
    const char* name = fdt.node_name(node);
    FdtProperty p;
    if (!fdt.property(node, "xen,evtchn", p) || p.len != 8) {
        diag.error("dom0less: {}: {}: xen,evtchn: expected <local-port &peer-node>", dom, name);
        return false;
    }
    const uint32_t port = p.u32_at(0);
    if (port == 0 || port >= kStaticEvtchnPortLimit) {
        diag.error("dom0less: {}: {}: xen,evtchn: port {} is outside 1..{}", dom, name, port,
                   kStaticEvtchnPortLimit - 1);
        return false;
    }
    for (uint32_t i = 0; i < s.evtchn_count; ++i) {
        if (s.evtchn[i].local_port == port) {
            diag.error("dom0less: {}: {}: xen,evtchn: port {} is used twice", dom, name, port);
            return false;
        }
    }
    const int peer = fdt.node_by_phandle(p.u32_at(1));
    if (peer < 0 || !is_evtchn_node(fdt, peer)) {
        diag.error("dom0less: {}: {}: xen,evtchn: the peer phandle {:#x} is not an event-channel node",
                   dom, name, p.u32_at(1));
        return false;
    }
    const uint16_t peer_dom = dom0less_domid_of(fdt, fdt.parent(peer));
    if (peer_dom == 0) {
        diag.error("dom0less: {}: {}: xen,evtchn: the peer {} is not in a xen,domain node "
                   "(keel has no dom0)", dom, name, fdt.node_name(peer));
        return false;
    }
    if (peer_dom == s.domid) {
        diag.error("dom0less: {}: {}: xen,evtchn: the peer {} is in the same domain", dom, name,
                   fdt.node_name(peer));
        return false;
    }
    FdtProperty back;
    const uint32_t self = phandle_of(fdt, node);
    if (!fdt.property(peer, "xen,evtchn", back) || back.len != 8 || self == 0 ||
        back.u32_at(1) != self) {
        diag.error("dom0less: {}: {}: xen,evtchn: the peer {} does not point back at this node",
                   dom, name, fdt.node_name(peer));
        return false;
    }
    const uint32_t peer_port = back.u32_at(0);
    if (peer_port == 0 || peer_port >= kStaticEvtchnPortLimit) {
        diag.error("dom0less: {}: {}: xen,evtchn: the peer's port {} is outside 1..{}", dom, name,
                   peer_port, kStaticEvtchnPortLimit - 1);
        return false;
    }
    if (s.evtchn_count == kMaxStaticEvtchns) {
        diag.error("dom0less: {}: {}: more than {} static event channels", dom, name,
                   kMaxStaticEvtchns);
        return false;
    }
    s.evtchn[s.evtchn_count++] = StaticEvtchnSpec{port, peer_dom, peer_port};
    return true;
}

bool static_shm_host_range(const Fdt& fdt, int node, PhysRange& out)
{
    const uint32_t ac = fdt.address_cells_for(node);
    const uint32_t sc = fdt.size_cells_for(node);
    FdtProperty m;
    if (ac < 1 || ac > 2 || sc < 1 || sc > 2 || !fdt.property(node, "xen,shared-mem", m) ||
        m.len != 4 * (2 * ac + sc))
        return false;
    const uint64_t hpa = m.cells_at(0, ac);
    const uint64_t size = m.cells_at(2 * ac, sc);
    if (size == 0 || ((hpa | size) & (kPageSize - 1)) != 0 || hpa + size < hpa) return false;
    out = PhysRange{PhysAddr{hpa}, size};
    return true;
}

bool parse_static_shm(const Fdt& fdt, const char* dom, int node, DomainSpec& s,
                      Dom0lessDiagnostics& diag)
{
    const char* name = fdt.node_name(node);
    FdtProperty p;
    if (!fdt.property(node, "xen,shm-id", p) || p.as_string() == nullptr || p.len < 2) {
        diag.error("dom0less: {}: {}: xen,shm-id: missing or not a string", dom, name);
        return false;
    }
    const char* id = p.as_string();
    if (cstr_len(id) + 1 > kShmIdMax) {
        diag.error("dom0less: {}: {}: xen,shm-id: longer than {} characters", dom, name,
                   kShmIdMax - 1);
        return false;
    }
    bool owner = false;
    FdtProperty role;
    if (fdt.property(node, "role", role)) {
        const char* r = role.as_string();
        if (r != nullptr && cstr_eq(r, "owner")) {
            owner = true;
        } else if (r == nullptr || !cstr_eq(r, "borrower")) {
            diag.error("dom0less: {}: {}: role: expected \"owner\" or \"borrower\"", dom, name);
            return false;
        }
    }
    const uint32_t ac = fdt.address_cells_for(node);
    const uint32_t sc = fdt.size_cells_for(node);
    FdtProperty m;
    if (ac < 1 || ac > 2 || sc < 1 || sc > 2 || !fdt.property(node, "xen,shared-mem", m) ||
        m.len != 4 * (2 * ac + sc)) {
        diag.error("dom0less: {}: {}: xen,shared-mem: expected <host-address guest-address size> "
                   "in {}+{}+{} cells", dom, name, ac, ac, sc);
        return false;
    }
    const uint64_t hpa = m.cells_at(0, ac);
    const uint64_t gpa = m.cells_at(ac, ac);
    const uint64_t size = m.cells_at(2 * ac, sc);
    if (size == 0 || ((hpa | gpa | size) & (kPageSize - 1)) != 0 || hpa + size < hpa ||
        gpa + size < gpa) {
        diag.error("dom0less: {}: {}: xen,shared-mem: {:#x} -> {:#x} size {:#x} is empty, wraps or "
                   "is not page-aligned", dom, name, hpa, gpa, size);
        return false;
    }
    for (const Window& w : kGuestWindows) {
        if (!overlaps(gpa, size, w.base, w.size)) continue;
        diag.error("dom0less: {}: {}: xen,shared-mem: guest range [{:#x}-{:#x}) overlaps {}", dom,
                   name, gpa, gpa + size, w.what);
        return false;
    }
    for (uint32_t i = 0; i < s.shm_count; ++i) {
        const StaticShmSpec& o = s.shm[i];
        if (cstr_eq(o.id, id) || overlaps(gpa, size, o.guest.raw(), o.host.size)) {
            diag.error("dom0less: {}: {}: xen,shared-mem: \"{}\" repeats or overlaps \"{}\"", dom,
                       name, id, o.id);
            return false;
        }
    }
    if (s.shm_count == kMaxStaticShms) {
        diag.error("dom0less: {}: {}: more than {} shared-memory regions", dom, name,
                   kMaxStaticShms);
        return false;
    }
    StaticShmSpec& out = s.shm[s.shm_count++];
    cstr_copy(out.id, id, sizeof out.id);
    out.host = PhysRange{PhysAddr{hpa}, size};
    out.guest = GuestPhysAddr{gpa};
    out.owner = owner;
    return true;
}

size_t check_static_shm_ids(DomainSpec* specs, size_t n, Dom0lessDiagnostics& diag)
{
    size_t errors = 0;
    for (size_t a = 0; a < n; ++a) {
        for (uint32_t i = 0; i < specs[a].shm_count; ++i) {
            StaticShmSpec& x = specs[a].shm[i];
            uint32_t owners = x.owner ? 1 : 0;
            for (size_t b = a + 1; b < n; ++b) {
                for (uint32_t j = 0; j < specs[b].shm_count; ++j) {
                    const StaticShmSpec& y = specs[b].shm[j];
                    const bool same_id = cstr_eq(x.id, y.id);
                    const bool same_host = x.host.base == y.host.base && x.host.size == y.host.size;
                    if (same_id) owners += y.owner ? 1 : 0;
                    if (same_id == same_host && (!same_id || owners <= 1)) continue;
                    diag.error("dom0less: {} and {}: xen,shared-mem \"{}\" / \"{}\": {}",
                               specs[a].name, specs[b].name, x.id, y.id,
                               same_id ? (same_host ? "more than one owner"
                                                    : "one id, two host ranges")
                                       : "two ids, one host range");
                    ++errors;
                }
            }
        }
    }
    return errors;
}

}  // namespace keel
