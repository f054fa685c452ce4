// SPDX-License-Identifier: MIT
//
// guests/common/gic.cpp
// Owns the guest GICv3 driver (see gic.hpp). Register offsets: GICv3 spec
// (IHI 0069), "The GIC Distributor register map" and "The GIC Redistributor
// register map".
#include "gic.hpp"

#include "arch.hpp"

namespace guest::gic {
namespace {

// GICD
constexpr uint64_t kGicdCtlr = 0x0000;
constexpr uint64_t kGicdTyper = 0x0004;
constexpr uint64_t kGicdIgroupr = 0x0080;
constexpr uint64_t kGicdIsenabler = 0x0100;
constexpr uint64_t kGicdIcenabler = 0x0180;
constexpr uint64_t kGicdIspendr = 0x0200;
constexpr uint64_t kGicdIsactiver = 0x0300;
constexpr uint64_t kGicdIpriorityr = 0x0400;
constexpr uint64_t kGicdIrouter = 0x6000;
constexpr uint32_t kCtlrEnableGrp1 = 1u << 0;   // EnableGrp1 (NS view: EnableGrp1NS)
constexpr uint32_t kCtlrEnableGrp1A = 1u << 1;  // EnableGrp1A
constexpr uint32_t kCtlrAreNs = 1u << 4;        // ARE_NS
constexpr uint32_t kCtlrRwp = 1u << 31;
// GICR RD_base
constexpr uint64_t kGicrWaker = 0x0014;
constexpr uint64_t kGicrTyper = 0x0008;
constexpr uint32_t kWakerProcessorSleep = 1u << 1;
constexpr uint32_t kWakerChildrenAsleep = 1u << 2;
constexpr uint64_t kTyperLast = 1u << 4;
// GICR SGI_base (RD_base + 64 KiB)
constexpr uint64_t kSgiBase = 0x10000;
constexpr uint64_t kGicrIgroupr0 = kSgiBase + 0x0080;
constexpr uint64_t kGicrIsenabler0 = kSgiBase + 0x0100;
constexpr uint64_t kGicrIcenabler0 = kSgiBase + 0x0180;
constexpr uint64_t kGicrIspendr0 = kSgiBase + 0x0200;
constexpr uint64_t kGicrIsactiver0 = kSgiBase + 0x0300;
constexpr uint64_t kGicrIpriorityr = kSgiBase + 0x0400;

constexpr uint32_t kPriority = 0xa0;
constexpr uint32_t kMaxRedistributors = 16;

constinit uint64_t g_rd[4] = {};  // per vCPU index (Aff0), set by init_cpu on that vCPU

uint32_t my_index() { return static_cast<uint32_t>(Mpidr::read() & 0xff); }

bool wait_clear(uint64_t addr, uint32_t bits)
{
    for (int i = 0; i < 1000000; ++i)
        if ((mmio_read32(addr) & bits) == 0) return true;
    return false;
}

}  // namespace

uint32_t gicd_typer() { return mmio_read32(kGicd + kGicdTyper); }

bool init_distributor()
{
    mmio_write32(kGicd + kGicdCtlr, kCtlrAreNs | kCtlrEnableGrp1A | kCtlrEnableGrp1);
    return wait_clear(kGicd + kGicdCtlr, kCtlrRwp);
}

bool init_cpu()
{
    const uint64_t mpidr = Mpidr::read();
    const uint64_t aff = (mpidr & 0xffffff) | ((mpidr >> 32 & 0xff) << 24);
    uint64_t rd = 0;
    for (uint32_t i = 0; i < kMaxRedistributors; ++i) {
        const uint64_t frame = kGicr0 + i * kGicrStride;
        const uint64_t typer = mmio_read64(frame + kGicrTyper);
        if ((typer >> 32) == aff) {
            rd = frame;
            break;
        }
        if ((typer & kTyperLast) != 0) break;
    }
    if (rd == 0) return false;
    const uint32_t index = my_index();
    if (index < 4) g_rd[index] = rd;

    mmio_write32(rd + kGicrWaker, mmio_read32(rd + kGicrWaker) & ~kWakerProcessorSleep);
    if (!wait_clear(rd + kGicrWaker, kWakerChildrenAsleep)) return false;
    mmio_write32(rd + kGicrIgroupr0, ~0u);
    mmio_write32(rd + kGicrIcenabler0, ~0u);
    for (uint32_t i = 0; i < 32; i += 4)
        mmio_write32(rd + kGicrIpriorityr + i, kPriority * 0x01010101u);

    IccSre::write(IccSre::read() | 1);  // SRE: system-register interface
    isb();
    IccPmr::write(0xff);
    IccBpr1::write(0);
    IccCtlr::write(0);  // EOImode 0
    IccIgrpen1::write(1);
    isb();
    return true;
}

uint64_t my_redistributor()
{
    const uint32_t index = my_index();
    return index < 4 ? g_rd[index] : 0;
}

void enable_private(uint32_t intid)
{
    mmio_write32(my_redistributor() + kGicrIsenabler0, 1u << intid);
    dsb();
}

void disable_private(uint32_t intid)
{
    mmio_write32(my_redistributor() + kGicrIcenabler0, 1u << intid);
    dsb();
}

bool private_pending(uint32_t intid)
{
    return (mmio_read32(my_redistributor() + kGicrIspendr0) >> intid & 1) != 0;
}

bool private_active(uint32_t intid)
{
    return (mmio_read32(my_redistributor() + kGicrIsactiver0) >> intid & 1) != 0;
}

bool spi_pending(uint32_t intid)
{
    return (mmio_read32(kGicd + kGicdIspendr + (intid / 32) * 4) >> (intid % 32) & 1) != 0;
}

bool spi_active(uint32_t intid)
{
    return (mmio_read32(kGicd + kGicdIsactiver + (intid / 32) * 4) >> (intid % 32) & 1) != 0;
}

void enable_spi(uint32_t intid, uint64_t aff)
{
    const uint64_t word = (intid / 32) * 4;
    const uint32_t bit = 1u << (intid % 32);
    mmio_write32(kGicd + kGicdIgroupr + word, mmio_read32(kGicd + kGicdIgroupr + word) | bit);
    const uint64_t prio = kGicd + kGicdIpriorityr + (intid & ~3u);
    const uint32_t shift = (intid % 4) * 8;
    mmio_write32(prio, (mmio_read32(prio) & ~(0xffu << shift)) | (kPriority << shift));
    mmio_write64(kGicd + kGicdIrouter + intid * 8ull, aff);
    mmio_write32(kGicd + kGicdIsenabler + word, bit);
    dsb();
}

void disable_spi(uint32_t intid)
{
    mmio_write32(kGicd + kGicdIcenabler + (intid / 32) * 4, 1u << (intid % 32));
    dsb();
}

void send_sgi(uint32_t sgi, uint32_t vcpu)
{
    // ICC_SGI1R_EL1: TargetList [15:0], Aff1 [23:16], INTID [27:24].
    const uint64_t v = (uint64_t{1} << (vcpu % 16)) | (uint64_t{vcpu / 16} << 16) |
                       (uint64_t{sgi & 0xf} << 24);
    dsb();
    IccSgi1r::write(v);
    isb();
}

}  // namespace guest::gic
