// SPDX-License-Identifier: MIT
//
// lib/fdt_writer.cpp
// Owns the sequential DTB writer declared in lib/fdt_writer.hpp. Layout while
// writing: header (40 bytes, written last) | memory reservation block | structure
// block growing up | free space | strings block growing down from the end of the
// buffer. finish() moves the strings block down to follow the structure block and
// rewrites every property's name offset, which during writing counts back from
// the end of the buffer. Facts (tokens, header fields, alignment, version 17 with
// last compatible version 16) are from the Devicetree Specification v0.4,
// "Flattened Devicetree (DTB) Format".
#include "lib/fdt_writer.hpp"

#include <cstdint>
#include <limits>

namespace keel {
namespace {

constexpr uint32_t kMagic = 0xd00dfeed;
constexpr size_t kHeaderSize = 40;    // struct fdt_header, version 17
constexpr size_t kRsvEntrySize = 16;  // struct fdt_reserve_entry
constexpr size_t kMaxNameLen = 255;

constexpr uint32_t kTokBeginNode = 1;
constexpr uint32_t kTokEndNode = 2;
constexpr uint32_t kTokProp = 3;
constexpr uint32_t kTokNop = 4;
constexpr uint32_t kTokEnd = 9;

void store_be32(uint8_t* p, uint32_t v)
{
    p[0] = static_cast<uint8_t>(v >> 24);
    p[1] = static_cast<uint8_t>(v >> 16);
    p[2] = static_cast<uint8_t>(v >> 8);
    p[3] = static_cast<uint8_t>(v);
}

void store_be64(uint8_t* p, uint64_t v)
{
    store_be32(p, static_cast<uint32_t>(v >> 32));
    store_be32(p + 4, static_cast<uint32_t>(v));
}

uint32_t load_be32(const uint8_t* p)
{
    return (uint32_t{p[0]} << 24) | (uint32_t{p[1]} << 16) | (uint32_t{p[2]} << 8) | uint32_t{p[3]};
}

constexpr size_t align4(size_t v)
{
    return (v + 3) & ~size_t{3};
}

// Length of a valid node or property name, or 0 when invalid (null, empty,
// too long, '/' or a non-printable byte inside).
size_t name_length(const char* name)
{
    if (name == nullptr) return 0;
    size_t n = 0;
    for (; name[n] != '\0'; ++n) {
        if (n >= kMaxNameLen) return 0;
        const auto c = static_cast<unsigned char>(name[n]);
        if (c <= 0x20 || c >= 0x7f || c == '/') return 0;
    }
    return n;
}

}  // namespace

FdtWriter::FdtWriter(void* buf, size_t capacity)
    : buf_{static_cast<uint8_t*>(buf)}, cap_{capacity > std::numeric_limits<uint32_t>::max()
                                                 ? std::numeric_limits<uint32_t>::max()
                                                 : capacity}
{
    if (buf_ == nullptr) cap_ = 0;
}

Result<void> FdtWriter::fail(Errno e)
{
    if (!failed_) {
        failed_ = true;
        error_ = e;
    }
    return error_;
}

Result<void> FdtWriter::usable()
{
    if (failed_) return error_;
    if (finished_) return fail(Errno::Inval);
    return {};
}

Result<void> FdtWriter::put_bytes(const void* data, size_t len)
{
    // The structure block may grow up to the lowest byte of the strings block.
    const size_t limit = cap_ - strings_len_;
    if (pos_ > limit || len > limit - pos_) return fail(Errno::NoSpc);
    const auto* src = static_cast<const uint8_t*>(data);
    for (size_t i = 0; i < len; ++i) buf_[pos_ + i] = src[i];
    pos_ += len;
    return {};
}

Result<void> FdtWriter::put_u32(uint32_t v)
{
    uint8_t be[4];
    store_be32(be, v);
    return put_bytes(be, sizeof be);
}

Result<void> FdtWriter::pad4()
{
    static constexpr uint8_t kZeros[4] = {};
    return put_bytes(kZeros, align4(pos_) - pos_);
}

size_t FdtWriter::find_string(const char* name, size_t len)
{
    const size_t low = cap_ - strings_len_;
    auto matches_at = [&](size_t p) {
        size_t i = 0;
        while (i < len && buf_[p + i] == static_cast<uint8_t>(name[i])) ++i;
        return i == len && buf_[p + len] == 0;
    };
    // A remembered result still holds: the block only grows by new strings
    // below it, and that empties found_. A slot another name hashed to never
    // matches: the remembered place starts with that other name and its NUL.
    uint32_t hash = 2166136261u;  // FNV-1a
    for (size_t i = 0; i < len; ++i) hash = (hash ^ static_cast<uint8_t>(name[i])) * 16777619u;
    uint32_t& slot = found_[hash % kFoundSlots];
    if (slot != 0 && slot <= strings_len_ && slot > len && matches_at(cap_ - slot)) return slot;
    // Any occurrence of name + NUL inside the block will do, including the tail
    // of a longer name ("cells" inside "#size-cells"): it is a valid string.
    for (size_t p = low; p + len < cap_; ++p) {
        if (matches_at(p)) {
            slot = static_cast<uint32_t>(cap_ - p);
            return cap_ - p;
        }
    }
    return 0;
}

Result<uint32_t> FdtWriter::string_offset(const char* name, size_t len)
{
    if (const size_t back = find_string(name, len); back != 0) return static_cast<uint32_t>(back);
    const size_t start = cap_ - strings_len_;
    const size_t need = len + 1;
    if (pos_ > start || need > start - pos_) {
        (void)fail(Errno::NoSpc);
        return Errno::NoSpc;
    }
    const size_t at = start - need;
    for (size_t i = 0; i < len; ++i) buf_[at + i] = static_cast<uint8_t>(name[i]);
    buf_[at + len] = 0;
    strings_len_ += need;
    for (uint32_t& f : found_) f = 0;  // lower occurrences may exist now
    return static_cast<uint32_t>(cap_ - at);
}

Result<void> FdtWriter::add_reservation(uint64_t base, uint64_t size)
{
    KEEL_TRY(usable());
    if (struct_start_ != 0) return fail(Errno::Inval);  // the block precedes the structure
    // Room for this entry plus the terminating all-zero entry written later.
    const size_t off = kHeaderSize + rsv_count_ * kRsvEntrySize;
    if (off > cap_ || 2 * kRsvEntrySize > cap_ - off) return fail(Errno::NoSpc);
    store_be64(buf_ + off, base);
    store_be64(buf_ + off + 8, size);
    ++rsv_count_;
    return {};
}

Result<void> FdtWriter::begin_node(const char* name)
{
    KEEL_TRY(usable());
    size_t len = 0;
    if (struct_start_ == 0) {
        // Root node: first lay down the reservation terminator.
        if (name == nullptr || name[0] != '\0') return fail(Errno::Inval);
        const size_t off = kHeaderSize + rsv_count_ * kRsvEntrySize;
        if (off > cap_ || kRsvEntrySize > cap_ - off) return fail(Errno::NoSpc);
        store_be64(buf_ + off, 0);
        store_be64(buf_ + off + 8, 0);
        struct_start_ = off + kRsvEntrySize;
        pos_ = struct_start_;
    } else {
        if (depth_ == 0 || root_done_) return fail(Errno::Inval);  // a second root
        len = name_length(name);
        if (len == 0) return fail(Errno::Inval);
    }
    if (depth_ >= kMaxDepth) return fail(Errno::Inval);
    KEEL_TRY(put_u32(kTokBeginNode));
    KEEL_TRY(put_bytes(name, len));
    static constexpr uint8_t kNul = 0;
    KEEL_TRY(put_bytes(&kNul, 1));
    KEEL_TRY(pad4());
    ++depth_;
    child_seen_[depth_] = false;
    return {};
}

Result<void> FdtWriter::end_node()
{
    KEEL_TRY(usable());
    if (depth_ == 0) return fail(Errno::Inval);
    KEEL_TRY(put_u32(kTokEndNode));
    --depth_;
    if (depth_ == 0)
        root_done_ = true;
    else
        child_seen_[depth_] = true;
    return {};
}

Result<void> FdtWriter::property(const char* name, const void* data, size_t len)
{
    KEEL_TRY(usable());
    // Properties belong to an open node and precede its children.
    if (depth_ == 0 || child_seen_[depth_]) return fail(Errno::Inval);
    const size_t name_len = name_length(name);
    if (name_len == 0) return fail(Errno::Inval);
    if (data == nullptr && len != 0) return fail(Errno::Inval);
    if (len > std::numeric_limits<uint32_t>::max()) return fail(Errno::NoSpc);
    // Check the whole record (and the name, should it be new) fits before
    // storing anything.
    const size_t record = 12 + align4(len) + (find_string(name, name_len) != 0 ? 0 : name_len + 1);
    const size_t limit = cap_ - strings_len_;
    if (pos_ > limit || record > limit - pos_) return fail(Errno::NoSpc);
    const uint32_t nameoff = KEEL_TRY(string_offset(name, name_len));
    KEEL_TRY(put_u32(kTokProp));
    KEEL_TRY(put_u32(static_cast<uint32_t>(len)));
    KEEL_TRY(put_u32(nameoff));
    if (len != 0) KEEL_TRY(put_bytes(data, len));
    return pad4();
}

Result<void> FdtWriter::property_u32(const char* name, uint32_t value)
{
    uint8_t be[4];
    store_be32(be, value);
    return property(name, be, sizeof be);
}

Result<void> FdtWriter::property_u64(const char* name, uint64_t value)
{
    uint8_t be[8];
    store_be64(be, value);
    return property(name, be, sizeof be);
}

Result<void> FdtWriter::property_cells(const char* name, const uint32_t* cells, size_t count)
{
    KEEL_TRY(usable());
    if (cells == nullptr && count != 0) return fail(Errno::Inval);
    // Converted to big endian in a bounded local buffer (the largest property
    // keel writes is a few dozen cells).
    constexpr size_t kMaxCells = 64;
    if (count > kMaxCells) return fail(Errno::NoSpc);
    uint8_t be[kMaxCells * 4];
    for (size_t i = 0; i < count; ++i) store_be32(be + 4 * i, cells[i]);
    return property(name, be, count * 4);
}

Result<void> FdtWriter::property_values(const char* name, const uint64_t* values, size_t count,
                                        uint32_t cells_per_value)
{
    KEEL_TRY(usable());
    if ((values == nullptr && count != 0) || cells_per_value < 1 || cells_per_value > 2)
        return fail(Errno::Inval);
    constexpr size_t kMaxValues = 32;
    if (count > kMaxValues) return fail(Errno::NoSpc);
    uint8_t be[kMaxValues * 8];
    size_t n = 0;
    for (size_t i = 0; i < count; ++i) {
        if (cells_per_value == 1) {
            if (values[i] > std::numeric_limits<uint32_t>::max()) return fail(Errno::Range);
            store_be32(be + n, static_cast<uint32_t>(values[i]));
            n += 4;
        } else {
            store_be64(be + n, values[i]);
            n += 8;
        }
    }
    return property(name, be, n);
}

Result<void> FdtWriter::property_string(const char* name, const char* value)
{
    KEEL_TRY(usable());
    if (value == nullptr) return fail(Errno::Inval);
    size_t len = 0;
    while (value[len] != '\0') ++len;
    return property(name, value, len + 1);
}

Result<void> FdtWriter::property_strings(const char* name, const char* const* list, size_t count)
{
    KEEL_TRY(usable());
    if (list == nullptr && count != 0) return fail(Errno::Inval);
    // Concatenate into a bounded local buffer (string lists keel writes are a
    // few compatible strings).
    constexpr size_t kMaxBytes = 256;
    char joined[kMaxBytes];
    size_t n = 0;
    for (size_t i = 0; i < count; ++i) {
        if (list[i] == nullptr) return fail(Errno::Inval);
        for (size_t j = 0;; ++j) {
            if (n >= kMaxBytes) return fail(Errno::NoSpc);
            joined[n++] = list[i][j];
            if (list[i][j] == '\0') break;
        }
    }
    return property(name, joined, n);
}

Result<size_t> FdtWriter::finish(uint32_t boot_cpuid_phys)
{
    KEEL_TRY(usable());
    if (!root_done_ || depth_ != 0) return fail(Errno::Inval).error();
    KEEL_TRY(put_u32(kTokEnd));
    const size_t struct_size = pos_ - struct_start_;
    const size_t strings_size = strings_len_;
    const size_t strings_src = cap_ - strings_size;
    // The structure block ends at or below the strings block (put_bytes kept it
    // so), so copying forward never overwrites bytes not yet copied.
    for (size_t i = 0; i < strings_size; ++i) buf_[pos_ + i] = buf_[strings_src + i];

    // Rewrite name offsets: during writing they counted back from the buffer end.
    size_t off = struct_start_;
    while (off < pos_) {
        const uint32_t tok = load_be32(buf_ + off);
        off += 4;
        if (tok == kTokBeginNode) {
            while (buf_[off] != 0) ++off;
            off = align4(off + 1);
        } else if (tok == kTokProp) {
            const uint32_t len = load_be32(buf_ + off);
            const uint32_t back = load_be32(buf_ + off + 4);
            store_be32(buf_ + off + 4, static_cast<uint32_t>(strings_size - back));
            off = align4(off + 8 + len);
        } else if (tok == kTokEndNode || tok == kTokNop || tok == kTokEnd) {
            // no payload
        } else {
            KEEL_PANIC("fdt_writer: corrupt structure block");
        }
    }

    const size_t total = pos_ + strings_size;
    store_be32(buf_ + 0, kMagic);
    store_be32(buf_ + 4, static_cast<uint32_t>(total));
    store_be32(buf_ + 8, static_cast<uint32_t>(struct_start_));
    store_be32(buf_ + 12, static_cast<uint32_t>(pos_));
    store_be32(buf_ + 16, static_cast<uint32_t>(kHeaderSize));
    store_be32(buf_ + 20, kVersion);
    store_be32(buf_ + 24, kLastCompVersion);
    store_be32(buf_ + 28, boot_cpuid_phys);
    store_be32(buf_ + 32, static_cast<uint32_t>(strings_size));
    store_be32(buf_ + 36, static_cast<uint32_t>(struct_size));
    finished_ = true;
    return total;
}

}  // namespace keel
