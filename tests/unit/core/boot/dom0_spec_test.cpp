// SPDX-License-Identifier: MIT
//
// tests/unit/core/boot/dom0_spec_test.cpp
// Checks parse_dom0(): the modules that are dom0's (not under xen,domain), kind
// by compatible then by order, /chosen/linux,initrd-*, Xen's command-line
// priority, the module checks (no reg, overlapping keel or each other, bad
// Image header) and keel's options dom0_mem=/dom0_max_vcpus=/dom0_vcpus_pin,
// each bad input one clear line; parse_xen_size() on Xen's size syntax.
#include "core/boot/dom0_spec.hpp"

#include <gtest/gtest.h>

#include <cstring>
#include <string>

#include "../../support/dtb_builder.hpp"
#include "lib/fdt.hpp"

namespace keel {
namespace {

using test::Blob;
using test::load_fixture;

constexpr uint64_t kBadImageAt = 0x64000000;
constexpr uint64_t kMiB = uint64_t{1} << 20;

bool read_module(void*, PhysAddr at, void* dst, size_t len)
{
    uint8_t h[kArm64ImageHeaderSize] = {};
    if (at.raw() != kBadImageAt) {
        h[0] = 'M';
        h[1] = 'Z';
        h[18] = 0x01;
        h[19] = 0x02;  // image_size 0x02010000
        h[24] = 0x0a;
        h[56] = 'A';
        h[57] = 'R';
        h[58] = 'M';
        h[59] = 0x64;
    }
    std::memcpy(dst, h, len < sizeof h ? len : sizeof h);
    return true;
}

const ForbiddenRange kForbidden[] = {
    {PhysRange{PhysAddr{0x40000000}, 0x200000}, "keel's image"},
};

StrRef ref(const char* s) { return StrRef{s, std::strlen(s)}; }

class Dom0SpecTest : public ::testing::Test {
protected:
    Dom0Config parse(const char* fixture)
    {
        blob_ = load_fixture(fixture);
        EXPECT_FALSE(blob_.empty()) << fixture;
        EXPECT_EQ(Fdt::check(blob_.data(), blob_.size()), FdtError::None);
        fdt_ = new (fdt_storage_) Fdt{blob_.data(), blob_.size()};
        boot_.memory[0] = PhysRange{PhysAddr{0x40000000}, 0x80000000};
        boot_.memory_count = 1;
        Dom0lessLimits limits;
        limits.forbidden = kForbidden;
        limits.forbidden_count = 1;
        limits.read_module = read_module;
        return parse_dom0(*fdt_, boot_, limits, opts_, spec_, diag_);
    }
    std::string lines() const
    {
        std::string all;
        for (size_t i = 0; i < diag_.count(); ++i) all += std::string(diag_.line(i)) + "\n";
        return all;
    }
    void expect_line(const char* text, bool error) const
    {
        for (size_t i = 0; i < diag_.count(); ++i)
            if (std::strcmp(diag_.line(i), text) == 0) {
                EXPECT_EQ(diag_.is_error(i), error) << text;
                return;
            }
        ADD_FAILURE() << "missing: " << text << "\n" << lines();
    }
    const char* name(int node) const { return fdt_->node_name(node); }

