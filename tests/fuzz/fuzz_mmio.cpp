// SPDX-License-Identifier: MIT
//
// tests/fuzz/fuzz_mmio.cpp
// Harness 3: what a guest controls in an emulated device access. The input is
// a sequence of operations on one fake domain (1-8 vCPUs, wired as the domain
// builder wires them, vGIC reset):
//  - a stage-2 data abort: random ESR ISS decoded (decode_abort_iss,
//    hpfar_valid, store value / load result against a random TrapFrame), then
//    routed through an MmioRegions table (GICD, GICR, vPL011 windows) to the
//    emulation with a random IPA, size and value;
//  - direct distributor / redistributor accesses at random offsets, sizes
//    (including the illegal ones) and values;
//  - vPL011 accesses and input bytes;
//  - interrupts made pending, ICC_SGI1R_EL1 writes decoded, and the list
//    registers filled and synced (the hardware only changes an LR's state
//    bits, so that is all the harness changes in them);
//  - ESR decode of arbitrary values (exception class names).
// Invariants: a refused access never changes the guest register; the update
// mask names only existing vCPUs; SGI targets too; the vPL011 FIFO stays within
// its size; KEEL_CHECKs inside the emulation abort.
#include <fuzzer/FuzzedDataProvider.h>

#include <cstdio>
#include <cstdint>
#include <cstring>
#include <memory>

#include "arch/arm64/regs/esr.hpp"
#include "arch/arm64/vcpu/stage2_fault.hpp"
#include "arch/arm64/vcpu/sysreg_iss.hpp"
#include "arch/arm64/vgic/vgic_irq.hpp"
#include "arch/arm64/vgic/vgic_lr.hpp"
#include "arch/arm64/vgic/vgic_mmio.hpp"
#include "arch/arm64/vgic/vgic_sgi.hpp"
#include "core/boot/guest_layout.hpp"
#include "core/console/vpl011.hpp"
#include "core/domain/domain.hpp"
#include "core/domain/mmio.hpp"
#include "core/domain/vcpu.hpp"

using namespace keel;
using namespace keel::arm64;
using namespace keel::arm64::vgic;

namespace {

void fuzz_assert(bool ok, const char* what)
{
    if (!ok) {
        std::fprintf(stderr, "fuzz_mmio: invariant broken: %s\n", what);
        __builtin_trap();
    }
}

constexpr uint64_t kUartBase = 0x22000000;

struct World {
    std::unique_ptr<Domain> d = std::make_unique<Domain>();
    std::unique_ptr<Vcpu[]> v;
    uint32_t n;
    Vpl011State uart;
    MmioRegions regions;
    uint32_t all_mask;

    // `nr_spis`: the vGIC layout's SPI count (domU 32, dom0 up to kVgicMaxSpis);
    // `hw`: which SPI banks' bits are hardware-linked (dom0's host SPIs).
    World(uint32_t vcpus, uint32_t nr_spis, uint64_t hw) : v{std::make_unique<Vcpu[]>(vcpus)}, n{vcpus}
    {
        d->id = 1;
        d->vcpu_count = vcpus;
        d->vgic.nr_spis = static_cast<uint16_t>(nr_spis);
        for (uint32_t b = 0; b < nr_spis / 32; ++b) {
            d->vgic.spi[b].hw = static_cast<uint32_t>(hw >> (b % 2 * 32));
            d->vgic.hw_count = static_cast<uint16_t>(d->vgic.hw_count + __builtin_popcount(d->vgic.spi[b].hw));
        }
        for (uint32_t i = 0; i < vcpus; ++i) {
            v[i].domain = d.get();
            v[i].id = i;
            v[i].vmpidr = vcpu_mpidr_affinity(i) | (uint64_t{1} << 31);
            d->vcpus[i] = &v[i];
        }
        reset_domain(*d);
        for (uint32_t i = 0; i < vcpus; ++i) reset_vcpu(v[i]);
        vpl011_reset(uart);
        all_mask = vcpus >= 32 ? ~0u : (1u << vcpus) - 1;
        fuzz_assert(regions.add(MmioRegion{GuestPhysAddr{kGuestGicv3GicdBase}, kGuestGicv3GicdSize, gicd_handler,
                                           this, "gicd"}),
                    "gicd region");
        fuzz_assert(regions.add(MmioRegion{GuestPhysAddr{kGuestGicv3Gicr0Base}, vcpus * kVgicRedistStride,
                                           gicr_handler, this, "gicr"}),
                    "gicr region");
        fuzz_assert(regions.add(MmioRegion{GuestPhysAddr{kUartBase}, 0x1000, uart_handler, this, "uart"}),
                    "uart region");
        // Overlaps are refused.
        fuzz_assert(!regions.add(MmioRegion{GuestPhysAddr{kUartBase + 0x800}, 0x1000, uart_handler, this, "x"}),
                    "overlapping region refused");
    }

