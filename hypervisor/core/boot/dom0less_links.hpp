// SPDX-License-Identifier: MIT
//
// core/boot/dom0less_links.hpp
// Owns what links dom0less domains to each other at build time, read from
// Xen's bindings (docs/misc/arm/device-tree/booting.txt, Xen 4.17):
//   - static event channels: a child `evtchn@N { compatible = "xen,evtchn-v1";
//     xen,evtchn = <local-port &peer-node>; }` in each of the two domains, each
//     pointing at the other's node;
//   - static shared memory: a child `<name>@<gpa> { compatible =
//     "xen,domain-shared-memory-v1"; xen,shm-id = "<id>"; role = "owner" |
//     "borrower" (optional); xen,shared-mem = <host-pa guest-pa size>; }` with
//     the domain node's #address-cells / #size-cells.
// Pure: the parser checks each node (one error line per problem) and the
// cross-domain rules; domain_builder.cpp makes the links once every domain exists.
#pragma once
#include <cstddef>
#include <cstdint>

#include "lib/addr.hpp"

namespace keel {

class Fdt;
class Dom0lessDiagnostics;
struct DomainSpec;

inline constexpr size_t kMaxStaticEvtchns = 16;   // per domain
inline constexpr size_t kMaxStaticShms = 4;       // per domain
inline constexpr size_t kShmIdMax = 32;           // with the NUL (Xen 4.17: at most 16 characters)
inline constexpr uint32_t kStaticEvtchnPortLimit = 4096;  // a new domain uses the 2-level ABI

// One end of a static event channel, seen from the domain that holds it.
struct StaticEvtchnSpec {
    uint32_t local_port = 0;
    uint16_t remote_domid = 0;  // the peer node's domain (DT order, as Xen numbers them)
    uint32_t remote_port = 0;
};

// One static shared-memory region as one domain maps it.
struct StaticShmSpec {
    char id[kShmIdMax] = {};
    PhysRange host;
    GuestPhysAddr guest;
    bool owner = false;  // role = "owner"; otherwise a borrower (owner: keel, as Xen's DOMID_IO)
};

/// The domid Xen gives the xen,domain node `domain_node` (1.. in DT order
/// among /chosen's xen,domain children); 0 when it is not such a node.
uint16_t dom0less_domid_of(const Fdt& fdt, int domain_node);

/// Reads one child of domain `dom` compatible "xen,evtchn-v1" (or the older
/// "xen,evtchn") into s.evtchn; false (with an error line) when it is malformed:
/// wrong size, port 0 or >= 4096, a port used twice, a peer that is not an event
/// channel node of another xen,domain, or a peer that does not point back.
bool parse_static_evtchn(const Fdt& fdt, const char* dom, int node, DomainSpec& s,
                         Dom0lessDiagnostics& diag);

/// The host range of a shared-memory node (for reserving it before the
/// allocators start); false when the node has no well-formed one.
bool static_shm_host_range(const Fdt& fdt, int node, PhysRange& out);

/// Reads one child compatible "xen,domain-shared-memory-v1" into s.shm; false
/// (with an error line) when it is malformed: no id, unknown role, wrong
/// size, unaligned or empty ranges, or a guest range over RAM or an emulated
/// device window. Whether the host range is usable RAM is the caller's check.
bool parse_static_shm(const Fdt& fdt, const char* dom, int node, DomainSpec& s,
                      Dom0lessDiagnostics& diag);

/// Cross-domain rules over the parsed domains: one shm id means one host range
/// and at most one owner. Returns how many error lines it logged; the domains
/// still start, each mapping the host range its own node names.
size_t check_static_shm_ids(DomainSpec* specs, size_t n, Dom0lessDiagnostics& diag);

}  // namespace keel
