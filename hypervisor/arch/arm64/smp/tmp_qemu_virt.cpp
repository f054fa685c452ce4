// TEMPORARY (to be deleted): QEMU virt values for BootInfo until the [dt] step fills it.
#include "arch/arm64/smp/bringup.hpp"
namespace keel::arm64 {
void tmp_fill_qemu_virt(BootInfo& b)
{
    if (b.gic.version != 0) return;
    b.gic.version = 3;
    b.gic.dist = PhysRange{PhysAddr{0x08000000}, 0x10000};
    b.gic.redist[0] = PhysRange{PhysAddr{0x080a0000}, 0xf60000};
    b.gic.redist_count = 1;
    b.timer.hyp_intid = 26;
    b.psci = PsciConduit::Smc;
    b.cpu_count = 8;
    for (size_t i = 0; i < 8; ++i) b.cpu_mpidr[i] = i;
}
}  // namespace keel::arm64
#include "arch/arm64/smp/ipi_selftest.hpp"
#include "arch/arm64/timer/timer_selftest.hpp"
#include "arch/arm64/psci/psci.hpp"
#include "arch/arm64/smp/idle.hpp"
#include "core/selftest/selftest.hpp"
namespace keel::arm64 {
void tmp_selftests()
{
    selftest_sgi_round_trip();
    selftest_timer_latency();
    selftest_sgi_round_trip();
    selftest_timer_latency();
    selftest::finish();
    psci::system_off();
}
}  // namespace keel::arm64