    void check_update(const MmioOutcome& o) const
    {
        fuzz_assert((o.update & ~all_mask) == 0, "update mask names only existing vCPUs");
        const HwSpiEffect& e = o.hw;
        if (!e.any()) return;
        // Physical actions only for hardware-linked SPIs the domain has.
        fuzz_assert(e.first_intid >= 32 && e.first_intid % 32 == 0 && e.first_intid < 32u + d->vgic.nr_spis,
                    "hw effect names one of the domain's SPI banks");
        const uint32_t hw = d->vgic.spi[(e.first_intid - 32) / 32].hw;
        fuzz_assert(((e.enable | e.disable | e.set_pending | e.clear_pending | e.release | e.route) & ~hw) == 0,
                    "hw effect only for hardware-linked SPIs");
        fuzz_assert((e.enable & e.disable) == 0, "enable and disable never together");
    }

    static bool gicd_handler(Vcpu&, MmioAccess& a, void* ctx)
    {
        auto* w = static_cast<World*>(ctx);
        const MmioOutcome o = vgicd_access(*w->d, a);
        w->check_update(o);
        return o.status != MmioStatus::BadAccess;
    }
    static bool gicr_handler(Vcpu&, MmioAccess& a, void* ctx)
    {
        auto* w = static_cast<World*>(ctx);
        const MmioOutcome o = vgicr_access(*w->d, a);
        w->check_update(o);
        return o.status != MmioStatus::BadAccess;
    }
    static bool uart_handler(Vcpu&, MmioAccess& a, void* ctx)
    {
        auto* w = static_cast<World*>(ctx);
        return vpl011_access(w->uart, a, false, w->out()).ok;
    }

