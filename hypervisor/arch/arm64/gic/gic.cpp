// SPDX-License-Identifier: MIT
//
// arch/arm64/gic/gic.cpp
// Owns the GICv3 hardware accesses behind gic.hpp: the distributor and
// redistributor programming over MmioWindow and the ICC_* system registers.
// Register and field facts: GICv3/v4 spec (Arm IHI 0069); layouts in gic_regs.hpp.
#include "arch/arm64/gic/gic.hpp"

#include "arch/arm64/gic/gic_regs.hpp"
#include "arch/arm64/gic/redist_scan.hpp"
#include "arch/arm64/hw/barrier.hpp"
#include "arch/arm64/hw/sysreg.hpp"

namespace keel::arm64::gic {
namespace {

// Register-write-pending polls: a real GIC finishes in microseconds; the bound
// only turns a dead GIC into an error instead of a hang.
constexpr uint32_t kPollLimit = 10'000'000;

struct GicState {
    MmioWindow dist;
    PhysRange redist[kMaxRedistRegions];
    size_t redist_count = 0;
    uint64_t redist_stride = 0;
    uint32_t intids = 0;
    bool ready = false;
};
constinit GicState g_gic;  // the one GIC (platform singleton), written by the boot CPU before SMP

// Device windows are identity-mapped (Device-nGnRE) by the EL2 stage-1 map
// (docs/architecture.md, "Memory"), so the virtual address is the physical one.
MmioWindow device_window(PhysAddr pa) { return MmioWindow{VirtAddr{pa.raw()}}; }

uint32_t bit_of(uint32_t intid) { return uint32_t{1} << (intid % 32); }

// GICD_CTLR.RWP: distributor register writes (CTLR, ICENABLER) have taken effect.
Result<void> wait_dist_rwp()
{
    for (uint32_t i = 0; i < kPollLimit; ++i) {
        if (!gicd::CtlrBits::Rwp::get(g_gic.dist.read<gicd::Ctlr>())) return {};
    }
    return Errno::TimedOut;
}

// GICR_CTLR.RWP: a GICR_ICENABLER0 write has taken effect on this redistributor.
Result<void> wait_redist_rwp(const MmioWindow& rd)
{
    for (uint32_t i = 0; i < kPollLimit; ++i) {
        if (!gicr::CtlrBits::Rwp::get(rd.read<gicr::Ctlr>())) return {};
    }
    return Errno::TimedOut;
}

uint64_t read_typer(PhysAddr rd_base, void*) { return device_window(rd_base).read<gicr::Typer>(); }

}  // namespace

Result<GicdSummary> init_distributor(const GicInfo& info, uint64_t boot_mpidr)
{
    if (info.version != 3 || info.dist.empty() || info.redist_count == 0) return Errno::NoDev;
    g_gic.dist = device_window(info.dist.base);
    g_gic.redist_count =
        info.redist_count < kMaxRedistRegions ? info.redist_count : kMaxRedistRegions;
    for (size_t i = 0; i < g_gic.redist_count; ++i) g_gic.redist[i] = info.redist[i];
    g_gic.redist_stride = info.redist_stride;

    const MmioWindow& d = g_gic.dist;
    GicdSummary s;
    s.arch_rev = gicd::Pidr2Bits::ArchRev::get(d.read<gicd::Pidr2>());
    if (s.arch_rev != 3 && s.arch_rev != 4) return Errno::NoDev;

    // GICD_CTLR.DS reads 1 when the GIC has one security state (QEMU virt without
    // EL3); with two states a Non-secure access reads it as 0 and sees only the
    // Non-secure bits, and Group 0 / Secure interrupts belong to the firmware.
    const uint32_t ctlr = d.read<gicd::Ctlr>();
    s.single_security = gicd::CtlrBits::Ds::get(ctlr);

    // Groups off first (keeping ARE as found: clearing ARE once set is UNPREDICTABLE).
    d.write<gicd::Ctlr>(static_cast<uint32_t>(ctlr & gicd::CtlrBits::AreNs::kMask));
    KEEL_TRY(wait_dist_rwp());

    s.intids = gicd_intid_count(d.read<gicd::Typer>());
    g_gic.intids = s.intids;

    // Every SPI: disabled, not pending, not active, Non-secure Group 1
    // (GICD_IGROUPR = 1, GICD_IGRPMODR = 0; both RAZ/WI where security forbids),
    // default priority, level-sensitive (GICD_ICFGR = 0).
    for (uint32_t n = kFirstSpi / 32; n < s.intids / 32; ++n) {
        d.write<gicd::Icenabler>(n, ~uint32_t{0});
        d.write<gicd::Icpendr>(n, ~uint32_t{0});
        d.write<gicd::Icactiver>(n, ~uint32_t{0});
        d.write<gicd::Igroupr>(n, ~uint32_t{0});
        d.write<gicd::Igrpmodr>(n, 0);
    }
    const uint32_t prio4 = uint32_t{kDefaultPriority} * 0x0101'0101u;
    for (uint32_t n = kFirstSpi / 4; n < s.intids / 4; ++n) d.write<gicd::Ipriorityr32>(n, prio4);
    for (uint32_t n = kFirstSpi / 16; n < s.intids / 16; ++n) d.write<gicd::Icfgr>(n, 0);
    KEEL_TRY(wait_dist_rwp());

    // Affinity routing (GICD_CTLR.ARE_NS) before GICD_IROUTER means anything.
    d.write<gicd::Ctlr>(gicd::CtlrBits::AreNs::make(true));
    KEEL_TRY(wait_dist_rwp());
    for (uint32_t intid = kFirstSpi; intid < s.intids; ++intid) {
        d.write<gicd::Irouter>(intid, irouter_for(boot_mpidr));
    }

    d.write<gicd::Ctlr>(gicd::CtlrBits::AreNs::make(true) |
                        gicd::CtlrBits::EnableGrp1Ns::make(true));
    KEEL_TRY(wait_dist_rwp());
    g_gic.ready = true;
    return s;
}

Result<void> init_cpu(PerCpu& self)
{
    if (!g_gic.ready) return Errno::NoDev;
    const RedistScan scan{g_gic.redist, g_gic.redist_count, g_gic.redist_stride, read_typer,
                          nullptr};
    const auto rd_base = find_redistributor(scan, self.mpidr);
    if (!rd_base.ok()) return rd_base.error();
    self.redist = device_window(rd_base.value());
    self.redist_sgi = device_window(rd_base.value() + kGicrSgiFrameOffset);
    const MmioWindow& rd = self.redist;
    const MmioWindow& sgi = self.redist_sgi;

    // Wake the redistributor: clear GICR_WAKER.ProcessorSleep, then wait until
    // GICR_WAKER.ChildrenAsleep reads 0 (IHI 0069, "Power management").
    rd.write<gicr::Waker>(
        static_cast<uint32_t>(gicr::WakerBits::ProcessorSleep::put(rd.read<gicr::Waker>(), false)));
    bool awake = false;
    for (uint32_t i = 0; i < kPollLimit && !awake; ++i) {
        awake = !gicr::WakerBits::ChildrenAsleep::get(rd.read<gicr::Waker>());
    }
    if (!awake) return Errno::TimedOut;

    // SGIs and PPIs: disabled, not pending, not active, Group 1, default priority.
    sgi.write<gicr::Icenabler0>(~uint32_t{0});
    KEEL_TRY(wait_redist_rwp(rd));
    sgi.write<gicr::Icpendr0>(~uint32_t{0});
    sgi.write<gicr::Icactiver0>(~uint32_t{0});
    sgi.write<gicr::Igroupr0>(~uint32_t{0});
    sgi.write<gicr::Igrpmodr0>(0);
    const uint32_t prio4 = uint32_t{kDefaultPriority} * 0x0101'0101u;
    for (uint32_t n = 0; n < kFirstSpi / 4; ++n) sgi.write<gicr::Ipriorityr32>(n, prio4);

    // System-register CPU interface at EL2: ICC_SRE_EL2.SRE (no memory-mapped
    // GICC), DFB/DIB (no legacy bypass), Enable (EL1 may use ICC_SRE_EL1 later).
    IccSreEl2::write(IccSreEl2::read() | IccSre::Sre::make(true) | IccSre::Dfb::make(true) |
                     IccSre::Dib::make(true) | IccSre::Enable::make(true));
    isb();
    if (!IccSre::Sre::get(IccSreEl2::read())) return Errno::NoDev;

    IccPmrEl1::write(0xff);  // ICC_PMR_EL1: every priority passes
    IccBpr1El1::write(0);    // ICC_BPR1_EL1: smallest binary point (no grouping)
    IccCtlrEl1::write(IccCtlr::EoiMode::put(IccCtlrEl1::read(), true));
    IccIgrpen1El1::write(1);  // ICC_IGRPEN1_EL1.Enable: Group 1 signalled to this PE
    isb();
    return {};
}

bool ready() { return g_gic.ready; }
uint32_t intid_count() { return g_gic.intids; }

void enable(uint32_t intid)
{
    if (is_private_intid(intid)) {
        this_cpu().redist_sgi.write<gicr::Isenabler0>(bit_of(intid));
    } else if (intid < g_gic.intids) {
        g_gic.dist.write<gicd::Isenabler>(intid / 32, bit_of(intid));
    }
}

void disable(uint32_t intid)
{
    if (is_private_intid(intid)) {
        this_cpu().redist_sgi.write<gicr::Icenabler0>(bit_of(intid));
        (void)wait_redist_rwp(this_cpu().redist);
    } else if (intid < g_gic.intids) {
        g_gic.dist.write<gicd::Icenabler>(intid / 32, bit_of(intid));
        (void)wait_dist_rwp();
    }
}

void set_priority(uint32_t intid, uint8_t priority)
{
    if (is_private_intid(intid)) {
        this_cpu().redist_sgi.write<gicr::Ipriorityr>(intid, priority);
    } else if (intid < g_gic.intids) {
        g_gic.dist.write<gicd::Ipriorityr>(intid, priority);
    }
}

void set_edge_triggered(uint32_t intid, bool edge)
{
    // GICD_ICFGR<n> / GICR_ICFGR1: two bits per INTID, the upper one = edge.
    const uint32_t shift = (intid % 16) * 2 + 1;
    const auto update = [&](uint32_t v) {
        return edge ? (v | uint32_t{1} << shift) : (v & ~(uint32_t{1} << shift));
    };
    if (intid < kSgiCount) return;  // SGIs are always edge-triggered
    if (is_private_intid(intid)) {
        const MmioWindow& sgi = this_cpu().redist_sgi;
        sgi.write<gicr::Icfgr1>(update(sgi.read<gicr::Icfgr1>()));
    } else if (intid < g_gic.intids) {
        g_gic.dist.write<gicd::Icfgr>(intid / 16, update(g_gic.dist.read<gicd::Icfgr>(intid / 16)));
    }
}

void route(uint32_t intid, uint64_t mpidr)
{
    if (intid >= kFirstSpi && intid < g_gic.intids)
        g_gic.dist.write<gicd::Irouter>(intid, irouter_for(mpidr));
}

void set_spi_pending(uint32_t intid, bool pending)
{
    if (intid < kFirstSpi || intid >= g_gic.intids) return;
    if (pending) {
        g_gic.dist.write<gicd::Ispendr>(intid / 32, bit_of(intid));
    } else {
        g_gic.dist.write<gicd::Icpendr>(intid / 32, bit_of(intid));
    }
}

void clear_spi_active(uint32_t intid)
{
    if (intid >= kFirstSpi && intid < g_gic.intids)
        g_gic.dist.write<gicd::Icactiver>(intid / 32, bit_of(intid));
}

bool spi_enabled(uint32_t intid)
{
    if (intid < kFirstSpi || intid >= g_gic.intids) return false;
    return (g_gic.dist.read<gicd::Isenabler>(intid / 32) & bit_of(intid)) != 0;
}

bool spi_active(uint32_t intid)
{
    if (intid < kFirstSpi || intid >= g_gic.intids) return false;
    return (g_gic.dist.read<gicd::Isactiver>(intid / 32) & bit_of(intid)) != 0;
}

bool send_sgi(uint64_t mpidr, uint32_t sgi)
{
    if (sgi_needs_rss(mpidr) && !IccCtlr::Rss::get(IccCtlrEl1::read())) return false;
    // Stores the target will read (work bits, call queue) must be visible before
    // the SGI can arrive: system-register writes are not ordered against memory.
    dsb_ishst();
    IccSgi1rEl1::write(sgi1r_for(mpidr, sgi));
    isb();
    return true;
}

void send_sgi_to_others(uint32_t sgi)
{
    dsb_ishst();
    IccSgi1rEl1::write(sgi1r_broadcast(sgi));
    isb();
}

uint32_t acknowledge() { return IccIar::Intid::get(IccIar1El1::read()); }
void priority_drop(uint32_t intid) { IccEoir1El1::write(intid); }
void deactivate(uint32_t intid)
{
    IccDirEl1::write(intid);
    isb();  // the deactivation takes effect before interrupts can be taken again
}

}  // namespace keel::arm64::gic
