// SPDX-License-Identifier: MIT
//
// core/boot/guest_dt.cpp
// Owns build_guest_dt(): the dom0less domU device tree, node by node in the
// order Xen 4.17 prepare_dtb_domU() writes them (xen/arch/arm/domain_build.c):
// root cells, /chosen, /psci, /cpus, /memory, the GICv3, /timer, the vUART,
// /hypervisor. Interrupt specifiers follow Xen's set_interrupt(): <type irq
// (cpumask << 8) | flags> with PPI type 1, SPI type 0 and cpumask 0xf always.
#include "core/boot/guest_dt.hpp"

#include "lib/fdt_writer.hpp"
#include "lib/fmt.hpp"

namespace keel {
namespace {

constexpr uint64_t k2MiB = uint64_t{2} << 20;
constexpr uint64_t kExtRegionMin = uint64_t{64} << 20;  // Xen: "64MB is the minimum size"
constexpr uint32_t kIrqTypeLevelHigh = 0x4;             // DT_IRQ_TYPE_LEVEL_HIGH
constexpr uint32_t kIrqTypeLevelLow = 0x8;              // DT_IRQ_TYPE_LEVEL_LOW
constexpr uint32_t kAllCpus = 0xf;                      // Xen writes 0xf whatever the vCPU count
constexpr uint32_t kPsciCpuOff = 1;                     // Xen PSCI_cpu_off (PSCI 0.1 function ids)
constexpr uint32_t kPsciCpuOn = 2;                      // Xen PSCI_cpu_on
constexpr uint32_t kVuartBaud = 115200;

// One interrupt specifier, as Xen's set_interrupt(): INTID → (type, number, flags).
// The GUEST_*_PPI/SPI constants are INTIDs (PPI n is INTID 16 + n).
void set_interrupt(uint32_t* cells, uint32_t intid, uint32_t flags)
{
    const bool ppi = intid < 32;
    cells[0] = ppi ? 1 : 0;
    cells[1] = ppi ? intid - 16 : intid - 32;
    cells[2] = (kAllCpus << 8) | flags;
}

// A node name "<base>@<unit in hex>".
const char* unit_name(char* storage, size_t cap, const char* base, uint64_t unit)
{
    FmtBuffer b{storage, cap};
    format_to(b, "{}@{:x}", base, unit);
    return b.c_str();
}

Result<void> write_chosen(FdtWriter& w, const GuestDtParams& p)
{
    KEEL_TRY(w.begin_node("chosen"));
    if (p.bootargs != nullptr && p.bootargs[0] != '\0')
        KEEL_TRY(w.property_string("bootargs", p.bootargs));
    if (p.initrd.size != 0) {
        // make_chosen_node() writes 64-bit placeholders that initrd_load() patches.
        KEEL_TRY(w.property_u64("linux,initrd-start", p.initrd.base.raw()));
        KEEL_TRY(w.property_u64("linux,initrd-end", p.initrd.end().raw()));
    }
    return w.end_node();
}

Result<void> write_cpus(FdtWriter& w, const GuestDtParams& p)
{
    static constexpr char kDefaultCompat[] = "arm,armv8";
    const void* compat = p.cpu_compatible != nullptr ? p.cpu_compatible : kDefaultCompat;
    const size_t compat_len =
        p.cpu_compatible != nullptr ? p.cpu_compatible_len : sizeof kDefaultCompat;

    KEEL_TRY(w.begin_node("cpus"));
    KEEL_TRY(w.property_u32("#address-cells", 1));
    KEEL_TRY(w.property_u32("#size-cells", 0));
    for (uint32_t cpu = 0; cpu < p.vcpus; ++cpu) {
        const uint64_t aff = vcpu_mpidr_affinity(cpu);
        char name[24];
        KEEL_TRY(w.begin_node(unit_name(name, sizeof name, "cpu", aff)));
        // Xen's order: compatible, device_type, reg, clock-frequency, enable-method.
        KEEL_TRY(w.property("compatible", compat, compat_len));
        KEEL_TRY(w.property_string("device_type", "cpu"));
        KEEL_TRY(w.property_u32("reg", static_cast<uint32_t>(aff)));
        if (p.cpu_clock_frequency != 0)
            KEEL_TRY(w.property_u32("clock-frequency", p.cpu_clock_frequency));
        KEEL_TRY(w.property_string("enable-method", "psci"));
        KEEL_TRY(w.end_node());
    }
    return w.end_node();
}

Result<void> write_memory(FdtWriter& w, const GuestDtParams& p)
{
    // make_memory_node(): one node named after the first bank, all banks in "reg".
    char name[32];
    KEEL_TRY(w.begin_node(unit_name(name, sizeof name, "memory", p.ram.bank[0].base.raw())));
    KEEL_TRY(w.property_string("device_type", "memory"));
    uint64_t reg[2 * kGuestRamBanks];
    size_t n = 0;
    for (size_t i = 0; i < p.ram.count; ++i) {
        reg[n++] = p.ram.bank[i].base.raw();
        reg[n++] = p.ram.bank[i].size;
    }
    KEEL_TRY(w.property_values("reg", reg, n, kGuestRootAddressCells));
    return w.end_node();
}

Result<void> write_gicv3(FdtWriter& w)
{
    // make_gicv3_domU_node(): one redistributor region (GUEST_GICV3_RDIST_REGIONS).
    char name[40];
    KEEL_TRY(
        w.begin_node(unit_name(name, sizeof name, "interrupt-controller", kGuestGicv3GicdBase)));
    KEEL_TRY(w.property_u32("#address-cells", 0));
    KEEL_TRY(w.property_u32("#interrupt-cells", 3));
    KEEL_TRY(w.property_empty("interrupt-controller"));
    KEEL_TRY(w.property_string("compatible", "arm,gic-v3"));
    const uint64_t reg[] = {kGuestGicv3GicdBase, kGuestGicv3GicdSize, kGuestGicv3Gicr0Base,
                            kGuestGicv3Gicr0Size};
    KEEL_TRY(w.property_values("reg", reg, 4, kGuestRootAddressCells));
    KEEL_TRY(w.property_u32("linux,phandle", kGuestPhandleGic));
    KEEL_TRY(w.property_u32("phandle", kGuestPhandleGic));
    return w.end_node();
}

Result<void> write_timer(FdtWriter& w, const GuestDtParams& p)
{
    // make_timer_node(): secure phys, non-secure phys, virt; all level-low.
    uint32_t irqs[9];
    set_interrupt(irqs + 0, kGuestTimerPhysSPpi, kIrqTypeLevelLow);
    set_interrupt(irqs + 3, kGuestTimerPhysNsPpi, kIrqTypeLevelLow);
    set_interrupt(irqs + 6, kGuestTimerVirtPpi, kIrqTypeLevelLow);
    KEEL_TRY(w.begin_node("timer"));
    KEEL_TRY(w.property_string("compatible", "arm,armv8-timer"));
    KEEL_TRY(w.property_cells("interrupts", irqs, 9));
    KEEL_TRY(w.property_u32("interrupt-parent", kGuestPhandleGic));
    if (p.timer_clock_frequency != 0)
        KEEL_TRY(w.property_u32("clock-frequency", p.timer_clock_frequency));
    return w.end_node();
}

Result<void> write_vpl011(FdtWriter& w)
{
    // make_vpl011_uart_node(); GUEST_VPL011_SPI is INTID 32, i.e. SPI 0.
    char name[32];
    KEEL_TRY(w.begin_node(unit_name(name, sizeof name, "sbsa-uart", kGuestPl011Base)));
    KEEL_TRY(w.property_string("compatible", "arm,sbsa-uart"));
    const uint64_t reg[] = {kGuestPl011Base, kGuestPl011Size};
    KEEL_TRY(w.property_values("reg", reg, 2, kGuestRootAddressCells));
    uint32_t irq[3];
    set_interrupt(irq, kGuestVpl011Spi, kIrqTypeLevelHigh);
    KEEL_TRY(w.property_cells("interrupts", irq, 3));
    KEEL_TRY(w.property_u32("interrupt-parent", kGuestPhandleGic));
    KEEL_TRY(w.property_u32("current-speed", kVuartBaud));
    return w.end_node();
}

Result<void> write_hypervisor(FdtWriter& w, const GuestDtParams& p)
{
    // make_hypervisor_node(); Linux Documentation/devicetree/bindings/arm/xen.txt.
    char version[32];
    FmtBuffer vb{version, sizeof version};
    format_to(vb, "xen,xen-{}.{}", p.xen_major, p.xen_minor);
    const char* compat[] = {vb.c_str(), "xen,xen"};
    KEEL_TRY(w.begin_node("hypervisor"));
    KEEL_TRY(w.property_strings("compatible", compat, 2));
    uint64_t reg[2 * (1 + kMaxExtendedRegions)];
    reg[0] = kGuestGnttabBase;  // reg[0]: the grant-table window
    reg[1] = kGuestGnttabSize;
    GuestRange ext[kMaxExtendedRegions];
    const size_t next = guest_extended_regions(p.ram, p.ipa_bits, ext, kMaxExtendedRegions);
    for (size_t i = 0; i < next; ++i) {
        reg[2 + 2 * i] = ext[i].base.raw();
        reg[3 + 2 * i] = ext[i].size;
    }
    KEEL_TRY(w.property_values("reg", reg, 2 + 2 * next, kGuestRootAddressCells));
    uint32_t irq[3];
    set_interrupt(irq, kGuestEvtchnPpi, kIrqTypeLevelLow);
    KEEL_TRY(w.property_cells("interrupts", irq, 3));
    KEEL_TRY(w.property_u32("interrupt-parent", kGuestPhandleGic));
    return w.end_node();
}

Result<void> write_shared_memory(FdtWriter& w, const GuestDtParams& p)
{
    // Xen 4.17 make_resv_memory_node() / make_shm_memory_node(); Linux's
    // reserved-memory/xen,shared-memory.txt binding.
    KEEL_TRY(w.begin_node("reserved-memory"));
    KEEL_TRY(w.property_u32("#address-cells", kGuestRootAddressCells));
    KEEL_TRY(w.property_u32("#size-cells", kGuestRootSizeCells));
    KEEL_TRY(w.property_empty("ranges"));
    for (size_t i = 0; i < p.shm_count; ++i) {
        const GuestShmRegion& r = p.shm[i];
        char name[40];
        FmtBuffer nb{name, sizeof name};
        format_to(nb, "xen-shmem@{:x}", r.range.base.raw());
        KEEL_TRY(w.begin_node(nb.c_str()));
        KEEL_TRY(w.property_string("compatible", "xen,shared-memory-v1"));
        const uint64_t reg[] = {r.range.base.raw(), r.range.size};
        KEEL_TRY(w.property_values("reg", reg, 2, kGuestRootAddressCells));
        KEEL_TRY(w.property_string("xen,id", r.id != nullptr ? r.id : ""));
        KEEL_TRY(w.end_node());
    }
    return w.end_node();
}

Result<void> write_root_identity(FdtWriter& w, const GuestDtParams& p)
{
    // libxl_arm.c make_root_properties().
    char model[32];
    FmtBuffer mb{model, sizeof model};
    format_to(mb, "XENVM-{}.{}", p.xen_major, p.xen_minor);
    char compat0[32];
    FmtBuffer cb{compat0, sizeof compat0};
    format_to(cb, "xen,xenvm-{}.{}", p.xen_major, p.xen_minor);
    const char* compat[] = {cb.c_str(), "xen,xenvm"};
    KEEL_TRY(w.property_string("model", mb.c_str()));
    KEEL_TRY(w.property_strings("compatible", compat, 2));
    return w.property_u32("interrupt-parent", kGuestPhandleGic);
}

bool params_valid(const GuestDtParams& p)
{
    if (p.vcpus == 0 || p.vcpus > kGuestMaxVcpus) return false;
    if (p.ram.count == 0 || p.ram.count > kGuestRamBanks) return false;
    for (size_t i = 0; i < p.ram.count; ++i) {
        const GuestRange& b = p.ram.bank[i];
        if (b.size == 0 || b.base.raw() + b.size < b.base.raw()) return false;
    }
    if (p.initrd.size != 0 && p.initrd.base.raw() + p.initrd.size < p.initrd.base.raw())
        return false;
    if (p.shm_count > kGuestDtMaxShm) return false;
    if (p.cpu_compatible != nullptr) {
        const auto* c = static_cast<const uint8_t*>(p.cpu_compatible);
        if (p.cpu_compatible_len == 0 || c[p.cpu_compatible_len - 1] != 0) return false;
    }
    return true;
}

}  // namespace

Result<void> write_guest_psci_node(FdtWriter& w)
{
    static constexpr const char* kCompat[] = {"arm,psci-1.0", "arm,psci-0.2", "arm,psci"};
    KEEL_TRY(w.begin_node("psci"));
    KEEL_TRY(w.property_strings("compatible", kCompat, 3));
    KEEL_TRY(w.property_string("method", "hvc"));
    KEEL_TRY(w.property_u32("cpu_off", kPsciCpuOff));
    KEEL_TRY(w.property_u32("cpu_on", kPsciCpuOn));
    return w.end_node();
}

size_t guest_extended_regions(const GuestRamBanks& ram, uint32_t ipa_bits, GuestRange* out,
                              size_t max)
{
    if (ipa_bits == 0 || out == nullptr) return 0;
    static constexpr uint64_t kBankBase[kGuestRamBanks] = {kGuestRam0Base, kGuestRam1Base};
    static constexpr uint64_t kBankSize[kGuestRamBanks] = {kGuestRam0Size, kGuestRam1Size};
    const uint64_t ipa_last = ipa_bits >= 64 ? ~uint64_t{0} : (uint64_t{1} << ipa_bits) - 1;
    size_t n = 0;
    for (size_t i = 0; i < kGuestRamBanks && n < max; ++i) {
        const uint64_t given = i < ram.count ? ram.bank[i].size : 0;
        if (given > kBankSize[i]) continue;
        const uint64_t start = align_up(kBankBase[i] + given, k2MiB);
        uint64_t last = kBankBase[i] + kBankSize[i] - 1;
        if (ipa_last < last) last = ipa_last;
        if (last <= start) continue;
        const uint64_t size = last - start + 1;
        if (size < kExtRegionMin) continue;
        out[n++] = GuestRange{GuestPhysAddr{start}, size};
    }
    return n;
}

Result<size_t> build_guest_dt(const GuestDtParams& p, void* buf, size_t capacity)
{
    if (!params_valid(p)) return Errno::Inval;
    FdtWriter w{buf, capacity};
    KEEL_TRY(w.begin_node(""));
    if (p.xenvm_root_identity) KEEL_TRY(write_root_identity(w, p));
    KEEL_TRY(w.property_u32("#address-cells", kGuestRootAddressCells));
    KEEL_TRY(w.property_u32("#size-cells", kGuestRootSizeCells));
    KEEL_TRY(write_chosen(w, p));
    KEEL_TRY(write_guest_psci_node(w));
    KEEL_TRY(write_cpus(w, p));
    KEEL_TRY(write_memory(w, p));
    KEEL_TRY(write_gicv3(w));
    KEEL_TRY(write_timer(w, p));
    if (p.vpl011) KEEL_TRY(write_vpl011(w));
    if (p.xen_enhanced) KEEL_TRY(write_hypervisor(w, p));
    if (p.shm_count != 0) KEEL_TRY(write_shared_memory(w, p));
    KEEL_TRY(w.end_node());
    return w.finish();
}

}  // namespace keel
