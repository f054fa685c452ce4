// SPDX-License-Identifier: MIT
//
// core/boot/arm64_image.hpp
// Owns the check of an arm64 Linux "Image" header (Linux
// Documentation/arch/arm64/booting.rst, "Call the kernel image"): the 64-byte
// header a guest kernel module starts with, decoded into the facts the loader
// needs (text_offset, effective image_size, flags). Pure: the caller reads the
// first 64 bytes of the module and passes them in. Does not handle gzip'ed or
// 32-bit zImage kernels (Xen's kernel.c does; keel does not yet).
#pragma once
#include <cstddef>
#include <cstdint>
#include <span>

#include "lib/result.hpp"

namespace keel {

class FmtBuffer;

inline constexpr size_t kArm64ImageHeaderSize = 64;
inline constexpr size_t kArm64ImageMagicOffset = 56;
inline constexpr uint32_t kArm64ImageMagic = 0x644d5241;  // "ARM\x64", little endian
// booting.rst: "Where image_size is zero, text_offset can be assumed to be 0x80000."
inline constexpr uint64_t kArm64LegacyTextOffset = 0x80000;
// booting.rst: the Image goes text_offset bytes above a 2 MiB aligned base.
inline constexpr uint64_t kArm64ImageAlign = uint64_t{2} << 20;

struct Arm64ImageInfo {
    uint64_t text_offset = 0;  // effective: 0x80000 for a legacy (image_size == 0) header
    uint64_t image_size = 0;   // effective memory footprint from the load address:
                               // the header's image_size, or the file size when it is 0
    uint64_t file_size = 0;
    uint64_t flags = 0;           // raw header flags
    bool legacy = false;          // image_size was 0: a kernel older than v3.17
    bool big_endian = false;      // flags bit 0
    uint32_t page_size_kib = 0;   // flags bits 1-2: 0 unspecified, 4, 16 or 64
    bool place_anywhere = false;  // flags bit 3: base need not be near the start of RAM
};

/// Checks the first bytes of a kernel module (`header`, at least 64 bytes) of
/// total size `file_size`. Rules (booting.rst): magic "ARM\x64" at offset 56;
/// text_offset below 2 MiB and 4 KiB aligned; a non-zero image_size is at least
/// the file size (it also covers .bss). On failure returns Errno::Inval and,
/// when `why` is given, appends one phrase such as
/// "bad magic 0x00000000 at offset 56 (expected 0x644d5241)".
Result<Arm64ImageInfo> check_arm64_image(std::span<const uint8_t> header, uint64_t file_size,
                                         FmtBuffer* why = nullptr);

}  // namespace keel