    Blob blob_;
    alignas(Fdt) unsigned char fdt_storage_[sizeof(Fdt)];
    Fdt* fdt_ = nullptr;
    BootInfo boot_;
    Dom0Options opts_ = [] {
        Dom0Options o;
        o.online_cpus = 2;
        o.max_vcpus = 8;
        return o;
    }();
    Dom0Spec spec_;
    Dom0lessDiagnostics diag_;
};

TEST_F(Dom0SpecTest, XenStyleKernelRamdiskAndDom0Bootargs)
{
    opts_.dom0_mem = ref("768M");
    opts_.dom0_max_vcpus = ref("2");
    ASSERT_EQ(parse("dom0_xen.dtb"), Dom0Config::Valid) << lines();
    EXPECT_EQ(diag_.errors(), 0u) << lines();
    EXPECT_STREQ(name(spec_.kernel.node), "module@50000000");
    EXPECT_EQ(spec_.kernel.range.base.raw(), 0x50000000u);
    EXPECT_EQ(spec_.kernel.range.size, 0x1f7a200u);
    EXPECT_STREQ(name(spec_.ramdisk.node), "module@52000000");
    EXPECT_EQ(spec_.ramdisk.range.size, 0x1a3b2cu);
    EXPECT_STREQ(spec_.bootargs, "console=hvc0 earlycon=xenboot rdinit=/init");
    EXPECT_STREQ(spec_.bootargs_source, "xen,dom0-bootargs");
    ASSERT_TRUE(spec_.image_checked);
    EXPECT_EQ(spec_.image.image_size, 0x2010000u);
    EXPECT_EQ(spec_.memory_bytes, 768 * kMiB);
    EXPECT_FALSE(spec_.memory_default);
    EXPECT_EQ(spec_.vcpus, 2u);
    EXPECT_FALSE(spec_.vcpus_pinned);
}

TEST_F(Dom0SpecTest, PlainModulesByOrderAndTheModuleBootargsWin)
{
    ASSERT_EQ(parse("dom0_plain.dtb"), Dom0Config::Valid) << lines();
    EXPECT_STREQ(name(spec_.kernel.node), "module@50000000");
    EXPECT_STREQ(name(spec_.ramdisk.node), "module@52000000");
    EXPECT_STREQ(spec_.bootargs, "console=hvc0 from-module");
    EXPECT_STREQ(spec_.bootargs_source, "kernel module");
    expect_line("dom0: kernel module@53000000: a second kernel module; ignored", false);
    // No dom0_mem=: Xen's 512 MiB with its warning; no dom0_max_vcpus: one per CPU.
    EXPECT_TRUE(spec_.memory_default);
    EXPECT_EQ(spec_.memory_bytes, 512 * kMiB);
    expect_line("dom0: dom0_mem= not given: PLEASE SPECIFY dom0_mem; using 512 MiB (as Xen)",
                false);
    EXPECT_EQ(spec_.vcpus, 2u);
}

TEST_F(Dom0SpecTest, ChosenInitrdAndBootargsFallback)
{
    opts_.vcpus_pin = true;
    ASSERT_EQ(parse("dom0_initrd.dtb"), Dom0Config::Valid) << lines();
    EXPECT_EQ(spec_.ramdisk.node, fdt_->path_offset("/chosen"));
    EXPECT_EQ(spec_.ramdisk.range.base.raw(), 0x52000000u);
    EXPECT_EQ(spec_.ramdisk.range.size, 0x1a3b2cu);
    EXPECT_STREQ(spec_.bootargs, "console=hvc0 from-bootargs");
    EXPECT_STREQ(spec_.bootargs_source, "bootargs");
    EXPECT_TRUE(spec_.vcpus_pinned);
}

TEST_F(Dom0SpecTest, NoDom0KernelIsNone)
{
    EXPECT_EQ(parse("dom0less_anchor.dtb"), Dom0Config::None);
    EXPECT_EQ(diag_.count(), 0u) << lines();
}

TEST_F(Dom0SpecTest, KernelWithoutRegIsInvalid)
{
    EXPECT_EQ(parse("dom0_bad_noreg.dtb"), Dom0Config::Invalid);
    expect_line("dom0: kernel module@50000000: reg: missing or malformed", true);
}

TEST_F(Dom0SpecTest, ModulesOverKeelOrEachOtherAreInvalid)
{
    EXPECT_EQ(parse("dom0_bad_overlap.dtb"), Dom0Config::Invalid);
    expect_line("dom0: kernel module@40100000: [0x40100000-0x4207a200) overlaps keel's image "
                "[0x40000000-0x40200000)",
                true);
    expect_line("dom0: kernel module@40100000 and ramdisk module@41000000 overlap", true);
    EXPECT_FALSE(spec_.image_checked);  // never read where keel lives
}

TEST_F(Dom0SpecTest, BadImageHeaderIsInvalid)
{
    EXPECT_EQ(parse("dom0_bad_header.dtb"), Dom0Config::Invalid);
    ASSERT_EQ(diag_.errors(), 1u) << lines();
    EXPECT_TRUE(diag_.contains("dom0: kernel module@64000000: bad Image header: bad magic"))
        << lines();
}

TEST_F(Dom0SpecTest, BadDom0MemValues)
{
    opts_.dom0_mem = ref("0");
    EXPECT_EQ(parse("dom0_xen.dtb"), Dom0Config::Invalid);
    expect_line("dom0: dom0_mem=0: zero", true);

    diag_ = Dom0lessDiagnostics{};
    opts_.dom0_mem = ref("lots");
    EXPECT_EQ(parse("dom0_xen.dtb"), Dom0Config::Invalid);
    expect_line("dom0: dom0_mem=lots: not a size (e.g. 768M, 1G)", true);

    diag_ = Dom0lessDiagnostics{};
    opts_.dom0_mem = ref("4G");
    EXPECT_EQ(parse("dom0_xen.dtb"), Dom0Config::Invalid);
    expect_line("dom0: dom0_mem=4G: 4096 MiB is more than host RAM (2048 MiB)", true);

    diag_ = Dom0lessDiagnostics{};
    opts_.dom0_mem = ref("99999999999999999999G");
    EXPECT_EQ(parse("dom0_xen.dtb"), Dom0Config::Invalid);
}

TEST_F(Dom0SpecTest, Dom0MaxVcpusIsCappedOrDefaulted)
{
    opts_.dom0_max_vcpus = ref("999");
    ASSERT_EQ(parse("dom0_xen.dtb"), Dom0Config::Valid) << lines();
    EXPECT_EQ(spec_.vcpus, 8u);
    expect_line("dom0: dom0_max_vcpus=999: more than keel's 8 vCPUs per domain; using 8", false);

    diag_ = Dom0lessDiagnostics{};
    opts_.dom0_max_vcpus = ref("0");
    ASSERT_EQ(parse("dom0_xen.dtb"), Dom0Config::Valid);
    EXPECT_EQ(spec_.vcpus, 2u);  // the online CPUs

    diag_ = Dom0lessDiagnostics{};
    opts_.dom0_max_vcpus = ref("two");
    ASSERT_EQ(parse("dom0_xen.dtb"), Dom0Config::Valid);
    EXPECT_EQ(spec_.vcpus, 2u);
    expect_line("dom0: dom0_max_vcpus=two: not a number; ignored", false);
}

TEST(XenSize, SuffixesAndDefaultKiB)
{
    EXPECT_EQ(parse_xen_size(ref("768M")).value(), 768 * kMiB);
    EXPECT_EQ(parse_xen_size(ref("768m")).value(), 768 * kMiB);
    EXPECT_EQ(parse_xen_size(ref("1G")).value(), uint64_t{1} << 30);
    EXPECT_EQ(parse_xen_size(ref("2T")).value(), uint64_t{2} << 40);
    EXPECT_EQ(parse_xen_size(ref("524288")).value(), 512 * kMiB);  // KiB
    EXPECT_EQ(parse_xen_size(ref("4096k")).value(), 4 * kMiB);
    EXPECT_EQ(parse_xen_size(ref("4096B")).value(), 4096u);
    EXPECT_EQ(parse_xen_size(ref("0x100M")).value(), 256 * kMiB);
    EXPECT_EQ(parse_xen_size(ref("")).error(), Errno::Inval);
    EXPECT_EQ(parse_xen_size(ref("M")).error(), Errno::Inval);
    EXPECT_EQ(parse_xen_size(ref("12Q")).error(), Errno::Inval);
    EXPECT_EQ(parse_xen_size(ref("12MB")).error(), Errno::Inval);
    EXPECT_EQ(parse_xen_size(ref("-1M")).error(), Errno::Inval);
    EXPECT_EQ(parse_xen_size(ref("17179869184T")).error(), Errno::Overflow);
    EXPECT_EQ(parse_xen_size(ref("1024M,max:2048M")).error(), Errno::Inval);
    StrRef rest;
    EXPECT_EQ(parse_xen_size(ref("1024M,max:2048M"), &rest).value(), 1024 * kMiB);
    EXPECT_EQ(std::string(rest.data, rest.len), ",max:2048M");
}

}  // namespace
}  // namespace keel