    static void sink(void*, const char* t, uint32_t len)
    {
        for (uint32_t i = 0; i < len; ++i) (void)*(volatile const char*)(t + i);
    }
    Vpl011Output out()
    {
        Vpl011Output o;
        o.line = sink;
        o.raw = sink;
        return o;
    }
};

uint8_t pick_size(FuzzedDataProvider& in)
{
    static constexpr uint8_t kSizes[] = {1, 2, 4, 8, 4, 4, 8, 3, 0, 16};
    return kSizes[in.ConsumeIntegralInRange<size_t>(0, sizeof kSizes - 1)];
}

// A guest MMIO access as the trap path makes it: ISS decoded, the region found,
// the handler called, the register written back on a load.
void data_abort(World& w, FuzzedDataProvider& in)
{
    const uint32_t iss = in.ConsumeIntegral<uint32_t>() & 0x01ff'ffff;
    const AbortSyndrome s = decode_abort_iss(iss);
    fuzz_assert(s.size == 1 || s.size == 2 || s.size == 4 || s.size == 8, "decoded size");
    fuzz_assert(s.reg <= kXzr, "decoded register");
    (void)hpfar_valid(s);
    TrapFrame f{};
    for (auto& x : f.x) x = in.ConsumeIntegral<uint64_t>();
    const TrapFrame before = f;
    if (!s.isv) return;  // no syndrome: keel injects an abort, nothing to decode
    static constexpr uint64_t kBases[] = {kGuestGicv3GicdBase, kGuestGicv3Gicr0Base, kUartBase, 0};
    const uint64_t base = kBases[in.ConsumeIntegralInRange<size_t>(0, 3)];
    const uint64_t ipa = base + (in.ConsumeBool() ? in.ConsumeIntegralInRange<uint64_t>(0, 0x40000)
                                                  : in.ConsumeIntegral<uint64_t>());
    const MmioRegion* r = w.regions.find(GuestPhysAddr{ipa}, s.size);
    if (r == nullptr) return;  // abort injected
    fuzz_assert(ipa >= r->base.raw() && ipa - r->base.raw() + s.size <= r->size, "find() gives a containing region");
    MmioAccess a{GuestPhysAddr{ipa}, ipa - r->base.raw(), s.size, s.write,
                 s.write ? mmio_store_value(f, s) : 0};
    if (s.write && s.size < 8) fuzz_assert(a.value >> (8 * s.size) == 0, "store value truncated");
    const bool ok = r->handler(*w.d->vcpus[0], a, r->ctx);
    if (ok && !s.write) mmio_complete_load(f, s, a.value);
    if (!ok || s.write || s.reg == kXzr) fuzz_assert(std::memcmp(&f, &before, sizeof f) == 0, "registers untouched");
    if (ok && !s.write && s.reg != kXzr && !s.sf) fuzz_assert(f.x[s.reg] >> 32 == 0, "W register upper half zero");
}

void gic_access(World& w, FuzzedDataProvider& in, bool redist)
{
    const uint64_t limit = redist ? uint64_t{w.n} * kVgicRedistStride + 0x100 : kGuestGicv3GicdSize + 0x100;
    const uint64_t offset = in.ConsumeBool() ? in.ConsumeIntegralInRange<uint64_t>(0, 0x1000) * 4
                                             : in.ConsumeIntegralInRange<uint64_t>(0, limit);
    const uint8_t size = pick_size(in);
    const bool write = in.ConsumeBool();
    const uint64_t value = in.ConsumeIntegral<uint64_t>();
    const uint64_t base = redist ? kGuestGicv3Gicr0Base : kGuestGicv3GicdBase;
    MmioAccess a{GuestPhysAddr{base + offset}, offset, size, write, value};
    const MmioOutcome o = redist ? vgicr_access(*w.d, a) : vgicd_access(*w.d, a);
    w.check_update(o);
    if (o.status == MmioStatus::Ok && !write && size < 8) fuzz_assert(a.value >> (8 * size) == 0, "read fits its size");
}

void uart_access(World& w, FuzzedDataProvider& in)
{
    const uint64_t offset = in.ConsumeBool() ? in.ConsumeIntegralInRange<uint64_t>(0, 0x50)
                                             : in.ConsumeIntegralInRange<uint64_t>(0, 0x1000);
    MmioAccess a{GuestPhysAddr{kUartBase + offset}, offset, pick_size(in), in.ConsumeBool(),
                 in.ConsumeIntegral<uint64_t>()};
    (void)vpl011_access(w.uart, a, in.ConsumeBool(), w.out());
    fuzz_assert(w.uart.rx_count <= kVpl011RxFifoSize && w.uart.line_len <= kVpl011LineMax, "uart state bounded");
}

void list_registers(World& w, FuzzedDataProvider& in)
{
    Vcpu& v = w.v[in.ConsumeIntegralInRange<uint32_t>(0, w.n - 1)];
    LrFile f;
    f.count = in.ConsumeIntegralInRange<uint32_t>(1, kVgicMaxLrs);
    for (uint32_t i = 0; i < f.count; ++i) f.lr[i] = v.vgic.lr[i];
    // What the hardware may do meanwhile: change an LR's state (bits 63:62). A
    // hardware-linked LR never becomes pending+active (the physical interrupt
    // cannot fire again while it is active), so the model does not make it so.
    for (uint32_t i = 0; i < f.count; ++i) {
        if (!in.ConsumeBool()) continue;
        uint64_t state = in.ConsumeIntegralInRange<uint32_t>(0, 3);
        if (lr_hw(f.lr[i]) && state == 3) state = 2;
        f.lr[i] = (f.lr[i] & ~(uint64_t{3} << 62)) | (state << 62);
    }
    (void)lr_sync(*w.d, v, f);
    HwLink hw;
    if (in.ConsumeBool()) hw = HwLink{27, 27};
    (void)lr_fill(*w.d, v, f, hw);
    for (uint32_t i = 0; i < f.count; ++i) {
        const uint64_t lr = f.lr[i];
        if (!(v.vgic.lr_used & (1u << i)) || !lr_hw(lr) || lr_intid(lr) < 32) continue;
        // A hardware-linked SPI: linked to the same physical INTID, never pending+active.
        fuzz_assert(IchLr::PIntid::get(lr) == lr_intid(lr) && lr_state(lr) != LrState::PendingActive,
                    "hardware-linked SPI LR: pINTID = vINTID, not pending+active");
    }
    if (in.ConsumeBool()) lr_fold_all(*w.d, v, f);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size)
{
    FuzzedDataProvider in{data, size};
    const uint32_t vcpus = in.ConsumeIntegralInRange<uint32_t>(1, kMaxVcpusPerDomain);
    const bool host_layout = in.ConsumeBool();  // dom0: more SPIs, some hardware-linked
    const uint32_t nr_spis = host_layout ? 32 * in.ConsumeIntegralInRange<uint32_t>(1, kVgicMaxSpis / 32) : kVgicDomuSpis;
    World w{vcpus, nr_spis, host_layout ? in.ConsumeIntegral<uint64_t>() : 0};
    for (int step = 0; step < 256 && in.remaining_bytes() > 0; ++step) {
        switch (in.ConsumeIntegralInRange<int>(0, 8)) {
        case 0: data_abort(w, in); break;
        case 1:
        case 2: gic_access(w, in, false); break;
        case 3:
        case 4: gic_access(w, in, true); break;
        case 5: uart_access(w, in); break;
        case 6: {
            const uint8_t c = in.ConsumeIntegral<uint8_t>();
            (void)vpl011_receive(w.uart, static_cast<char>(c));
            if (in.ConsumeBool()) vpl011_flush(w.uart, w.out());
            fuzz_assert(w.uart.rx_count <= kVpl011RxFifoSize, "rx FIFO bounded");
            break;
        }
        case 7: {
            const uint32_t intid = in.ConsumeIntegralInRange<uint32_t>(0, kVgicIntidLimit + 8);
            Vcpu& v = w.v[in.ConsumeIntegralInRange<uint32_t>(0, w.n - 1)];
            if (intid < kVgicIntidLimit) {
                if (in.ConsumeBool()) {  // a modelled device line (vPL011, physical timer)
                    (void)set_line(*w.d, in.ConsumeBool() ? &v : nullptr, intid, in.ConsumeBool());
                } else {
                    (void)mark_pending(*w.d, &v, intid);
                }
            }
            const SgiTargets t = decode_sgi1r(*w.d, v, in.ConsumeIntegral<uint64_t>());
            fuzz_assert(t.intid < 16 && (t.vcpus & ~w.all_mask) == 0, "SGI targets existing vCPUs");
            break;
        }
        case 8: {
            list_registers(w, in);
            const uint64_t esr = in.ConsumeIntegral<uint32_t>();
            (void)exception_class_name(Esr::Ec::get(esr));
            (void)decode_sysreg_iss(static_cast<uint32_t>(Esr::Iss::get(esr)));
            break;
        }
        }
    }
    return 0;
}
