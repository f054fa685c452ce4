// SPDX-License-Identifier: MIT
//
// tests/unit/core/boot/arm64_image_test.cpp
// Checks check_arm64_image() against the header rules of Linux booting.rst,
// using the header of the Debian kernel the anchors boot.
#include "core/boot/arm64_image.hpp"

#include <gtest/gtest.h>

#include <cstring>

#include "lib/fmt.hpp"

namespace keel {
namespace {

struct Header {
    uint8_t b[kArm64ImageHeaderSize] = {};
    void put64(size_t at, uint64_t v)
    {
        for (size_t i = 0; i < 8; ++i) b[at + i] = static_cast<uint8_t>(v >> (8 * i));
    }
    std::span<const uint8_t> span() const { return {b, sizeof b}; }
};

// vmlinuz-6.1.0-56-arm64: text_offset 0, image_size 0x2010000, flags 0xa.
Header debian()
{
    Header h;
    h.b[0] = 'M';
    h.b[1] = 'Z';
    h.put64(8, 0);
    h.put64(16, 0x2010000);
    h.put64(24, 0xa);
    std::memcpy(h.b + 56, "ARM\x64", 4);
    return h;
}

std::string why_of(const Header& h, uint64_t size)
{
    char storage[128];
    FmtBuffer why{storage, sizeof storage};
    auto r = check_arm64_image(h.span(), size, &why);
    EXPECT_FALSE(r.ok());
    return why.c_str();
}

TEST(Arm64Image, DebianKernel)
{
    auto r = check_arm64_image(debian().span(), 0x1f7a200);
    ASSERT_TRUE(r.ok());
    const Arm64ImageInfo& i = r.value();
    EXPECT_EQ(i.text_offset, 0u);
    EXPECT_EQ(i.image_size, 0x2010000u);
    EXPECT_EQ(i.file_size, 0x1f7a200u);
    EXPECT_FALSE(i.legacy);
    EXPECT_FALSE(i.big_endian);
    EXPECT_EQ(i.page_size_kib, 4u);
    EXPECT_TRUE(i.place_anywhere);
}

TEST(Arm64Image, FlagsDecode)
{
    Header h = debian();
    h.put64(24, 0x1 | (3u << 1));
    auto r = check_arm64_image(h.span(), 0x1000);
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(r.value().big_endian);
    EXPECT_EQ(r.value().page_size_kib, 64u);
    EXPECT_FALSE(r.value().place_anywhere);
}

TEST(Arm64Image, LegacyHeaderAssumes0x80000)
{
    Header h = debian();
    h.put64(8, 0x12345);  // undefined endianness before v3.17: ignored
    h.put64(16, 0);
    h.put64(24, 0xff);
    auto r = check_arm64_image(h.span(), 0x800000);
    ASSERT_TRUE(r.ok());
    EXPECT_TRUE(r.value().legacy);
    EXPECT_EQ(r.value().text_offset, 0x80000u);
    EXPECT_EQ(r.value().image_size, 0x800000u);
    EXPECT_EQ(r.value().flags, 0u);
}

TEST(Arm64Image, Rejections)
{
    Header none;
    EXPECT_EQ(why_of(none, 0x1000), "bad magic 0x00000000 at offset 56 (expected 0x644d5241)");

    Header off = debian();
    off.put64(8, 0x200000);
    EXPECT_EQ(why_of(off, 0x1000),
              "text_offset 0x200000 is not a 4 KiB aligned offset below 2 MiB");
    off.put64(8, 0x80010);
    EXPECT_EQ(why_of(off, 0x1000), "text_offset 0x80010 is not a 4 KiB aligned offset below 2 MiB");

    EXPECT_EQ(why_of(debian(), 0x3000000),
              "image_size 0x2010000 is smaller than the file (0x3000000 bytes)");
    EXPECT_EQ(why_of(debian(), 63), "file is 63 bytes, smaller than the 64-byte Image header");

    const Header h = debian();
    char storage[96];
    FmtBuffer why{storage, sizeof storage};
    auto r = check_arm64_image(std::span<const uint8_t>{h.b, 32}, 0x1000, &why);
    ASSERT_FALSE(r.ok());
    EXPECT_EQ(r.error(), Errno::Inval);
    EXPECT_STREQ(why.c_str(), "only 32 header bytes available (need 64)");
    // No reason buffer: still just an error.
    EXPECT_FALSE(check_arm64_image(none.span(), 0x1000).ok());
}

}  // namespace
}  // namespace keel
