// SPDX-License-Identifier: MIT
//
// arch/arm64/smp/bringup.cpp
// Owns CPU bring-up (see bringup.hpp).
#include "arch/arm64/smp/bringup.hpp"

#include "arch/arm64/gic/gic.hpp"
#include "arch/arm64/gic/gic_regs.hpp"
#include "arch/arm64/hw/barrier.hpp"
#include "arch/arm64/hw/sysreg.hpp"
#include "arch/arm64/psci/psci.hpp"
#include "arch/arm64/regs/hcr.hpp"
#include "arch/arm64/smp/idle.hpp"
#include "arch/arm64/smp/ipi.hpp"
#include "arch/arm64/timer/hyp_timer.hpp"
#include "core/console/log.hpp"

extern "C" {
[[noreturn]] void park();
void keel_secondary_entry();  // head.S: PSCI CPU_ON lands here
}

namespace keel::arm64 {
namespace {

// The per-CPU half shared by the boot CPU and the secondaries.
Result<void> interrupts_init_cpu(PerCpu& self)
{
    // Physical IRQs and FIQs to EL2 (HCR_EL2.IMO/FMO), else keel never takes them.
    HcrEl2::write(HcrEl2::read() | Hcr::Imo::make(true) | Hcr::Fmo::make(true));
    isb();
    KEEL_TRY(gic::init_cpu(self));
    ipi_init_cpu();
    timer::init_cpu();
    return {};
}

}  // namespace

uint64_t current_mpidr() { return mpidr_affinity(MpidrEl1::read()); }

void boot_cpu_attach()
{
    percpu_assign(0, current_mpidr());
    percpu_attach(0);
}

Result<void> interrupts_init_boot(const BootInfo& info)
{
    PerCpu& self = cpu(0);
    const auto gicd = gic::init_distributor(info.gic, self.mpidr);
    if (!gicd.ok()) return gicd.error();
    ipi_init();
    KEEL_TRY(timer::init(info.timer));
    KEEL_TRY(interrupts_init_cpu(self));
    self.online.store(true, std::memory_order_release);
    log("keel: GICv{} ({} INTIDs, {} security state{}), EL2 timer INTID {} at {} Hz\n",
        gicd.value().arch_rev, gicd.value().intids, gicd.value().single_security ? "one" : "two",
        gicd.value().single_security ? "" : "s", timer::intid(), timer::rate().hz());
    return {};
}

size_t start_secondaries(const BootInfo& info)
{
    const uint64_t boot_mpidr = cpu(0).mpidr;
    // keel's image is identity-mapped: the entry's virtual address is its physical one.
    const PhysAddr entry{reinterpret_cast<uint64_t>(&keel_secondary_entry)};
    size_t skipped = 0;
    CpuIndex next = 1;
    if (info.cpu_count > 1 && !psci::available()) {
        log("keel: warning: no PSCI conduit in the device tree; secondary CPUs not started\n");
        return online_cpu_count();
    }

    for (size_t i = 0; i < info.cpu_count; ++i) {
        const uint64_t mpidr = mpidr_affinity(info.cpu_mpidr[i]);
        if (mpidr == boot_mpidr) continue;
        if (next >= config::kMaxCpus) {
            ++skipped;
            continue;
        }
        const CpuIndex index = next++;
        PerCpu& c = percpu_assign(index, mpidr);

        const auto on = psci::cpu_on(mpidr, entry, index);
        if (!on.ok()) {
            log("keel: CPU {} (MPIDR {:#x}) CPU_ON failed: {}\n", index, mpidr,
                errno_name(on.error()));
            continue;
        }
        const bool up = wait_until([&c] { return c.online.load(std::memory_order_acquire); },
                                   timer::rate().from_ms(1000));
        if (!up) log("keel: CPU {} (MPIDR {:#x}) did not come up within 1 s\n", index, mpidr);
    }
    if (skipped != 0) {
        log("keel: warning: {} more CPUs in the device tree than KEEL_MAX_CPUS={}; not started\n",
            skipped, config::kMaxCpus);
    }
    return online_cpu_count();
}

void secondary_main(CpuIndex index)
{
    percpu_attach(index);
    PerCpu& self = cpu(index);
    if (self.mpidr != current_mpidr()) {
        log("keel: CPU {}: MPIDR {:#x} is not the {:#x} it was started for; parking\n", index,
            current_mpidr(), self.mpidr);
        park();
    }
    const auto r = interrupts_init_cpu(self);
    if (!r.ok()) {
        log("keel: CPU {} (MPIDR {:#x}): interrupt bring-up failed: {}; parking\n", index,
            self.mpidr, errno_name(r.error()));
        park();
    }
    self.online.store(true, std::memory_order_release);
    log("keel: CPU {} (MPIDR {:#x}) up\n", index, self.mpidr);
    send_work(cpu(0), Work::Wake);  // the boot CPU may be waiting for us
    idle_loop();
}

}  // namespace keel::arm64
