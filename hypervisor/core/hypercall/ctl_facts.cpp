// SPDX-License-Identifier: MIT
//
// core/hypercall/ctl_facts.cpp
// Owns the snapshots the control hypercalls report (see ctl_facts.hpp). The
// counter frequency is the one arch fact read here (as runstate_area.cpp does).
#include "core/hypercall/ctl_facts.hpp"

#include <atomic>
#include <cstring>

#include "core/domain/arch_domain.hpp"
#include "core/domain/domain.hpp"
#include "core/domain/domain_ref.hpp"
#include "core/domain/domain_table.hpp"
#include "core/domain/vcpu.hpp"
#include "core/memory/boot_memory.hpp"
#include "core/memory/p2m.hpp"
#include "core/percpu.hpp"

namespace keel {

size_t existing_domain_ids(uint16_t* out, size_t cap)
{
    size_t n = 0;
    for (DomId id = 0; id < kMaxDomains && n < cap; ++id) {
        if (domain_ref(id)) out[n++] = id;
    }
    return n;
}

DomainFacts domain_facts(const Domain& d)
{
    DomainFacts f;
    f.id = d.id;
    const DomainState s = d.state.load(std::memory_order_acquire);
    f.dying = s == DomainState::Dead;
    f.shut_down = s == DomainState::ShuttingDown;
    f.shutdown_code = d.hc.shutdown_code.load(std::memory_order_relaxed);
    // Xen's domain_shutdown keeps a code set earlier (SCHEDOP_shutdown_code), else takes the reason.
    if (f.shut_down && f.shutdown_code == kShutdownCodeInvalid)
        f.shutdown_code = static_cast<uint8_t>(d.shutdown_reason);
    f.vcpu_count = d.vcpu_count < kHcMaxVcpus ? d.vcpu_count : static_cast<uint32_t>(kHcMaxVcpus);
    for (uint32_t i = 0; i < f.vcpu_count; ++i) {
        const Vcpu* v = d.vcpus[i];
        if (v == nullptr) continue;
        const VcpuState vs = v->state.load(std::memory_order_acquire);
        VcpuFacts& vf = f.vcpu[i];
        vf.online = vs != VcpuState::Offline && vs != VcpuState::Dead;
        vf.blocked = vs == VcpuState::Blocked;
        vf.running = vs == VcpuState::Running;
        // Moved by the scheduler (atomic_ref stores, lifecycle.cpp); read the same way.
        vf.cpu = std::atomic_ref<CpuIndex>{const_cast<CpuIndex&>(v->processor)}.load(
            std::memory_order_relaxed);
        // Written by the CPU that switches the vCPU; an aligned 64-bit read is whole.
        vf.cpu_time_ns = d.hc.runstate[i].time[static_cast<uint32_t>(xen::Runstate::Running)];
    }
    f.tot_pages = d.p2m.cur_frames;
    f.max_pages = d.p2m.max_frames;
    f.shared_info_frame = d.shared_info_mfn.raw();
    domain_handle_get(d, f.handle);
    f.gpaddr_bits = static_cast<uint8_t>(p2m_env().ipa_bits());
    return f;
}

HostFacts host_facts()
{
    HostFacts h;
    h.nr_cpus = static_cast<uint32_t>(online_cpu_count());
    h.counter_hz = arch_counter_hz();
    h.total_pages = total_ram_bytes() >> kPageShift;
    h.free_pages = free_domain_frames();
    const MemoryLayout& l = memory().layout();
    if (l.bank_count != 0) {
        h.max_mfn = (l.banks[l.bank_count - 1].end().raw() >> kPageShift) - 1;
        h.first_mfn = l.banks[0].base.raw() >> kPageShift;
    }
    return h;
}

void domain_handle_get(const Domain& d, uint8_t (&out)[xen::kXenDomainHandleBytes])
{
    const uint64_t w[2] = {d.hc.handle[0].load(std::memory_order_relaxed),
                           d.hc.handle[1].load(std::memory_order_relaxed)};
    std::memcpy(out, w, sizeof w);
}

void domain_handle_set(Domain& d, const uint8_t (&in)[xen::kXenDomainHandleBytes])
{
    uint64_t w[2];
    std::memcpy(w, in, sizeof w);
    d.hc.handle[0].store(w[0], std::memory_order_relaxed);
    d.hc.handle[1].store(w[1], std::memory_order_relaxed);
}

}  // namespace keel
