// SPDX-License-Identifier: MIT
//
// tests/unit/arch/arm64/vgic/vgic_fixture.hpp
// A domain with N vCPUs wired the way the domain builder wires them (Xen's
// virtual MPIDRs, d.vcpus[i]), with the vGIC reset, for the vGIC unit tests;
// plus small helpers to issue emulated register accesses.
#pragma once
#include <gtest/gtest.h>

#include <memory>

#include "arch/arm64/vgic/vgic_irq.hpp"
#include "arch/arm64/vgic/vgic_lr.hpp"
#include "arch/arm64/vgic/vgic_mmio.hpp"
#include "core/boot/guest_layout.hpp"
#include "core/domain/domain.hpp"
#include "core/domain/vcpu.hpp"

namespace keel::arm64::vgic::test {

struct VgicWorld {
    std::unique_ptr<Domain> d = std::make_unique<Domain>();
    std::unique_ptr<Vcpu[]> v;

    // `nr_spis`: the layout's SPI count (vgic_domain_init sets it before the reset).
    explicit VgicWorld(uint32_t vcpus = 4, uint32_t nr_spis = kVgicDomuSpis)
        : v{std::make_unique<Vcpu[]>(vcpus)}
    {
        d->id = 1;
        d->vcpu_count = vcpus;
        d->vgic.nr_spis = static_cast<uint16_t>(nr_spis);
        for (uint32_t i = 0; i < vcpus; ++i) {
            v[i].domain = d.get();
            v[i].id = i;
            v[i].vmpidr = vcpu_mpidr_affinity(i) | (uint64_t{1} << 31);
            d->vcpus[i] = &v[i];
        }
        reset_domain(*d);
        for (uint32_t i = 0; i < vcpus; ++i) reset_vcpu(v[i]);
    }

    // An emulated access: returns the outcome, the value read in `value`.
    MmioOutcome gicd(uint64_t offset, uint8_t size, bool write, uint64_t& value)
    {
        MmioAccess a{GuestPhysAddr{kGuestGicv3GicdBase + offset}, offset, size, write, value};
        const MmioOutcome o = vgicd_access(*d, a);
        value = a.value;
        return o;
    }
    uint64_t gicd_read(uint64_t offset, uint8_t size = 4)
    {
        uint64_t value = 0;
        EXPECT_EQ(gicd(offset, size, false, value).status, MmioStatus::Ok) << std::hex << offset;
        return value;
    }
    MmioOutcome gicd_write(uint64_t offset, uint64_t value, uint8_t size = 4)
    {
        return gicd(offset, size, true, value);
    }

    MmioOutcome gicr(uint64_t offset, uint8_t size, bool write, uint64_t& value)
    {
        MmioAccess a{GuestPhysAddr{kGuestGicv3Gicr0Base + offset}, offset, size, write, value};
        const MmioOutcome o = vgicr_access(*d, a);
        value = a.value;
        return o;
    }
    uint64_t gicr_read(uint64_t offset, uint8_t size = 4)
    {
        uint64_t value = 0;
        EXPECT_EQ(gicr(offset, size, false, value).status, MmioStatus::Ok) << std::hex << offset;
        return value;
    }
    MmioOutcome gicr_write(uint64_t offset, uint64_t value, uint8_t size = 4)
    {
        return gicr(offset, size, true, value);
    }

    // An LR file as vCPU i's CPU would hold it: `count` LRs, the used ones as keel left them.
    LrFile lrs(uint32_t i, uint32_t count = 4)
    {
        LrFile f;
        f.count = count;
        for (uint32_t n = 0; n < count; ++n) f.lr[n] = v[i].vgic.lr[n];
        return f;
    }
};

// Makes INTID `intid` of vCPU `vcpu` (or the SPI) enabled, pending, at `prio`.
inline void make_pending(VgicWorld& w, uint32_t vcpu, uint32_t intid, uint8_t prio)
{
    const IrqSlot s = irq_slot(*w.d, w.v[vcpu], intid);
    ASSERT_NE(s.bank, nullptr);
    s.bank->enabled |= s.bit;
    s.bank->priority[s.index] = prio;
    (void)mark_pending(*w.d, &w.v[vcpu], intid);
}

}  // namespace keel::arm64::vgic::test
