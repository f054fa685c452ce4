// SPDX-License-Identifier: MIT
//
// core/boot/arm64_image.cpp
// Owns check_arm64_image(): decodes and sanity-checks the arm64 Linux Image
// header. Layout (booting.rst, "Call the kernel image"; all fields little endian
// since v3.17): code0 u32 @0, code1 u32 @4, text_offset u64 @8, image_size u64
// @16, flags u64 @24, res2..res4 @32..@55, magic u32 @56, res5 u32 @60.
#include "core/boot/arm64_image.hpp"

#include "lib/fmt.hpp"

namespace keel {
namespace {

constexpr size_t kTextOffsetAt = 8;
constexpr size_t kImageSizeAt = 16;
constexpr size_t kFlagsAt = 24;
constexpr uint64_t kTextOffsetAlign = 4096;

uint64_t le64(const uint8_t* p)
{
    uint64_t v = 0;
    for (size_t i = 8; i-- > 0;) v = (v << 8) | p[i];
    return v;
}

uint32_t le32(const uint8_t* p)
{
    return uint32_t{p[0]} | (uint32_t{p[1]} << 8) | (uint32_t{p[2]} << 16) | (uint32_t{p[3]} << 24);
}

template <typename... Args> Errno reject(FmtBuffer* why, const char* fmt, const Args&... args)
{
    if (why != nullptr) format_to(*why, fmt, args...);
    return Errno::Inval;
}

}  // namespace

Result<Arm64ImageInfo> check_arm64_image(std::span<const uint8_t> header, uint64_t file_size,
                                         FmtBuffer* why)
{
    if (file_size < kArm64ImageHeaderSize)
        return reject(why, "file is {} bytes, smaller than the 64-byte Image header", file_size);
    if (header.size() < kArm64ImageHeaderSize)
        return reject(why, "only {} header bytes available (need 64)", header.size());

    const uint8_t* h = header.data();
    const uint32_t magic = le32(h + kArm64ImageMagicOffset);
    if (magic != kArm64ImageMagic)
        return reject(why, "bad magic {:#010x} at offset 56 (expected {:#010x})", magic,
                      kArm64ImageMagic);

    Arm64ImageInfo info;
    info.file_size = file_size;
    info.flags = le64(h + kFlagsAt);
    const uint64_t text_offset = le64(h + kTextOffsetAt);
    const uint64_t image_size = le64(h + kImageSizeAt);

    if (image_size == 0) {
        // booting.rst: before v3.17 image_size is zero, text_offset may be in the
        // kernel's own endianness, and "can be assumed to be 0x80000". The
        // footprint past the file (.bss) is unknown; the file size is all we have.
        info.legacy = true;
        info.text_offset = kArm64LegacyTextOffset;
        info.image_size = file_size;
        info.flags = 0;  // not defined before v3.17
    } else {
        if (text_offset >= kArm64ImageAlign || text_offset % kTextOffsetAlign != 0)
            return reject(why, "text_offset {:#x} is not a 4 KiB aligned offset below 2 MiB",
                          text_offset);
        if (image_size < file_size)
            return reject(why, "image_size {:#x} is smaller than the file ({:#x} bytes)",
                          image_size, file_size);
        info.text_offset = text_offset;
        info.image_size = image_size;
    }

    info.big_endian = (info.flags & 1) != 0;
    switch ((info.flags >> 1) & 3) {
    case 1: info.page_size_kib = 4; break;
    case 2: info.page_size_kib = 16; break;
    case 3: info.page_size_kib = 64; break;
    default: info.page_size_kib = 0; break;
    }
    info.place_anywhere = (info.flags & 8) != 0;
    return info;
}

}  // namespace keel
