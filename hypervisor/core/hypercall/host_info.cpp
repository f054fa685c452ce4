// SPDX-License-Identifier: MIT
//
// core/hypercall/host_info.cpp
// Owns physinfo, the CPU pool and CPU bitmaps (see host_info.hpp). Pure.
#include "core/hypercall/host_info.hpp"

namespace keel {

xen::XenSysctlPhysinfo physinfo_record(const HostFacts& h)
{
    xen::XenSysctlPhysinfo p{};
    p.threads_per_core = 1;
    p.cores_per_socket = 1;
    p.nr_cpus = h.nr_cpus;
    p.max_cpu_id = h.nr_cpus != 0 ? h.nr_cpus - 1 : 0;
    p.nr_nodes = 1;
    p.max_node_id = 0;  // MAX_NUMNODES - 1 with Arm 4.17's one node
    p.cpu_khz = static_cast<uint32_t>(h.counter_hz / 1000);
    p.capabilities = xen::kPhyscapHvm | xen::kPhyscapHap | xen::kPhyscapGnttabV1;
    p.total_pages = h.total_pages;
    p.free_pages = h.free_pages;
    p.max_mfn = h.max_mfn;
    return p;
}

xen::XenSysctlMeminfo node_meminfo(const HostFacts& h)
{
    const uint64_t span = h.max_mfn >= h.first_mfn && h.total_pages != 0 ? h.max_mfn + 1 - h.first_mfn : 0;
    return xen::XenSysctlMeminfo{span << 12, h.free_pages << 12};
}

xen::XenSysctlCputopo cpu_topology(uint32_t) { return xen::XenSysctlCputopo{0, 0, 0}; }

Result<uint32_t> cpu_bitmap_bytes(uint32_t nr_bits)
{
    const uint32_t bytes = static_cast<uint32_t>((uint64_t{nr_bits} + 7) / 8);
    if (bytes > kMaxBitmapBytes) return Errno::Inval;
    return bytes;
}

void cpu_bitmap_fill_range(uint8_t* out, uint32_t offset, uint32_t n, uint32_t nr_cpus,
                           bool all_cpus)
{
    const uint64_t mask_bytes = (uint64_t{nr_cpus} + 7) / 8;
    for (uint32_t k = 0; k < n; ++k) {
        const uint64_t i = uint64_t{offset} + k;
        uint8_t b = 0;
        if (all_cpus && i < mask_bytes) {
            const uint64_t first = i * 8;
            const uint64_t bits = nr_cpus - first < 8 ? nr_cpus - first : 8;
            b = static_cast<uint8_t>((1u << bits) - 1);
        }
        out[k] = b;
    }
}

Result<void> cpupool_info(xen::XenSysctlCpupoolOp& op, uint32_t nr_domains)
{
    switch (static_cast<xen::CpupoolOp>(op.op)) {
    case xen::CpupoolOp::Info:
        if (op.cpupool_id != 0) return Errno::NoEnt;  // the next pool >= id: only 0 exists
        op.sched_id = kReportedSchedulerId;
        op.n_dom = nr_domains;
        return {};
    case xen::CpupoolOp::FreeInfo: return {};
    default: return Errno::NoSys;
    }
}

}  // namespace keel
