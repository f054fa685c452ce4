// SPDX-License-Identifier: MIT
//
// tests/unit/core/boot/dom0less_test.cpp
// Checks parse_dom0less() on the /chosen that 03-xen-dom0less.sh feeds real Xen
// (two domUs sharing kernel and initramfs), on the other spellings Xen's binding
// allows, and on one bad domain node per rule: the exact error line, the bad
// domain skipped, the good domains around it still parsed with stable domids.
#include "core/boot/dom0less.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "../../support/dtb_builder.hpp"
#include "lib/cstr.hpp"
#include "lib/fdt.hpp"
#include "lib/fdt_writer.hpp"

namespace keel {
namespace {

using test::Blob;
using test::load_fixture;

constexpr uint64_t kKernelSize = 0x1f7a200;   // Debian 6.1 vmlinuz, as the anchor loads it
constexpr uint64_t kBadImageAt = 0x64000000;  // the reader returns zeros here

// The Image header of Debian's vmlinuz-6.1.0-56-arm64 (booting.rst layout):
// text_offset 0, image_size 0x2010000, flags 0xa, magic "ARM\x64".
void debian_header(uint8_t* h)
{
    std::memset(h, 0, kArm64ImageHeaderSize);
    h[0] = 'M';
    h[1] = 'Z';
    h[16] = 0x00;
    h[17] = 0x00;
    h[18] = 0x01;
    h[19] = 0x02;  // image_size 0x02010000, little endian
    h[24] = 0x0a;  // flags
    h[56] = 'A';
    h[57] = 'R';
    h[58] = 'M';
    h[59] = 0x64;
}

struct FakeMemory {
    int reads = 0;
};

bool read_module(void* ctx, PhysAddr at, void* dst, size_t len)
{
    auto* mem = static_cast<FakeMemory*>(ctx);
    ++mem->reads;
    uint8_t h[kArm64ImageHeaderSize];
    debian_header(h);
    if (at.raw() == kBadImageAt) std::memset(h, 0, sizeof h);
    std::memcpy(dst, h, len < sizeof h ? len : sizeof h);
    return true;
}

BootInfo host_2g()
{
    BootInfo b;
    b.memory[0] = PhysRange{PhysAddr{0x40000000}, 0x80000000};
    b.memory_count = 1;
    return b;
}

const ForbiddenRange kForbidden[] = {
    {PhysRange{PhysAddr{0x40000000}, 0x200000}, "keel image"},
    {PhysRange{PhysAddr{0x48000000}, 0x100000}, "the device tree"},
};

class Dom0less : public ::testing::Test {
protected:
    size_t parse(const char* fixture, Dom0lessLimits limits = {})
    {
        blob_ = load_fixture(fixture);
        EXPECT_FALSE(blob_.empty()) << fixture;
        EXPECT_EQ(Fdt::check(blob_.data(), blob_.size()), FdtError::None);
        fdt_ = new (fdt_storage_) Fdt{blob_.data(), blob_.size()};
        if (limits.forbidden == nullptr) {
            limits.forbidden = kForbidden;
            limits.forbidden_count = 2;
        }
        limits.read_module = read_module;
        limits.reader_ctx = &mem_;
        return parse_dom0less(*fdt_, boot_, limits, specs_, kMaxDom0lessDomains, diag_);
    }

    std::string lines() const
    {
        std::string all;
        for (size_t i = 0; i < diag_.count(); ++i) all += std::string(diag_.line(i)) + "\n";
        return all;
    }

    // Exactly one line equal to `text`, and it is an error line.
    void expect_error(const char* text) const
    {
        int found = 0;
        for (size_t i = 0; i < diag_.count(); ++i)
            if (std::strcmp(diag_.line(i), text) == 0) {
                ++found;
                EXPECT_TRUE(diag_.is_error(i)) << text;
            }
        EXPECT_EQ(found, 1) << "missing: " << text << "\n" << lines();
    }

