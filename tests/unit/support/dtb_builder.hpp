// SPDX-License-Identifier: MIT
//
// tests/unit/support/dtb_builder.hpp
// Test-only helpers for device-tree tests: load a fixture DTB compiled by dtc
// (KEEL_FIXTURE_DIR), patch big-endian header fields, and DtbBuilder, which
// writes a flattened tree token by token, including deliberately broken ones
// (raw tokens, bad lengths, missing terminators) that dtc would never emit.
#pragma once
#include <cstdint>
#include <cstring>
#include <fstream>
#include <initializer_list>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

namespace keel::test {

using Blob = std::vector<uint8_t>;

inline Blob load_fixture(const std::string& name)
{
    std::ifstream in(std::string(KEEL_FIXTURE_DIR) + "/" + name, std::ios::binary);
    return Blob(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

inline uint32_t get_be32(const Blob& b, size_t off)
{
    return (uint32_t{b[off]} << 24) | (uint32_t{b[off + 1]} << 16) | (uint32_t{b[off + 2]} << 8) |
           uint32_t{b[off + 3]};
}

inline void put_be32(Blob& b, size_t off, uint32_t v)
{
    b[off] = static_cast<uint8_t>(v >> 24);
    b[off + 1] = static_cast<uint8_t>(v >> 16);
    b[off + 2] = static_cast<uint8_t>(v >> 8);
    b[off + 3] = static_cast<uint8_t>(v);
}

// Header field offsets (Devicetree spec, "Header").
enum HeaderField : size_t {
    kMagicField = 0,
    kTotalsize = 4,
    kOffDtStruct = 8,
    kOffDtStrings = 12,
    kOffMemRsvmap = 16,
    kVersion = 20,
    kLastCompVersion = 24,
    kSizeDtStrings = 32,
    kSizeDtStruct = 36,
};

class DtbBuilder {
public:
    static constexpr uint32_t kBeginNode = 1, kEndNode = 2, kProp = 3, kNop = 4, kEnd = 9;

    DtbBuilder& begin_node(const char* name)
    {
        u32(kBeginNode);
        bytes(name, std::strlen(name) + 1);
        pad();
        return *this;
    }
    DtbBuilder& end_node() { return u32(kEndNode); }
    DtbBuilder& nop() { return u32(kNop); }
    DtbBuilder& prop(const char* name, const void* data, size_t len)
    {
        u32(kProp);
        u32(static_cast<uint32_t>(len));
        u32(name_offset(name));
        bytes(data, len);
        pad();
        return *this;
    }
    DtbBuilder& prop_cells(const char* name, std::initializer_list<uint32_t> cells)
    {
        Blob data;
        for (uint32_t c : cells) {
            data.resize(data.size() + 4);
            put_be32(data, data.size() - 4, c);
        }
        return prop(name, data.data(), data.size());
    }
    DtbBuilder& prop_str(const char* name, const char* value)
    {
        return prop(name, value, std::strlen(value) + 1);
    }
    // A string list: "a\0b\0" given as {"a", "b"}.
    DtbBuilder& prop_strs(const char* name, std::initializer_list<const char*> values)
    {
        std::string data;
        for (const char* v : values) data.append(v, std::strlen(v) + 1);
        return prop(name, data.data(), data.size());
    }
    DtbBuilder& prop_empty(const char* name) { return prop(name, nullptr, 0); }
    // Raw pieces for broken streams.
    DtbBuilder& u32(uint32_t v)
    {
        struct_.resize(struct_.size() + 4);
        put_be32(struct_, struct_.size() - 4, v);
        return *this;
    }
    DtbBuilder& bytes(const void* data, size_t len)
    {
        const auto* p = static_cast<const uint8_t*>(data);
        if (len != 0) struct_.insert(struct_.end(), p, p + len);
        return *this;
    }
    DtbBuilder& pad()
    {
        while (struct_.size() % 4 != 0) struct_.push_back(0);
        return *this;
    }
    DtbBuilder& end() { return u32(kEnd); }
    DtbBuilder& memreserve(uint64_t base, uint64_t size)
    {
        rsv_.emplace_back(base, size);
        return *this;
    }
    uint32_t name_offset(const char* name)
    {
        const std::string n(name);
        const size_t at = strings_.find(n + '\0');
        if (at != std::string::npos) return static_cast<uint32_t>(at);
        const auto off = static_cast<uint32_t>(strings_.size());
        strings_.append(n.c_str(), n.size() + 1);
        return off;
    }

    // Header (40 bytes), reservation map (with its (0,0) terminator unless
    // `terminate_rsv` is false), structure block, strings block.
    Blob finish(uint32_t version = 17, bool terminate_rsv = true) const
    {
        Blob b(40, 0);
        const auto rsv_off = static_cast<uint32_t>(b.size());
        for (const auto& [base, size] : rsv_) {
            append64(b, base);
            append64(b, size);
        }
        if (terminate_rsv) {
            append64(b, 0);
            append64(b, 0);
        }
        const auto struct_off = static_cast<uint32_t>(b.size());
        b.insert(b.end(), struct_.begin(), struct_.end());
        const auto strings_off = static_cast<uint32_t>(b.size());
        b.insert(b.end(), strings_.begin(), strings_.end());
        put_be32(b, kMagicField, 0xd00dfeed);
        put_be32(b, kTotalsize, static_cast<uint32_t>(b.size()));
        put_be32(b, kOffDtStruct, struct_off);
        put_be32(b, kOffDtStrings, strings_off);
        put_be32(b, kOffMemRsvmap, rsv_off);
        put_be32(b, kVersion, version);
        put_be32(b, kLastCompVersion, 16);
        put_be32(b, kSizeDtStrings, static_cast<uint32_t>(strings_.size()));
        put_be32(b, kSizeDtStruct, static_cast<uint32_t>(struct_.size()));
        return b;
    }

private:
    static void append64(Blob& b, uint64_t v)
    {
        for (int shift = 56; shift >= 0; shift -= 8) b.push_back(static_cast<uint8_t>(v >> shift));
    }

    Blob struct_;
    std::string strings_;
    std::vector<std::pair<uint64_t, uint64_t>> rsv_;
};

}  // namespace keel::test