    const DomainSpec* find(const char* name, size_t n) const
    {
        for (size_t i = 0; i < n; ++i)
            if (std::strcmp(specs_[i].name, name) == 0) return &specs_[i];
        return nullptr;
    }

    Blob blob_;
    alignas(Fdt) unsigned char fdt_storage_[sizeof(Fdt)];
    Fdt* fdt_ = nullptr;
    BootInfo boot_ = host_2g();
    FakeMemory mem_;
    DomainSpec specs_[kMaxDom0lessDomains];
    Dom0lessDiagnostics diag_;
};

TEST_F(Dom0less, AnchorTwoDomUs)
{
    ASSERT_EQ(parse("dom0less_anchor.dtb"), 2u) << lines();
    EXPECT_EQ(diag_.errors(), 0u) << lines();
    EXPECT_EQ(diag_.count(), 0u) << lines();
    EXPECT_EQ(diag_.domains_seen(), 2u);
    EXPECT_EQ(diag_.domains_skipped(), 0u);
    EXPECT_FALSE(dom0less_has_dom0(*fdt_));

    for (int i = 0; i < 2; ++i) {
        const DomainSpec& d = specs_[i];
        const std::string name = "domU" + std::to_string(i + 1);
        EXPECT_EQ(d.name, name);
        EXPECT_EQ(d.domid, i + 1);
        EXPECT_EQ(d.memory_kib, 0x40000u);
        EXPECT_EQ(d.memory_bytes(), 256u << 20);
        EXPECT_EQ(d.vcpus, 2u);
        EXPECT_TRUE(d.vpl011);
        EXPECT_EQ(d.enhanced, XenEnhanced::Disabled);  // absent: PV interfaces off
        ASSERT_TRUE(d.kernel.present());
        EXPECT_EQ(d.kernel.range.base, PhysAddr{0x50000000});
        EXPECT_EQ(d.kernel.range.size, kKernelSize);
        ASSERT_TRUE(d.ramdisk.present());
        EXPECT_EQ(d.ramdisk.range.base, PhysAddr{0x52000000});
        EXPECT_EQ(d.ramdisk.range.size, 0x1a3b2cu);
        EXPECT_FALSE(d.device_tree.present());
        const std::string args =
            "console=ttyAMA0 earlycon=pl011,0x22000000 rdinit=/init anchor.role=domu" +
            std::to_string(i + 1) + " anchor.action=poweroff";
        ASSERT_NE(d.bootargs, nullptr);
        EXPECT_EQ(d.bootargs, args);
        EXPECT_EQ(d.kernel.bootargs, d.bootargs);
        ASSERT_TRUE(d.image_checked);
        EXPECT_EQ(d.image.text_offset, 0u);
        EXPECT_EQ(d.image.image_size, 0x2010000u);
        EXPECT_EQ(d.image.page_size_kib, 4u);
        EXPECT_TRUE(d.image.place_anywhere);
        EXPECT_FALSE(d.direct_map);
        EXPECT_EQ(d.evtchn_nodes, 0u);
    }
    EXPECT_EQ(mem_.reads, 2);
}

TEST_F(Dom0less, WithoutReaderTheImageIsNotChecked)
{
    blob_ = load_fixture("dom0less_anchor.dtb");
    Fdt fdt{blob_.data(), blob_.size()};
    Dom0lessLimits limits;
    ASSERT_EQ(parse_dom0less(fdt, boot_, limits, specs_, kMaxDom0lessDomains, diag_), 2u);
    EXPECT_FALSE(specs_[0].image_checked);
}

TEST_F(Dom0less, VariantsAndRecordedProperties)
{
    const size_t n = parse("dom0less_variants.dtb");
    EXPECT_EQ(diag_.errors(), 0u) << lines();
    ASSERT_EQ(n, 5u) << lines();
    EXPECT_TRUE(dom0less_has_dom0(*fdt_));
    EXPECT_EQ(diag_.domains_seen(), 5u);  // "not-a-domain" is not counted

    const DomainSpec* legacy = find("legacy", n);
    ASSERT_NE(legacy, nullptr);
    EXPECT_EQ(legacy->domid, 1);  // domUs are numbered from 1 with a dom0 too (Xen)
    EXPECT_EQ(legacy->memory_kib, 131072u);
    EXPECT_EQ(legacy->vcpus, 1u);
    EXPECT_FALSE(legacy->vpl011);
    EXPECT_EQ(legacy->enhanced, XenEnhanced::Enabled);  // empty value
    EXPECT_EQ(legacy->kernel.range.base, PhysAddr{0x60000000});
    EXPECT_EQ(legacy->kernel.range.size, 0xffffffu);  // #size-cells = <1>
    EXPECT_STREQ(legacy->bootargs, "console=hvc0");
    EXPECT_EQ(legacy->ramdisk.range.base, PhysAddr{0x61000000});

    const DomainSpec* plain = find("plain", n);
    ASSERT_NE(plain, nullptr);
    EXPECT_EQ(plain->domid, 2);
    EXPECT_EQ(plain->memory_kib, 0x20000u);
    EXPECT_EQ(plain->vcpus, 4u);
    EXPECT_TRUE(plain->vpl011);
    EXPECT_EQ(plain->enhanced, XenEnhanced::NoXenstore);
    EXPECT_EQ(plain->kernel.range.base, PhysAddr{0x62000000});  // first plain module
    EXPECT_STREQ(plain->bootargs, "console=ttyAMA0");
    EXPECT_EQ(plain->ramdisk.range.base, PhysAddr{0x63000000});  // second plain module
    ASSERT_TRUE(plain->device_tree.present());
    EXPECT_EQ(plain->device_tree.range.base, PhysAddr{0x63200000});
    EXPECT_TRUE(plain->direct_map);
    EXPECT_NE(plain->cpupool_phandle, 0u);
    EXPECT_EQ(plain->nr_spis, 64u);
    EXPECT_EQ(plain->p2m_mem_mb, 8u);

    EXPECT_EQ(find("disabled", n)->enhanced, XenEnhanced::Disabled);
    EXPECT_EQ(find("enabled", n)->enhanced, XenEnhanced::Enabled);
    EXPECT_EQ(find("odd", n)->enhanced, XenEnhanced::Disabled);
    EXPECT_EQ(find("odd", n)->domid, 5);
    EXPECT_STREQ(xen_enhanced_name(plain->enhanced), "no-xenstore");

    const char* notes[] = {
        "dom0less: plain: note: memory is one cell; Xen requires two (<0x0 KiB>)",
        "dom0less: plain: note: direct-map is not supported yet; ignored",
        "dom0less: plain: note: domain-cpupool is not supported yet; ignored",
        "dom0less: plain: note: module@63100000: third plain module ignored",
        "dom0less: plain: note: module@63200000: partial device tree recorded, not used yet",
        "dom0less: odd: note: xen,enhanced \"sometimes\" is unknown; PV interfaces disabled",
    };
    for (const char* note : notes) {
        bool found = false;
        for (size_t i = 0; i < diag_.count(); ++i)
            if (std::strcmp(diag_.line(i), note) == 0) {
                found = true;
                EXPECT_FALSE(diag_.is_error(i));
            }
        EXPECT_TRUE(found) << "missing: " << note << "\n" << lines();
    }
}

TEST_F(Dom0less, EachBadDomainIsSkippedWithOneErrorLine)
{
    const size_t n = parse("dom0less_bad.dtb");
    EXPECT_EQ(diag_.dropped(), 0u) << lines();

    // The good domains around the bad ones are parsed and keep their DT position as domid.
    ASSERT_EQ(n, 3u) << lines();
    EXPECT_STREQ(specs_[0].name, "good1");
    EXPECT_EQ(specs_[0].domid, 1);
    EXPECT_STREQ(specs_[1].name, "capped-cpus");
    EXPECT_STREQ(specs_[2].name, "good2");
    EXPECT_EQ(specs_[2].domid, 21);
    EXPECT_EQ(specs_[2].vcpus, 1u);
    EXPECT_EQ(diag_.domains_seen(), 21u);
    EXPECT_EQ(diag_.domains_skipped(), 18u);

    const char* errors[] = {
        "dom0less: no-memory: memory: missing",
        "dom0less: zero-memory: memory: zero",
        "dom0less: odd-memory: memory: 1023 KiB is not a multiple of 4 KiB",
        "dom0less: huge-memory: memory: 4194304 KiB is more than host RAM (2097152 KiB)",
        "dom0less: long-memory: memory: 12 bytes, expected 2 cells (KiB as a 64-bit value)",
        "dom0less: no-cpus: cpus: missing",
        "dom0less: zero-cpus: cpus: zero",
        "dom0less: many-cpus: cpus: 200 is more than the limit of 128",
        "dom0less: no-kernel: no kernel module (multiboot,kernel)",
        "dom0less: overlap: kernel module@50000000: [0x50000000-0x51f7a200) overlaps ramdisk "
        "module@51000000",
        "dom0less: keel-overlap: kernel module@40100000: [0x40100000-0x4207a200) overlaps keel "
        "image [0x40000000-0x40200000)",
        "dom0less: outside: ramdisk module@100000000: [0x100000000-0x1001a3b2c) is outside host "
        "RAM",
        "dom0less: straddle: kernel module@bff00000: [0xbff00000-0xc0100000) is outside host RAM",
        "dom0less: short-reg: module@50000000: reg: missing or malformed",
        "dom0less: zero-size: module@50000000: reg: size is zero",
        "dom0less: two-kernels: more than one kernel module (module@50000000 and module@54000000)",
        "dom0less: bad-image: kernel module@64000000: bad Image header: bad magic 0x00000000 at "
        "offset 56 (expected 0x644d5241)",
        "dom0less: big-file: kernel module@62000000: bad Image header: image_size 0x2010000 is "
        "smaller than the file (0x3000000 bytes)",
    };
    for (const char* e : errors) expect_error(e);
    // One error per bad domain, nothing else.
    EXPECT_EQ(diag_.errors(), sizeof errors / sizeof errors[0]) << lines();
    EXPECT_TRUE(diag_.contains("dom0less: no-memory: domain skipped"));
    EXPECT_FALSE(diag_.contains("good1"));
    EXPECT_FALSE(diag_.contains("good2"));
}

TEST_F(Dom0less, VcpuCapIsConfigurable)
{
    Dom0lessLimits limits;
    limits.max_vcpus = 4;
    const size_t n = parse("dom0less_bad.dtb", limits);
    ASSERT_EQ(n, 2u) << lines();
    expect_error("dom0less: capped-cpus: cpus: 8 is more than the limit of 4");
    expect_error("dom0less: many-cpus: cpus: 200 is more than the limit of 4");
}

TEST_F(Dom0less, CapAboveGuestMaxVcpusIsClamped)
{
    Dom0lessLimits limits;
    limits.max_vcpus = 1000;
    parse("dom0less_bad.dtb", limits);
    expect_error("dom0less: many-cpus: cpus: 200 is more than the limit of 128");
}

TEST_F(Dom0less, ForbiddenRangesComeFromTheCaller)
{
    const ForbiddenRange heap[] = {{PhysRange{PhysAddr{0x52100000}, 0x1000}, "keel heap"}};
    Dom0lessLimits limits;
    limits.forbidden = heap;
    limits.forbidden_count = 1;
    EXPECT_EQ(parse("dom0less_anchor.dtb", limits), 0u);
    expect_error("dom0less: domU1: ramdisk module@52000000: [0x52000000-0x521a3b2c) overlaps keel "
                 "heap [0x52100000-0x52101000)");
    expect_error("dom0less: domU2: ramdisk module@52000000: [0x52000000-0x521a3b2c) overlaps keel "
                 "heap [0x52100000-0x52101000)");
}

TEST_F(Dom0less, HostRamLimitOverride)
{
    Dom0lessLimits limits;
    limits.host_ram_bytes = 128u << 20;  // what keel can actually give guests
    EXPECT_EQ(parse("dom0less_anchor.dtb", limits), 0u);
    expect_error("dom0less: domU1: memory: 262144 KiB is more than host RAM (131072 KiB)");
}

TEST_F(Dom0less, ModulesMayStraddleAdjacentBanks)
{
    boot_.memory[0] = PhysRange{PhysAddr{0x40000000}, 0x11000000};  // ends at 0x51000000
    boot_.memory[1] = PhysRange{PhysAddr{0x51000000}, 0x6f000000};
    boot_.memory_count = 2;
    EXPECT_EQ(parse("dom0less_anchor.dtb"), 2u) << lines();
    boot_.memory[1] = PhysRange{PhysAddr{0x51100000}, 0x6f000000};  // a hole at 0x51000000
    Dom0lessDiagnostics fresh;
    Fdt fdt{blob_.data(), blob_.size()};
    Dom0lessLimits limits;
    EXPECT_EQ(parse_dom0less(fdt, boot_, limits, specs_, kMaxDom0lessDomains, fresh), 0u);
    EXPECT_TRUE(
        fresh.contains("kernel module@50000000: [0x50000000-0x51f7a200) is outside host RAM"));
}

TEST_F(Dom0less, TooManyDomains)
{
    blob_ = load_fixture("dom0less_anchor.dtb");
    Fdt fdt{blob_.data(), blob_.size()};
    Dom0lessLimits limits;
    ASSERT_EQ(parse_dom0less(fdt, boot_, limits, specs_, 1, diag_), 1u);
    expect_error("dom0less: domU2: too many domains (at most 1)");
}

TEST_F(Dom0less, DiagnosticsDropWhenFull)
{
    Dom0lessDiagnostics d;
    for (size_t i = 0; i < Dom0lessDiagnostics::kMaxLines + 3; ++i) d.error("line {}", i);
    EXPECT_EQ(d.count(), Dom0lessDiagnostics::kMaxLines);
    EXPECT_EQ(d.dropped(), 3u);
    EXPECT_EQ(d.errors(), Dom0lessDiagnostics::kMaxLines + 3);
    EXPECT_STREQ(d.line(0), "line 0");
    EXPECT_STREQ(d.line(Dom0lessDiagnostics::kMaxLines), "");
}

TEST_F(Dom0less, NoChosenMeansNoDomains)
{
    uint8_t buf[256];
    FdtWriter w{buf, sizeof buf};
    ASSERT_TRUE(w.begin_node("").ok());
    ASSERT_TRUE(w.end_node().ok());
    auto size = w.finish();
    ASSERT_TRUE(size.ok());
    Fdt fdt{buf, size.value()};
    Dom0lessLimits limits;
    EXPECT_EQ(parse_dom0less(fdt, boot_, limits, specs_, kMaxDom0lessDomains, diag_), 0u);
    EXPECT_EQ(diag_.count(), 0u);
    EXPECT_FALSE(dom0less_has_dom0(fdt));
}

}  // namespace
}  // namespace keel

namespace keel {
namespace {

TEST_F(Dom0less, StaticEventChannelsAndSharedMemory)
{
    const size_t n = parse("dom0less_links.dtb");
    ASSERT_EQ(n, 2u) << lines();

    const DomainSpec* ping = find("ping", n);
    const DomainSpec* pong = find("pong", n);
    ASSERT_NE(ping, nullptr);
    ASSERT_NE(pong, nullptr);
    ASSERT_EQ(ping->evtchn_count, 2u);
    EXPECT_EQ(ping->evtchn[0].local_port, 0xau);
    EXPECT_EQ(ping->evtchn[0].remote_domid, 2);
    EXPECT_EQ(ping->evtchn[0].remote_port, 0xbu);
    EXPECT_EQ(ping->evtchn[1].local_port, 0xcu);
    EXPECT_EQ(ping->evtchn[1].remote_port, 0xdu);
    ASSERT_EQ(pong->evtchn_count, 2u);
    EXPECT_EQ(pong->evtchn[0].remote_domid, 1);
    EXPECT_EQ(pong->evtchn[0].remote_port, 0xau);

    ASSERT_EQ(ping->shm_count, 1u);
    EXPECT_STREQ(ping->shm[0].id, "ring0");
    EXPECT_FALSE(ping->shm[0].owner);
    EXPECT_EQ(ping->shm[0].host.base, PhysAddr{0x70000000});
    EXPECT_EQ(ping->shm[0].guest, GuestPhysAddr{0x30000000});
    EXPECT_EQ(ping->shm[0].host.size, 0x10000u);
    ASSERT_EQ(pong->shm_count, 1u);  // one-cell addresses in pong's node
    EXPECT_TRUE(pong->shm[0].owner);
    EXPECT_EQ(pong->shm[0].host.base, PhysAddr{0x70000000});
    EXPECT_EQ(pong->shm[0].guest, GuestPhysAddr{0x31000000});

    expect_error("dom0less: oneway: evtchn@e: xen,evtchn: the peer evtchn@b does not point back "
                 "at this node");
    expect_error("dom0less: badport: evtchn@0: xen,evtchn: port 0 is outside 1..4095");
    expect_error("dom0less: overram: shm@40000000: xen,shared-mem: guest range "
                 "[0x40000000-0x40001000) overlaps guest RAM bank 0");
    expect_error("dom0less: outside: xen,shared-mem \"far\": [0x100000000-0x100001000) is "
                 "outside host RAM");
}

TEST_F(Dom0less, SharedMemoryIdsMustAgreeAcrossDomains)
{
    DomainSpec specs[2];
    specs[0].name = "a";
    specs[1].name = "b";
    for (DomainSpec& s : specs) {
        s.shm_count = 1;
        cstr_copy(s.shm[0].id, "x", sizeof s.shm[0].id);
        s.shm[0].host = PhysRange{PhysAddr{0x70000000}, 0x1000};
        s.shm[0].owner = true;
    }
    EXPECT_EQ(check_static_shm_ids(specs, 2, diag_), 1u);
    expect_error("dom0less: a and b: xen,shared-mem \"x\" / \"x\": more than one owner");
    specs[1].shm[0].owner = false;
    specs[1].shm[0].host.base = PhysAddr{0x71000000};
    EXPECT_EQ(check_static_shm_ids(specs, 2, diag_), 1u);
    expect_error("dom0less: a and b: xen,shared-mem \"x\" / \"x\": one id, two host ranges");
}

TEST_F(Dom0less, SveProperty)
{
    const size_t n = parse("dom0less_sve.dtb");
    ASSERT_EQ(n, 4u) << lines();
    EXPECT_EQ(find("vl512", n)->sve_bits, 512);
    EXPECT_EQ(find("hostmax", n)->sve_bits, kSveHostMax);
    EXPECT_EQ(find("zero", n)->sve_bits, 0);
    EXPECT_EQ(find("none", n)->sve_bits, 0);
    expect_error("dom0less: odd: sve: 100 is not a multiple of 128 bits up to 2048");
    expect_error("dom0less: huge: sve: 4096 is not a multiple of 128 bits up to 2048");
    expect_error("dom0less: twocells: sve: 8 bytes, expected none or 1 cell");
}

}  // namespace
}  // namespace keel
